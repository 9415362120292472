"""What a course copy takes: its plan (`CopyPlan`), the tables, columns and item types the copy knows,
the parameters every shared statement names its courses and stamp by, and the conditions that pick the
source rows a plan copies. `copy_tables` holds the statements that write; `lineage_map` and
`touched_items` read what a copy wrote (for the row-level fix-ups in `copy_links`).

Every copied row carries `lineage_id = coalesce(source.lineage_id, source.id)` (`lineage`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Integer,
    Select,
    Table,
    and_,
    bindparam,
    exists,
    func,
    literal,
    or_,
    select,
    union,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.visitors import InternalTraversal

from courseport.schema import ContentItem, ContentLink, File, Folder

COUNTED = {"preserve_rowcount": True}  # INSERT ... SELECT row counts on every driver
ITEMS, FILES, FOLDERS, LINKS = cast(tuple[Table, Table, Table, Table],
                                    (ContentItem.__table__, File.__table__, Folder.__table__, ContentLink.__table__))
# Types whose rows hang under a parent that must be copied with them.
CHILD_TYPES = ("module_item", "quiz_question", "rubric_association", "outcome_link")
# Types that may own an assignment (graded quizzes and topics) through ref_id.
ASSIGNMENT_OWNERS = ("quiz", "discussion_topic", "announcement")
# Item columns a copy carries over as they are; references, identity and tracking are set apart.
ITEM_VALUES = ("type", "title", "slug", "body", "points", "due_at", "unlock_at", "lock_at", "start_at", "end_at",
               "workflow_state", "data", "user_id", "parent_id", "ref_id", "file_id")
REFERENCES = {"parent_id": ITEMS, "ref_id": ITEMS, "file_id": FILES}
# Item types by the depth of what they reference: a row names only rows of lower depth (every other
# type sits at depth 0 and names none), so copying depth by depth finds each reference's copy in place.
DEPTHS = ({"assignment"}, {"quiz", "discussion_topic", "announcement"},
          {"quiz_question", "module_item", "rubric_association",  # an association names its rubric and assignment
           "outcome_link"})  # a link names its group and outcome; a group's parent group is mapped after the copy
FILE_VALUES = ("user_id", "folder_path", "folder_id", "unlock_at", "lock_at", "display_name", "filename",
               "content_type", "size", "blob_sha256", "locked", "hidden", "workflow_state", "use_justification",
               "license", "legal_copyright")
FOLDER_VALUES = ("parent_folder_id", "name", "position", "locked", "hidden", "unlock_at", "lock_at",
                 "workflow_state")
# The statements shared by every copy name its courses and stamp by these parameters (see `bound`), so
# each is built once per shape of plan and a copy only executes it: building cost more than running.
SOURCE_ID = bindparam("source_id", type_=Integer)


class Unseen(ColumnElement[int]):
    """A course id as PostgreSQL's planner cannot see it: the output of a sub-select run once (an InitPlan),
    still a key its indexes are searched by. A copy's target rows are new to the statistics, and with the id in
    plain sight a store whose statistics know only a few courses (all among the common values) has the target
    estimated at one row: the planner then looped over the target's copies with a scan of the source inside
    them, and a 10,000-item copy took 11-28 s instead of 0.35. Unseen, the target is estimated as an average
    course (rows / distinct courses). SQLite plans without statistics: it gets the value as it is."""

    inherit_cache = True
    type = Integer()
    _traverse_internals = [("value", InternalTraversal.dp_clauseelement)]

    def __init__(self, value: ColumnElement[int]):
        self.value = value


@compiles(Unseen)
def _sub_select(element: Unseen, compiler: Any, **kw: Any) -> str:
    return f"(SELECT {compiler.process(element.value, **kw)})"


@compiles(Unseen, "sqlite")
def _as_it_is(element: Unseen, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.value, **kw))


def unseen(course_id: ColumnElement[int] | int) -> Unseen:
    """`course_id` (a parameter or a value) hidden from PostgreSQL's planner (`Unseen`)."""
    return Unseen(course_id if isinstance(course_id, ColumnElement) else literal(course_id, Integer))


TARGET_ID = unseen(bindparam("target_id", type_=Integer))
STAMP = bindparam("stamp", type_=ITEMS.c.updated_at.type)
_NO_STAMP = datetime(1970, 1, 1, tzinfo=UTC)
# Aliases are built once: an alias derives its whole column collection on first use, which cost more than
# running the statements. Each function keeps its own, so no two roles in one statement share an alias.
_OWNER, _OWNED = ITEMS.alias("q"), ITEMS.alias("a")
_PARENT, _PARENT_COPY = ITEMS.alias("p"), ITEMS.alias("pc")
_REF_ITEM, _REF_FILE = ITEMS.alias("r"), FILES.alias("rf")
_LINEAGE_PAIRS = {table: (table.alias("s"), table.alias("t")) for table in (ITEMS, FILES)}


@dataclass(frozen=True)
class CopyPlan:
    """What one copy reads and where it writes: whole item types (and files, settings) plus, when
    picked, chosen source ids (with what they need, see copying)."""

    source_id: int
    target_id: int
    types: frozenset[str]
    files: bool
    settings: bool
    stamp: datetime
    picked_items: frozenset[int] | None = None
    picked_files: frozenset[int] | None = None
    picked_folders: frozenset[str] | None = None  # full paths
    skipped: frozenset[int] = frozenset()  # module items left out (their target is not copied)
    earlier: bool = True  # the target may hold earlier copies (else nothing to update)


def bound(plan: CopyPlan, **values: object) -> dict[str, object]:
    """The parameters of a statement built from `plan`'s shape."""
    return {"source_id": plan.source_id, "target_id": plan.target_id, "stamp": plan.stamp, **values}


def shape(plan: CopyPlan) -> CopyPlan:
    """The plan without what differs from copy to copy: statements are built once per shape."""
    return replace(plan, source_id=0, target_id=0, stamp=_NO_STAMP)


def lineage(row: FromClause) -> ColumnElement:
    return func.coalesce(row.c.lineage_id, row.c.id)


def _picked_types(plan: CopyPlan, s: FromClause) -> ColumnElement:
    by_type = _whole_types(plan, s)
    return or_(by_type, s.c.id.in_(sorted(plan.picked_items))) if plan.picked_items else by_type


def _whole_types(plan: CopyPlan, s: FromClause) -> ColumnElement:
    owners = [t for t in ASSIGNMENT_OWNERS if t in plan.types]
    if not owners or "assignment" in plan.types:
        return s.c.type.in_(sorted(plan.types))
    # Graded quizzes and topics bring their assignment (and its group) even when assignments are not chosen.
    q, a = _OWNER, _OWNED
    owned = select(q.c.ref_id).where(q.c.course_id == SOURCE_ID, q.c.type.in_(owners),
                                     q.c.ref_id.is_not(None), q.c.workflow_state != "deleted")
    groups = select(a.c.parent_id).where(a.c.id.in_(owned), a.c.parent_id.is_not(None))
    return or_(s.c.type.in_(sorted(plan.types)), s.c.id.in_(union(owned, groups)))


def picked_item(plan: CopyPlan, s: FromClause) -> ColumnElement:
    """A live source item the selection takes, whose parent (for children) is live and copied too, by
    this copy or an earlier one: a quiz's questions never land in a target without their quiz, nor a
    module's items without their module (a blueprint sync adds a new question to the quiz copied before)."""
    p, copied = _PARENT, _PARENT_COPY
    parent_taken: ColumnElement[bool] = p.c.type.in_(sorted(plan.types))
    if plan.picked_items:
        parent_taken = or_(parent_taken, p.c.id.in_(sorted(plan.picked_items)))
    if plan.earlier:
        parent_taken = or_(parent_taken, exists().where(copied.c.course_id == TARGET_ID,
                                                        copied.c.lineage_id == lineage(p),
                                                        copied.c.workflow_state != "deleted"))
    live_parent = exists().where(p.c.id == s.c.parent_id, p.c.workflow_state != "deleted", parent_taken)
    return and_(s.c.course_id == SOURCE_ID, s.c.group_id.is_(None),  # a group's own content stays (Canvas)
                s.c.workflow_state != "deleted", _picked_types(plan, s),
                or_(s.c.type.not_in(CHILD_TYPES), live_parent))


def picked_file(plan: CopyPlan, f: FromClause) -> ColumnElement:
    taken = and_(f.c.course_id == SOURCE_ID, f.c.workflow_state != "deleted")
    if plan.files:
        return taken
    return and_(taken, f.c.id.in_(sorted(plan.picked_files))) if plan.picked_files else literal(False)


def dangling_module_item(plan: CopyPlan, s: FromClause) -> ColumnElement:
    """A module item whose target item or file is not copied."""
    r, f = _REF_ITEM, _REF_FILE
    item_missing = and_(s.c.ref_id.is_not(None), ~exists().where(r.c.id == s.c.ref_id, picked_item(plan, r)))
    file_missing = and_(s.c.file_id.is_not(None), ~exists().where(f.c.id == s.c.file_id, picked_file(plan, f)))
    return and_(s.c.type == "module_item", or_(item_missing, file_missing))


def copied_item(plan: CopyPlan, s: FromClause) -> ColumnElement:
    return and_(picked_item(plan, s), s.c.id.not_in(sorted(plan.skipped))) if plan.skipped else picked_item(plan, s)


def touched_items(plan: CopyPlan, *columns: ColumnElement) -> Select:
    """The target rows this copy wrote (the select of `columns`, default the whole row)."""
    return select(*(columns or (ITEMS,))).where(ITEMS.c.course_id == plan.target_id,
                                                 ITEMS.c.updated_at == plan.stamp)


def lineage_map(db: Session, plan: CopyPlan, table, source_ids: set[int]) -> dict[int, int]:  # noqa: ANN001
    """Source row id -> the id of its copy in the target, for a few ids."""
    if not source_ids:
        return {}
    s, t = _LINEAGE_PAIRS[table]
    rows = db.execute(select(s.c.id, t.c.id).join(t, and_(t.c.course_id == unseen(plan.target_id),
                                                         t.c.lineage_id == lineage(s)))
                      .where(s.c.id.in_(sorted(source_ids)), s.c.course_id == plan.source_id)).all()
    return dict(rows)
