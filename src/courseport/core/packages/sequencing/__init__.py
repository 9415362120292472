"""SCORM 2004 sequencing and navigation (the SN book, 4th edition, as far as real content needs):
the activity tree read from a manifest, a JSON tracking state per registration, navigation
requests, what SCOs report, rollup, and what the player may offer. Pure Python: no database, no
web. This face re-exports the engine's interface (a subpackage of `core.packages`, used by the
player and registrations), so callers import it from here:

    parse_tree(manifest_xml, organization=None) -> ActivityTree
    new_state(tree) -> dict
    navigate(tree, state, request, target=None) -> Outcome(state, deliver, ended, refused)
    report(tree, state, activity_id, cmi) -> dict
    availability(tree, state) -> dict
    rolled_up(tree, state) -> Rollup(completion, success, score_scaled)
    activity_status(tree, state) -> dict[str, Rollup]
"""

from courseport.core.packages.sequencing.manifest import parse_tree
from courseport.core.packages.sequencing.navigation import REQUESTS, Outcome, navigate
from courseport.core.packages.sequencing.reporting import report
from courseport.core.packages.sequencing.state import new_state
from courseport.core.packages.sequencing.tree import Activity, ActivityTree
from courseport.core.packages.sequencing.views import Rollup, activity_status, availability, rolled_up

__all__ = ["REQUESTS", "Activity", "ActivityTree", "Outcome", "Rollup", "activity_status", "availability",
           "navigate", "new_state", "parse_tree", "report", "rolled_up"]
