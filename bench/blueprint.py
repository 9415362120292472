"""Blueprint sync time as a ratio to raw SQL writing the same rows, in the same run.

Builds (bulk-inserted) a blueprint of 1,000 content items (10 assignment groups, 500 assignments,
490 pages) and 100 associated courses. Times, in order:
- a raw floor: one INSERT ... SELECT of the blueprint's items into each of 100 fresh courses;
- the initial sync of the blueprint to its 100 courses (the job, run in this process);
- after 10 items are edited in the blueprint through the core, a raw UPDATE of their 1,000 copies
  (joined by lineage) and the incremental sync that carries those 10 changes to the 100 courses.
Prints each time and the ratios. Targets: initial ratio <= 3; incremental sync under 1 s.

    .venv/bin/python bench/blueprint.py
    .venv/bin/python bench/blueprint.py --database-url postgresql://postgres@127.0.0.1/cp_bench  # EMPTIES it
    .venv/bin/python bench/blueprint.py --quick   # 100 items x 10 courses: what CI runs
Targets are printed, never pass/fail. Exits non-zero when a sync is wrong: a job or a migration
not completed, a course whose copies differ from the blueprint's items, or an edit not carried.
"""

from __future__ import annotations

import os
import sys

# bench/copy.py is named like the stdlib's `copy`: keep this folder off the import path.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

import argparse  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

from sqlalchemy import and_, func, insert, literal, select, update  # noqa: E402


@dataclass(frozen=True)
class Shape:
    """The blueprint's items, the courses it syncs to and how many items an incremental sync carries."""
    courses: int = 100
    groups: int = 10
    assignments: int = 500
    pages: int = 490
    changed: int = 10

    @property
    def items(self) -> int:
        return self.groups + self.assignments + self.pages


FULL = Shape()
QUICK = Shape(courses=10, groups=5, assignments=50, pages=45, changed=5)


def seed(database_url: str):  # noqa: ANN201
    from courseport import migrate
    from courseport.core.identity import accounts, admin
    from courseport.db import make_engine, transaction
    from courseport.wiring import wire

    engine = make_engine(database_url)
    migrate.upgrade(engine)
    wire()  # what build_services does: the sync's job handler and the blueprint checks
    with transaction(engine, write=True) as db:
        admin.reset_store(db, keep_admins=False)
        accounts.ensure_root(db)
        user, _ = admin.create_token_for(db, "admin", admin=True, purpose="bench")
        user_id = user.id
    return engine, user_id


def settle(engine) -> None:  # noqa: ANN001
    """PostgreSQL: what autovacuum does soon after a load (it may be off, as on this machine): without it an
    earlier run's deleted rows and another workload's statistics made the syncs' plans, ~1.5x slower."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")


def new_courses(engine, user_id: int, prefix: str, n: int, **fields) -> list[int]:  # noqa: ANN001
    from courseport.core.courses import courses
    from courseport.core.identity import accounts
    from courseport.db import transaction
    from courseport.schema import User

    with transaction(engine, write=True) as db:
        actor = db.get(User, user_id)
        return [courses.create_course(db, actor, accounts.ROOT_ACCOUNT_ID,
                                      courses.CourseChanges(name=f"{prefix} {i}", **fields)).id for i in range(n)]


def build_blueprint(engine, course_id: int, shape: Shape) -> None:  # noqa: ANN001
    from courseport.core.content.content import TRACKED_FIELDS, field_hash
    from courseport.db import transaction
    from courseport.schema import ContentItem
    from courseport.schema.base import utcnow

    now = utcnow()

    def rows(typ: str, n: int, **fields):  # noqa: ANN202
        out = []
        for i in range(n):
            row = {"course_id": course_id, "type": typ, "title": f"{typ} {i}", "position": i + 1,
                   "workflow_state": "published", "data": {}, "local_edits": {}, "created_at": now,
                   "updated_at": now, **{k: v(i) if callable(v) else v for k, v in fields.items()}}
            row["field_hashes"] = {f: field_hash(row.get(f)) for f in TRACKED_FIELDS}
            out.append(row)
        return out

    with transaction(engine, write=True) as db:
        table = ContentItem.__table__
        db.execute(insert(table), rows("assignment_group", shape.groups))
        groups = list(db.scalars(select(table.c.id).where(table.c.course_id == course_id).order_by(table.c.id)))
        db.execute(insert(table), rows("assignment", shape.assignments,
                                       parent_id=lambda i: groups[i % shape.groups], points=10.0,
                                       body="<p>Do it</p>"))
        db.execute(insert(table), rows("page", shape.pages, slug=lambda i: f"page-{i}", body="<p>Read</p>"))


def raw_initial(engine, source_id: int, targets: list[int]) -> float:  # noqa: ANN001
    from courseport.core.copy.copy_tables import ITEM_VALUES
    from courseport.db import transaction
    from courseport.schema import ContentItem

    table = ContentItem.__table__
    columns = [c for c in ITEM_VALUES]
    started = time.perf_counter()
    for target in targets:
        with transaction(engine, write=True) as db:
            rows = select(*(table.c[c] for c in columns), literal(target), table.c.position, table.c.id,
                          table.c.field_hashes, table.c.local_edits, table.c.created_at, table.c.updated_at) \
                .where(table.c.course_id == source_id)
            db.execute(insert(table).from_select([*columns, "course_id", "position", "lineage_id", "field_hashes",
                                                  "local_edits", "created_at", "updated_at"], rows))
    return time.perf_counter() - started


def sync(engine, user_id: int, blueprint_id: int) -> tuple[float, str]:  # noqa: ANN001
    from courseport.core.blueprints import blueprints
    from courseport.core.jobs import jobs
    from courseport.db import transaction
    from courseport.schema import BlueprintMigration, User

    with transaction(engine, write=True) as db:
        migration_id = blueprints.queue_migration(db, db.get(User, user_id), blueprint_id, "default", None,
                                                  {"copy_settings": False}).id
    started = time.perf_counter()
    jobs.run_pending(engine)
    elapsed = time.perf_counter() - started
    with transaction(engine, write=False) as db:
        return elapsed, db.get(BlueprintMigration, migration_id).workflow_state


def associate(engine, user_id: int, blueprint_id: int, children: list[int]) -> None:  # noqa: ANN001
    from courseport.core.blueprints import blueprints
    from courseport.db import transaction
    from courseport.schema import User

    with transaction(engine, write=True) as db:
        blueprints.update_associations(db, db.get(User, user_id), blueprint_id, "default",
                                       [str(c) for c in children], [])


def edit_items(engine, blueprint_id: int, changed: int) -> list[int]:  # noqa: ANN001
    from courseport.core.content import content
    from courseport.db import transaction
    from courseport.schema import ContentItem

    with transaction(engine, write=True) as db:
        items = db.scalars(select(ContentItem).where(ContentItem.course_id == blueprint_id,
                                                     ContentItem.type == "assignment")
                           .order_by(ContentItem.id).limit(changed)).all()
        for item in items:
            content.update_item(db, item, {"title": item.title + " (revised)", "points": 12.0})
        return [item.id for item in items]


def raw_update(engine, blueprint_id: int, item_ids: list[int]) -> float:  # noqa: ANN001
    from courseport.db import transaction
    from courseport.schema import ContentItem

    t, s = ContentItem.__table__, ContentItem.__table__.alias("s")
    started = time.perf_counter()
    with transaction(engine, write=True) as db:
        db.execute(update(t).where(and_(t.c.lineage_id == s.c.id, s.c.id.in_(item_ids),
                                        s.c.course_id == blueprint_id, t.c.course_id != blueprint_id))
                   .values(title=s.c.title, points=s.c.points))
    return time.perf_counter() - started


def check(ok: bool, what: str) -> None:
    """A wrong result fails the run in every mode: a fast wrong sync measures nothing."""
    if not ok:
        raise SystemExit(f"FAILED: {what}")


def check_jobs(engine) -> None:  # noqa: ANN001
    from courseport.schema import Job

    with engine.connect() as conn:
        bad = conn.execute(select(Job.__table__.c.kind, Job.__table__.c.state, Job.__table__.c.error)
                           .where(Job.__table__.c.state != "completed")).all()
    check(not bad, f"jobs not completed: {[tuple(row) for row in bad]}")


def copies_per_course(engine, blueprint_id: int, courses: list[int]) -> dict[int, int]:  # noqa: ANN001
    """Live items in each course copied from a blueprint item (by lineage)."""
    from courseport.schema import ContentItem

    t, s = ContentItem.__table__, ContentItem.__table__.alias("s")
    with engine.connect() as conn:
        rows = conn.execute(select(t.c.course_id, func.count()).where(
            t.c.course_id.in_(courses), t.c.workflow_state != "deleted", t.c.lineage_id == s.c.id,
            s.c.course_id == blueprint_id).group_by(t.c.course_id)).all()
    return {course: dict(rows).get(course, 0) for course in courses}


def revised_copies(engine, item_ids: list[int], courses: list[int]) -> int:  # noqa: ANN001
    from courseport.schema import ContentItem

    t = ContentItem.__table__
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(t).where(
            t.c.lineage_id.in_(item_ids), t.c.course_id.in_(courses), t.c.points == 12.0,
            t.c.title.like("% (revised)")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None,
                        help="postgresql://... (the database is EMPTIED); default: SQLite in a temp dir")
    parser.add_argument("--quick", action="store_true",
                        help=f"{QUICK.items} items x {QUICK.courses} courses: checks the syncs, no target verdict")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine, user_id = seed(args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}")
        try:
            measure(engine, user_id, QUICK if args.quick else FULL, quick=args.quick)
        finally:
            engine.dispose()


def measure(engine, user_id: int, shape: Shape, *, quick: bool) -> None:  # noqa: ANN001
    def verdict(met: bool) -> str:
        return "" if quick else f": {'MET' if met else 'NOT MET'}"

    blueprint, children = measure_initial(engine, user_id, shape, verdict)
    measure_incremental(engine, user_id, shape, verdict, blueprint, children)
    print("syncs checked: jobs and migrations completed, every course holds the blueprint's items and edits; "
          + ("quick run, ratios not judged" if quick else "targets above"))


def measure_initial(engine, user_id: int, shape: Shape, verdict) -> tuple[int, list[int]]:  # noqa: ANN001
    """The initial sync against a raw INSERT ... SELECT of the same rows; the blueprint and its courses."""
    [blueprint] = new_courses(engine, user_id, "Blueprint", 1, blueprint=True)
    build_blueprint(engine, blueprint, shape)
    raw_courses = new_courses(engine, user_id, "Raw", shape.courses)
    settle(engine)
    floor = raw_initial(engine, blueprint, raw_courses)
    check(set(copies_per_course(engine, blueprint, raw_courses).values()) == {shape.items},
          "the raw floor did not copy every item into every course")
    children = new_courses(engine, user_id, "Section", shape.courses)
    associate(engine, user_id, blueprint, children)
    settle(engine)
    initial, state = sync(engine, user_id, blueprint)
    print(f"initial sync, {shape.items} items x {shape.courses} courses: raw INSERT ... SELECT "
          f"{floor:.3f} s, sync {initial:.3f} s ({state}), ratio {initial / floor:.2f} "
          f"(target <= 3{verdict(initial / floor <= 3)})")
    check(state == "completed", f"initial sync ended {state}")
    check_jobs(engine)
    per_course = copies_per_course(engine, blueprint, children)
    check(set(per_course.values()) == {shape.items},
          f"initial sync: copies per course {sorted(set(per_course.values()))}, expected {shape.items}")
    return blueprint, children


def measure_incremental(engine, user_id: int, shape: Shape, verdict, blueprint: int,  # noqa: ANN001
                        children: list[int]) -> None:
    """The incremental sync of edited items against a raw UPDATE of their copies."""
    changed = edit_items(engine, blueprint, shape.changed)
    incremental, state = sync(engine, user_id, blueprint)
    check(state == "completed", f"incremental sync ended {state}")
    check_jobs(engine)
    carried = revised_copies(engine, changed, children)
    check(carried == shape.changed * shape.courses,
          f"incremental sync carried {carried} edits, expected {shape.changed * shape.courses}")
    edit_items(engine, blueprint, shape.changed)  # a second round of the same edits for the raw floor to write
    raw = raw_update(engine, blueprint, changed)
    print(f"incremental sync, {shape.changed} items x {shape.courses} courses: raw UPDATE {raw:.3f} s, "
          f"sync {incremental:.3f} s ({state}), ratio {incremental / raw:.1f} "
          f"(target: sync < 1 s{verdict(incremental < 1)})")
    with engine.connect() as conn:
        from courseport.schema import ContentItem
        table = ContentItem.__table__
        copies = conn.scalar(select(func.count()).select_from(table).where(
            table.c.lineage_id.in_(changed), table.c.points == 12.0))
    expected = 2 * shape.changed * shape.courses
    print(f"synced copies of the changed items: {copies} (expected {expected}: the sync's and the floor's)")
    check(copies == expected, f"{copies} copies of the changed items hold the edit, expected {expected}")


if __name__ == "__main__":
    main()
