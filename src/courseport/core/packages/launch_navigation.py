"""SCORM 2004 sequencing of a launch: where a player session's sequencer state lives, the
navigation requests the player sends and the commits the sequencer hears.

The state is kept per registration attempt (`attempts.sequencing`, with the rollup it last produced,
which `attempts.apply_progress` stores as the attempt's progress) and per preview session
(`preview_sequencing`, keyed by the session's registration UUID). The activity tree is parsed from
the version's imsmanifest.xml (read from the blob store) and kept in this process by the blob's hash.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from courseport.blobs import BlobStore
from courseport.core.kit.errors import InvalidInput, NotFound
from courseport.core.packages import attempts, previews, sequencing
from courseport.core.packages.registration_postbacks import queue_postback
from courseport.core.packages.sequencing import ActivityTree
from courseport.schema import Attempt, PackageFile, PackageVersion, PreviewSequencing, Registration
from courseport.schema.base import utcnow

MAX_TREES = 64
# The sequencer's requests, and "_none_": what is available now, nothing changed.
ASKED = (*sequencing.REQUESTS, "_none_")
_TREES: OrderedDict[str, ActivityTree] = OrderedDict()
_TREES_LOCK = threading.Lock()


@dataclass(frozen=True)
class NavigationAnswer:
    """What the player does next: deliver a SCO, show a refusal (nothing changed), or end the course;
    `availability` is what the contents and Continue/Previous offer now; `data` the delivered SCO's
    shared data buckets (`sequencing.shared_buckets`)."""

    deliver: str | None
    ended: bool
    refused: str | None
    availability: dict[str, Any]
    data: list[dict[str, Any]] | None = None  # the delivered SCO's shared data buckets (adl.data), as it starts


def is_sequenced(version: PackageVersion) -> bool:
    return previews.runtime_standard(version.learning_standard) == "scorm2004"


def tree_of(db: Session, blobs: BlobStore, version: PackageVersion) -> ActivityTree:
    """The version's activity tree (parsed once per process and manifest)."""
    sha = db.scalar(select(PackageFile.blob_sha256).where(PackageFile.version_id == version.id,
                                                          PackageFile.path == "imsmanifest.xml"))
    if sha is None:
        raise NotFound("file", "The course has no imsmanifest.xml to sequence.")
    with _TREES_LOCK:
        tree = _TREES.get(sha)
        if tree is not None:
            _TREES.move_to_end(sha)
            return tree
    tree = sequencing.parse_tree(b"".join(blobs.open_chunks(sha)))
    with _TREES_LOCK:
        _TREES[sha] = tree
        while len(_TREES) > MAX_TREES:
            _TREES.popitem(last=False)
    return tree


class _Place:
    """Where one session's state is kept: its registration attempt, or its preview row."""

    def __init__(self, attempt: tuple[Registration, Attempt] | None, preview: PreviewSequencing | None):
        self.registration: Registration | None = attempt[0] if attempt is not None else None
        self.attempt: Attempt | None = attempt[1] if attempt is not None else None
        self.preview = preview

    def state(self, tree: ActivityTree) -> dict:
        stored = (self.attempt.sequencing or {}).get("state") if self.attempt else self.preview and self.preview.state
        return stored or sequencing.new_state(tree)

    def keep(self, tree: ActivityTree, state: dict) -> None:
        if self.attempt is not None:
            keep_in_attempt(self.attempt, tree, state)
        elif self.preview is not None:
            self.preview.state = state


def keep_in_attempt(attempt: Attempt, tree: ActivityTree, state: dict) -> None:
    """The sequencer's state on the attempt, with the rollup and activity statuses it gives
    (`attempts.apply_progress` reads them)."""
    attempt.sequencing = {"state": state, "rollup": asdict(sequencing.rolled_up(tree, state)),
                          "activities": {k: asdict(v) for k, v in sequencing.activity_status(tree, state).items()},
                          "objectives": sequencing.activity_objectives(tree, state)}


def _place(db: Session, session: previews.LaunchGrant, version: PackageVersion) -> _Place:
    found = attempts.session_attempt(db, session, version)
    if found is not None:
        return _Place(found, None)
    key = session.registration or ""
    preview = db.scalar(select(PreviewSequencing).where(PreviewSequencing.session == key).with_for_update())
    if preview is None:
        # Sessions end after SESSION_SECONDS: their rows go when a new one starts.
        cutoff = utcnow() - timedelta(seconds=previews.SESSION_SECONDS)
        db.execute(delete(PreviewSequencing).where(PreviewSequencing.updated_at < cutoff))
        preview = PreviewSequencing(session=key, version_id=version.id, state={})
        db.add(preview)
    return _Place(None, preview)


def navigation_body(body: object) -> tuple[str, str | None, bool]:
    """(request, target, check) of the player's JSON body."""
    if not isinstance(body, dict):
        raise InvalidInput("body", "the player sends a JSON object")
    request, target, check = body.get("request"), body.get("target"), body.get("check", False)
    if not isinstance(request, str) or request not in ASKED:
        raise InvalidInput("request", f"request must be one of {', '.join(ASKED)}")
    if target is not None and (not isinstance(target, str) or len(target) > 4000):
        raise InvalidInput("target", "target names an activity")
    if not isinstance(check, bool):
        raise InvalidInput("check", "check is true or false")
    return request, target, check


def navigate_launch(db: Session, secret: bytes, blobs: BlobStore, session_token: str, body: object,
                    now: float | None = None) -> NavigationAnswer:
    """One navigation request of a player session; `check` asks without changing anything."""
    session = previews.read_grant(secret, "session", session_token, now)
    request, target, check = navigation_body(body)
    version = previews.live_version(db, session)
    if not is_sequenced(version):
        raise InvalidInput("request", "This course is not sequenced: the player navigates freely.")
    tree = tree_of(db, blobs, version)
    place = _place(db, session, version)
    state = place.state(tree)
    if request == "_none_":
        return NavigationAnswer(None, False, None, sequencing.availability(tree, state))
    if request == "start" and sequencing.availability(tree, state)["current"] is not None:
        # The last launch went away mid-activity (its window closed): keep the learner's place.
        state = sequencing.navigate(tree, state, "suspendAll").state
    outcome = sequencing.navigate(tree, state, request, target)
    if request == "start" and outcome.deliver is None and not outcome.ended:
        outcome = _first_choice(tree, outcome)
    if check or outcome.refused is not None:
        return NavigationAnswer(outcome.deliver, outcome.ended, outcome.refused, sequencing.availability(tree, state))
    kept = outcome.state
    if outcome.deliver in attempts.asset_ids(version):
        # An asset never calls the API: delivered, it is done (as SCORM Cloud counts assets).
        kept = sequencing.report(tree, kept, outcome.deliver, {"cmi.completion_status": "completed"})
    place.keep(tree, kept)
    _progress(db, place, version)
    buckets = sequencing.shared_buckets(tree, kept, outcome.deliver) if outcome.deliver else None
    return NavigationAnswer(outcome.deliver, outcome.ended, None, sequencing.availability(tree, kept), buckets)


def _progress(db: Session, place: _Place, version: PackageVersion) -> None:
    """Navigation moves rollup too (an attempt begun, an asset done): the attempt's progress follows,
    and a change is posted back as a runtime commit's is."""
    if place.attempt is None or place.registration is None:
        return
    before = (place.attempt.completion, place.attempt.success, place.attempt.score_scaled)
    attempts.apply_progress(place.attempt, version, utcnow())
    if before != (place.attempt.completion, place.attempt.success, place.attempt.score_scaled):
        queue_postback(db, place.registration, place.attempt)


def _first_choice(tree: ActivityTree, started: sequencing.Outcome) -> sequencing.Outcome:
    """A course whose root does not flow (SCORM's default) starts at its first leaf open to choice."""
    offered = sequencing.availability(tree, started.state)
    for leaf in tree.leaves():
        if offered["choice"].get(leaf.id) and leaf.id not in offered["hidden"]:
            chosen = sequencing.navigate(tree, started.state, "choice", leaf.id)
            if chosen.refused is None:
                return chosen
    return started


def report_commit(db: Session, secret: bytes, blobs: BlobStore, session_token: str, body: object,
                  now: datetime | None = None) -> None:
    """Let the sequencer hear a SCORM 2004 runtime commit: tracking and rollup stay live."""
    session = previews.read_grant(secret, "session", session_token, now.timestamp() if now else None)
    _, sco_id, _, data = previews.runtime_body(body)
    version = previews.live_version(db, session)
    if not is_sequenced(version):
        return
    tree = tree_of(db, blobs, version)
    place = _place(db, session, version)
    place.keep(tree, sequencing.report(tree, place.state(tree), sco_id, data))
