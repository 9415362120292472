"""The set-based SQL of a course copy: one statement per table and step, never rows in a loop.

Every copied row carries `lineage_id = coalesce(source.lineage_id, source.id)`, so a row of the
target "is the copy of" a source row when their lineages agree; a second copy UPDATEs those rows
(bringing deleted ones back) and INSERTs only the rest. New rows first keep the source's ids in
their reference columns; `remap_*` then points them at the target's copies with joins through
lineage (folders, whose paths are unique per course, through their path), and clears references
to rows that were not copied. Every row this copy writes gets `updated_at = plan.stamp`, which
later steps use to find them. What a copy takes (the plan, the tables and the conditions that pick
source rows) is in `copy_plan`; the names callers use from there are importable here too.
"""

from __future__ import annotations

from functools import lru_cache
from typing import cast

from sqlalchemy import (
    JSON,
    ColumnElement,
    CursorResult,
    Executable,
    FromClause,
    Integer,
    Select,
    Table,
    and_,
    bindparam,
    case,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from courseport.core.copy.copy_plan import (
    COUNTED,
    DEPTHS,
    FILE_VALUES,
    FILES,
    FOLDER_VALUES,
    FOLDERS,
    ITEM_VALUES,
    ITEMS,
    LINKS,
    REFERENCES,
    SOURCE_ID,
    STAMP,
    TARGET_ID,
    CopyPlan,
    bound,
    copied_item,
    dangling_module_item,
    lineage,
    picked_file,
    picked_item,
    shape,
)
from courseport.core.courses import external_tools, grading_standards
from courseport.core.coursework import late_policies
from courseport.schema import Course, CourseSetting

# Course columns that are settings (not identity, enrolment or state), carried by "@settings".
COURSE_SETTING_COLUMNS = (
    "default_view", "syllabus_body", "syllabus_course_summary", "public_description", "license", "course_format",
    "grading_standard_id", "is_public", "is_public_to_auth_users", "public_syllabus", "public_syllabus_to_auth",
    "hide_final_grades", "apply_assignment_group_weights", "allow_student_assignment_edits",
    "allow_student_wiki_edits", "allow_wiki_comments", "allow_student_forum_attachments", "post_manually",
    "time_zone", "locale", "course_color", "enable_course_paces", "conditional_release", "image_url",
    "banner_image_url",
)
# Aliases are built once: an alias derives its whole column collection on first use, which cost more than
# running the statements. Each function keeps its own, so no two roles in one statement share an alias.
_SKIPPED, _SKIPPED_REF = ITEMS.alias("s"), ITEMS.alias("r")
_SOURCE, _TARGET = ITEMS.alias("s"), ITEMS.alias("t")
_EXISTING = ITEMS.alias("t")
_COPY_OF = {column: (table.alias(), table.alias()) for column, table in REFERENCES.items()}
_LINKED = tuple(ITEMS.alias(name) for name in ("s", "ti", "st", "tt")) + (FILES.alias("sf"), FILES.alias("tf"))
_FOLDER, _OTHER_FOLDER = FOLDERS.alias("s"), FOLDERS.alias("o")
_FILE, _FILE_FOLDER, _OTHER_FILE = FILES.alias("s"), FOLDERS.alias("folder"), FILES.alias("o")
_PARENT_SRC, _PARENT_DST = FOLDERS.alias("src"), FOLDERS.alias("dst")
_SOURCE_COURSE = Course.__table__.alias("src")




_HOLDS_COPIES = select(exists().where(ITEMS.c.course_id == TARGET_ID, ITEMS.c.lineage_id.is_not(None))
                       | exists().where(FILES.c.course_id == TARGET_ID, FILES.c.lineage_id.is_not(None)))


def holds_copies(db: Session, plan: CopyPlan) -> bool:
    """Whether the target holds any copied item or file (a first copy into it updates nothing)."""
    return bool(db.scalar(_HOLDS_COPIES, bound(plan)))


def skipped_module_items(db: Session, plan: CopyPlan) -> list[dict]:
    rows = db.execute(_skipped_module_items(shape(plan)), bound(plan)).all()
    return [{"type": "module_item", "id": row.id, "title": row.title,
             "reason": f"it links to a {(row.type or 'file').replace('_', ' ')} that is not selected for copying"}
            for row in rows]


@lru_cache(maxsize=64)
def _skipped_module_items(plan: CopyPlan) -> Select:
    s, r = _SKIPPED, _SKIPPED_REF
    return (select(s.c.id, s.c.title, s.c.data, r.c.type).outerjoin(r, r.c.id == s.c.ref_id)
            .where(s.c.course_id == SOURCE_ID, s.c.type == "module_item", picked_item(plan, s),
                   dangling_module_item(plan, s)).order_by(s.c.id))


def deleted_copies(db: Session, plan: CopyPlan) -> dict[str, int]:
    """Per type, the target's deleted copies this copy brings back (counted before it does)."""
    if not plan.earlier:
        return {}
    return dict(db.execute(_deleted_copies(shape(plan)), bound(plan)).all())


@lru_cache(maxsize=64)
def _deleted_copies(plan: CopyPlan) -> Select:
    s, t = _SOURCE, _TARGET
    return select(t.c.type, func.count()).where(
        t.c.course_id == TARGET_ID, t.c.workflow_state == "deleted", t.c.lineage_id.is_not(None),
        exists().where(s.c.id == t.c.lineage_id, s.c.lineage_id.is_(None), copied_item(plan, s)) | exists().where(
            s.c.lineage_id == t.c.lineage_id, s.c.course_id == SOURCE_ID, copied_item(plan, s))).group_by(t.c.type)


_WRITTEN_ITEMS = select(ITEMS.c.type, func.sum(case((ITEMS.c.created_at == STAMP, 1), else_=0)), func.count()) \
    .where(ITEMS.c.course_id == TARGET_ID, ITEMS.c.updated_at == STAMP).group_by(ITEMS.c.type)


def written_items(db: Session, plan: CopyPlan) -> tuple[dict[str, int], dict[str, int]]:
    """Per type, the rows this copy inserted and the earlier copies it updated."""
    rows = db.execute(_WRITTEN_ITEMS, bound(plan)).all()
    inserted = {typ: n for typ, n, _ in rows if n}
    updated = {typ: total - n for typ, n, total in rows if total - n}
    return inserted, updated


def _copy_of(column: str, source_ref: ColumnElement) -> ColumnElement:
    """The id of the target's copy of the source row `source_ref` names (NULL when it has none)."""
    src, dst = _COPY_OF[column]
    return (select(dst.c.id).select_from(src)
            .join(dst, and_(dst.c.course_id == TARGET_ID, dst.c.lineage_id == lineage(src)))
            .where(src.c.id == source_ref, src.c.course_id == SOURCE_ID).limit(1).scalar_subquery())


def _at_depth(s: FromClause, depth: int) -> ColumnElement:
    if depth == 0:
        return s.c.type.not_in(sorted(set().union(*DEPTHS)))
    return s.c.type.in_(sorted(DEPTHS[depth - 1]))


def _mapped_values(s: FromClause) -> dict[str, ColumnElement]:
    values: dict[str, ColumnElement] = {c: s.c[c] for c in ITEM_VALUES if c not in REFERENCES}
    values.update({c: _copy_of(c, s.c[c]) for c in REFERENCES})
    return values


def update_items(db: Session, plan: CopyPlan, depth: int) -> None:
    """Overwrite the target's earlier copies at one depth from their sources; top-level rows keep their place."""
    if plan.earlier:
        db.execute(_update_items(shape(plan), depth), bound(plan))


@lru_cache(maxsize=64)
def _update_items(plan: CopyPlan, depth: int) -> Executable:
    s, t = _SOURCE, ITEMS
    values = _mapped_values(s)
    values.update(position=case((s.c.parent_id.is_(None), t.c.position), else_=s.c.position),
                  field_hashes=s.c.field_hashes, local_edits=literal({}, JSON), updated_at=STAMP)
    return update(t).where(t.c.course_id == TARGET_ID, t.c.lineage_id == lineage(s), _at_depth(s, depth),
                           copied_item(plan, s)).values(values)


def insert_items(db: Session, plan: CopyPlan, depth: int, offsets: dict[str, int]) -> int:
    """Insert the rows at one depth with no earlier copy; new top-level rows go after the target's own."""
    shifts = {f"shift_{n}": shift for n, shift in enumerate(offsets.values())}
    return cast(CursorResult, db.execute(_insert_items(shape(plan), depth, tuple(offsets)), bound(plan, **shifts),
                                         execution_options=COUNTED)).rowcount


@lru_cache(maxsize=64)
def _insert_items(plan: CopyPlan, depth: int, shifted: tuple[str, ...]) -> Executable:
    s, t = _SOURCE, _EXISTING
    shift = case(*((s.c.type == typ, bindparam(f"shift_{n}", type_=Integer)) for n, typ in enumerate(shifted)),
                 else_=0) if shifted else literal(0)
    position = s.c.position + case((s.c.parent_id.is_(None), shift), else_=0)
    values = _mapped_values(s)
    columns = [*values, "course_id", "position", "lineage_id", "field_hashes", "local_edits", "created_at",
               "updated_at"]
    rows = select(*values.values(), TARGET_ID, position, lineage(s), s.c.field_hashes, literal({}, JSON), STAMP,
                  STAMP).where(_at_depth(s, depth), copied_item(plan, s))
    if plan.earlier:
        rows = rows.where(~exists().where(t.c.course_id == TARGET_ID, t.c.lineage_id == lineage(s)))
    return insert(ITEMS).from_select(columns, rows)


def copy_items(db: Session, plan: CopyPlan) -> None:
    """Update earlier copies and insert the rest, depth by depth, references already pointing at copies."""
    offsets = top_level_offsets(db, plan)
    for depth in range(len(DEPTHS) + 1):
        update_items(db, plan, depth)
        insert_items(db, plan, depth, offsets)


_TOP_LEVEL_OFFSETS = select(ITEMS.c.type, func.max(ITEMS.c.position)).where(
    ITEMS.c.course_id == TARGET_ID, ITEMS.c.parent_id.is_(None), ITEMS.c.workflow_state != "deleted") \
    .group_by(ITEMS.c.type)


def top_level_offsets(db: Session, plan: CopyPlan) -> dict[str, int]:
    """The last position per top-level type in the target before the copy."""
    return {typ: n for typ, n in db.execute(_TOP_LEVEL_OFFSETS, bound(plan)).all() if n}


def _links_statements() -> tuple[Executable, Executable]:
    touched = select(ITEMS.c.id).where(ITEMS.c.course_id == TARGET_ID, ITEMS.c.updated_at == STAMP)
    s, ti, st, tt, sf, tf = _LINKED
    rows = (select(ti.c.id, tt.c.id, tf.c.id).select_from(LINKS)
            .join(s, s.c.id == LINKS.c.item_id)
            .join(ti, and_(ti.c.course_id == TARGET_ID, ti.c.lineage_id == lineage(s), ti.c.updated_at == STAMP))
            .outerjoin(st, st.c.id == LINKS.c.target_item_id)
            .outerjoin(tt, and_(tt.c.course_id == TARGET_ID, tt.c.lineage_id == lineage(st)))
            .outerjoin(sf, sf.c.id == LINKS.c.target_file_id)
            .outerjoin(tf, and_(tf.c.course_id == TARGET_ID, tf.c.lineage_id == lineage(sf)))
            .where(s.c.course_id == SOURCE_ID, or_(tt.c.id.is_not(None), tf.c.id.is_not(None))))
    return (LINKS.delete().where(LINKS.c.item_id.in_(touched)),
            insert(LINKS).from_select(["item_id", "target_item_id", "target_file_id"], rows))


_UNLINK, _RELINK = _links_statements()


def copy_links(db: Session, plan: CopyPlan) -> None:
    """Re-record the copies' links to items and files, pointed at the target's copies."""
    db.execute(_UNLINK, bound(plan))
    db.execute(_RELINK, bound(plan))


def copy_folders(db: Session, plan: CopyPlan) -> tuple[int, int]:
    """Folders are the same folder when their paths agree: update those, insert the rest."""
    if not plan.files and not plan.picked_folders:
        return 0, 0
    update_folders, insert_folders = _folders_statements(shape(plan))
    updated = cast(CursorResult, db.execute(update_folders, bound(plan))).rowcount
    inserted = cast(CursorResult, db.execute(insert_folders, bound(plan), execution_options=COUNTED)).rowcount
    if inserted or updated:
        db.execute(_REPARENT_FOLDERS, bound(plan))
        db.execute(_UNPARENT_FOLDERS, bound(plan))
    return inserted, updated


@lru_cache(maxsize=64)
def _folders_statements(plan: CopyPlan) -> tuple[Executable, Executable]:
    s, t, o = _FOLDER, FOLDERS, _OTHER_FOLDER
    chosen = and_(s.c.course_id == SOURCE_ID, s.c.workflow_state != "deleted")
    if not plan.files:
        chosen = and_(chosen, s.c.full_name.in_(sorted(cast(frozenset[str], plan.picked_folders))))
    values = {c: s.c[c] for c in FOLDER_VALUES if c != "parent_folder_id"}
    updating = update(t).where(t.c.course_id == TARGET_ID, t.c.full_name == s.c.full_name, chosen) \
        .values({**values, "lineage_id": lineage(s), "updated_at": STAMP})
    rows = select(*(s.c[c] for c in FOLDER_VALUES), s.c.full_name, TARGET_ID, lineage(s), STAMP, STAMP) \
        .where(chosen, ~exists().where(o.c.course_id == TARGET_ID, o.c.full_name == s.c.full_name))
    return updating, insert(FOLDERS).from_select(
        [*FOLDER_VALUES, "full_name", "course_id", "lineage_id", "created_at", "updated_at"], rows)


def copy_files(db: Session, plan: CopyPlan, new_uuid: ColumnElement) -> tuple[int, int]:
    """File rows for the target over the same blobs (no bytes are written); matched by lineage."""
    if not plan.files and not plan.picked_files:
        return 0, 0
    update_files, insert_files = _files_statements(shape(plan), new_uuid)
    updated = cast(CursorResult, db.execute(update_files, bound(plan))).rowcount if plan.earlier else 0
    inserted = cast(CursorResult, db.execute(insert_files, bound(plan), execution_options=COUNTED)).rowcount
    return inserted, updated


@lru_cache(maxsize=64)
def _files_statements(plan: CopyPlan, new_uuid: ColumnElement) -> tuple[Executable, Executable]:
    s, t, folder, o = _FILE, FILES, _FILE_FOLDER, _OTHER_FILE
    values: dict[str, ColumnElement] = {c: s.c[c] for c in FILE_VALUES}
    # A file's folder_path is its folder's full_name, and a folder's copy has the same path.
    values["folder_id"] = select(folder.c.id).where(folder.c.course_id == TARGET_ID,
                                                     folder.c.full_name == s.c.folder_path).scalar_subquery()
    updating = update(t).where(t.c.course_id == TARGET_ID, t.c.lineage_id == lineage(s), picked_file(plan, s)) \
        .values({**values, "updated_at": STAMP})
    rows = select(*values.values(), new_uuid, TARGET_ID, lineage(s), STAMP, STAMP) \
        .where(picked_file(plan, s), ~exists().where(o.c.course_id == TARGET_ID, o.c.lineage_id == lineage(s)))
    return updating, insert(FILES).from_select(
        [*values, "uuid", "course_id", "lineage_id", "created_at", "updated_at"], rows)


def _folder_parents_statements() -> tuple[Executable, Executable]:
    """Point copied folders at the target's folder with their parent's path (or at none)."""
    src, dst, t = _PARENT_SRC, _PARENT_DST, FOLDERS
    reparent = update(t).where(t.c.course_id == TARGET_ID, t.c.updated_at == STAMP, t.c.parent_folder_id == src.c.id,
                               src.c.course_id == SOURCE_ID, dst.c.course_id == TARGET_ID,
                               dst.c.full_name == src.c.full_name).values(parent_folder_id=dst.c.id)
    stale = select(src.c.id).where(src.c.course_id == SOURCE_ID)
    return reparent, update(t).where(t.c.course_id == TARGET_ID, t.c.updated_at == STAMP,
                                     t.c.parent_folder_id.in_(stale)).values(parent_folder_id=None)


_REPARENT_FOLDERS, _UNPARENT_FOLDERS = _folder_parents_statements()


def copy_settings(db: Session, plan: CopyPlan) -> int:
    """The source's setting columns onto the target's course row (its own grading standards copied along, see
    `grading_standards.carry_standards`, its late policy and its own external tools), and its course_settings rows."""
    if not plan.settings:
        return 0
    src = _SOURCE_COURSE
    values = {c: select(src.c[c]).where(src.c.id == plan.source_id).scalar_subquery() for c in COURSE_SETTING_COLUMNS}
    db.execute(update(cast(Table, Course.__table__)).where(Course.__table__.c.id == plan.target_id).values(values))
    grading_standards.carry_standards(db, plan.source_id, plan.target_id)
    late_policies.carry_policy(db, plan.source_id, plan.target_id)
    external_tools.carry_tools(db, plan.source_id, plan.target_id)
    rows = cast(Table, CourseSetting.__table__)
    names = select(rows.c.name).where(rows.c.course_id == plan.source_id)
    db.execute(rows.delete().where(rows.c.course_id == plan.target_id, rows.c.name.in_(names)))
    carried = select(literal(plan.target_id), rows.c.name, rows.c.value).where(rows.c.course_id == plan.source_id)
    return cast(CursorResult, db.execute(insert(rows).from_select(["course_id", "name", "value"], carried),
                                         execution_options=COUNTED)).rowcount
