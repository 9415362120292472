"""SCORM 2004 sequencing and navigation (the SN book, 4th edition, as far as real content needs):
the activity tree read from a manifest, a JSON tracking state per registration, navigation
requests, what SCOs report, rollup, and what the player may offer. Pure Python: no database, no
web. This face re-exports the engine's interface (a subpackage of `core.packages`, used by the
player and registrations), so callers import it from here:

    parse_tree(manifest_xml, organization=None) -> ActivityTree
    new_state(tree) -> dict
    navigate(tree, state, request, target=None) -> Outcome(state, deliver, ended, refused)
    report(tree, state, activity_id, cmi) -> dict
    report_past_attempt(tree, state, activity_id, cmi) -> dict   (an attempt made before, carried over)
    set_global(state, objective_id, values) -> dict
    set_shared(state, bucket, value) -> dict
    without_shared(state) -> dict   (shared objectives and data forgotten)
    shared_buckets(tree, state, activity_id) -> list[dict]   (the SCO's adl.data buckets: id, read, write, store)
    availability(tree, state) -> dict
    rolled_up(tree, state) -> Rollup(completion, success, score_scaled)
    activity_status(tree, state) -> dict[str, Rollup]
    activity_objectives(tree, state) -> dict[str, list[dict]]   (each activity's objectives, primary first)

For the player:
- `deliver` is always a leaf id (launch `tree.find(id).resource_href`); None means nothing to launch
  now: show the table of contents. Choosing a cluster delivers the leaf flow reaches inside it; when
  the cluster does not flow (flow="false") it becomes the current activity and nothing is delivered.
- A SCO's commits go to `report` (the cmi.* and adl.* values as committed); then send the
  navigation request: `adl.nav.request` if the SCO set one (`{target=x}choice` -> "choice", "x"),
  else the learner's button, else "exit" when the SCO terminates on its own. Navigating away runs
  the termination (end attempt, exit and post-condition rules, rollup) itself.
- A request refused after the SCO terminated leaves the attempt under way; send "exit" to end it.
- `availability` answers adl.nav.request_valid.continue/previous/choice.{target=x}; `hidden` lists
  what the table of contents leaves out (its children still show unless hidden themselves).
- cmi.scaled_passing_score of a SCO is `activity.sequencing.primary().min_measure` when
  `.satisfied_by_measure`; cmi.completion_threshold is `.min_progress_measure` when
  `.completed_by_measure`. `activity.hide_lms_ui` lists the controls to hide while it runs.
- "start" resumes a suspended session (as "resumeAll"); a start after the session ended begins a new
  attempt on the root, and each SCO's tracking starts afresh when it is delivered again.
"""

from courseport.core.packages.sequencing.manifest import parse_tree
from courseport.core.packages.sequencing.navigation import REQUESTS, Outcome, navigate
from courseport.core.packages.sequencing.reporting import (
    MAX_SHARED_DATA,
    report,
    report_past_attempt,
    set_global,
    set_shared,
)
from courseport.core.packages.sequencing.state import new_state, without_shared
from courseport.core.packages.sequencing.tree import Activity, ActivityTree
from courseport.core.packages.sequencing.views import (
    Rollup,
    activity_objectives,
    activity_status,
    availability,
    rolled_up,
    shared_buckets,
)

__all__ = ["MAX_SHARED_DATA", "REQUESTS", "Activity", "ActivityTree", "Outcome", "Rollup", "activity_objectives",
           "activity_status", "availability", "navigate", "new_state", "parse_tree", "report", "report_past_attempt",
           "rolled_up", "set_global", "set_shared", "shared_buckets", "without_shared"]
