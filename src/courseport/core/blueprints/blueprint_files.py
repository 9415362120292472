"""Blueprint course files in an incremental sync: the blueprint's File rows changed since the last
sync, and their import into one associated course through the copy engine's file statements (new
copies share the blob and land in the matching folder; renames, moves, locks and hiding reach the
copies found by lineage; a deleted file's copy goes unless the course edited an unlocked part of it).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from courseport.core.copy import copy_tables
from courseport.core.copy.copying import new_uuid
from courseport.schema import File

ASSET_TYPE = "attachment"
# The restriction class of each file column a course changes through the Files API (workflow_state:
# deleting), as Canvas restricts attachments; and the column names Canvas's lock error uses.
FILE_RESTRICTION_CLASSES = {"display_name": "content", "workflow_state": "content", "folder_path": "settings",
                            "locked": "state", "hidden": "state", "lock_at": "availability_dates",
                            "unlock_at": "availability_dates"}
FILE_COLUMN_NAMES = {"folder_path": "folder_id", "workflow_state": "file_state", "hidden": "file_state"}
_EDITABLE = tuple(c for c in FILE_RESTRICTION_CLASSES if c != "workflow_state")


def changed_files(db: Session, blueprint_id: int, since: datetime | None) -> list[tuple[File, str]]:
    """(file, created | updated | deleted) for the blueprint's files changed at or after `since`."""
    stmt = select(File).where(File.course_id == blueprint_id).order_by(File.id)
    if since is None:
        return [(f, "created") for f in db.scalars(stmt.where(File.workflow_state != "deleted"))]
    floor = since.replace(microsecond=0)
    out = []
    for file in db.scalars(stmt.where(or_(File.updated_at >= floor, File.created_at >= floor))):
        new = _after(file.created_at, since)
        if not new and not _after(file.updated_at, since):
            continue
        if file.workflow_state == "deleted":
            if not (new and file.created_at >= since):  # created and deleted since: nothing to tell
                out.append((file, "deleted"))
            continue
        out.append((file, "created" if new else "updated"))
    return out


def _after(stamp: datetime, since: datetime) -> bool:
    """At or after `since`; a stamp to the second (some writers) counts for its whole second."""
    return stamp >= since or (stamp.microsecond == 0 and stamp == since.replace(microsecond=0))


def _folder_paths(paths: set[str]) -> frozenset[str]:
    """Each path with its ancestors, so a nested folder's parents exist in the course too."""
    parts = [p.split("/") for p in paths]
    return frozenset("/".join(p[:n]) for p in parts for n in range(1, len(p) + 1))


def import_files(db: Session, plan: copy_tables.CopyPlan, files: dict[int, File], changes: list,
                 locks: dict[int, frozenset[str]]) -> list[tuple[int, list[str]]]:
    """Apply the exported file changes to plan.target_id; returns (change id, classes) exceptions."""
    live = {c.item_id for c in changes if c.change_type != "deleted"}
    if live:
        picked = replace(plan, files=False, picked_files=frozenset(live),
                         picked_folders=_folder_paths({files[i].folder_path for i in live}))
        copy_tables.copy_folders(db, picked)
        copy_tables.copy_files(db, picked, new_uuid(db))
    gone = [c for c in changes if c.change_type == "deleted"]
    if not gone:
        return []
    lineages = {files[c.item_id].lineage_id or c.item_id: c for c in gone}
    copies = db.scalars(select(File).where(File.course_id == plan.target_id, File.lineage_id.in_(sorted(lineages)),
                                           File.workflow_state != "deleted")).all()
    doomed, exceptions = [], []
    for copy in copies:
        change = lineages[copy.lineage_id]
        source = files[change.item_id]
        edited = {FILE_RESTRICTION_CLASSES[c] for c in _EDITABLE if getattr(copy, c) != getattr(source, c)}
        if edited - locks.get(change.item_id, frozenset()):
            exceptions.append((change.id, sorted(edited - locks.get(change.item_id, frozenset()))))
        else:
            doomed.append(copy.id)
    if doomed:
        db.execute(update(File).where(File.id.in_(doomed)).values(workflow_state="deleted", updated_at=plan.stamp))
    return exceptions
