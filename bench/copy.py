"""Course copy time as a ratio to a raw `INSERT ... SELECT` of the same rows, in the same run.

Builds (bulk-inserted) a course of 10,000 content items (200 modules with 4,000 module items,
assignments in groups, graded quizzes with questions, topics, pages of which a tenth link to other
pages and files, calendar events), 2,000 files over 2,000 blobs in 20 folders. Then, in interleaved
rounds, copies it into fresh courses once with a raw INSERT ... SELECT per table (items, folders,
files: no lineage matching, no remapping) and once with the copy engine, and prints the median of
each and their ratio; then the ratio of a second copy into the same course (the update path), the
engine's peak Python memory (tracemalloc, in a separate copy so tracing does not slow the timed
ones) and the blob bytes the copies wrote (target: 0).

    .venv/bin/python bench/copy.py [--rounds 5]
    .venv/bin/python bench/copy.py --database-url postgresql://postgres@127.0.0.1/cp_bench  # EMPTIES it
    .venv/bin/python bench/copy.py --quick   # a tenth of the course, 2 rounds: what CI runs
Targets: ratio <= 3 on SQLite and PostgreSQL (printed, never pass/fail). Exits non-zero when a copy is
wrong: a target whose rows per type differ from the source's, a second copy that adds rows, or
any blob bytes written.
"""

from __future__ import annotations

import os
import sys

# This file is named like the stdlib's `copy`: keep its folder off the import path so that
# `import copy` (dataclasses, SQLAlchemy) finds the real one when run as `python bench/copy.py`.
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

import argparse  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

from sqlalchemy import func, insert, literal, select  # noqa: E402

TARGET = 3.0


@dataclass(frozen=True)
class Shape:
    """How big the source course is."""
    modules: int = 200
    items_per_module: int = 20
    groups: int = 10
    assignments: int = 2000
    pages: int = 2000
    quizzes: int = 300
    questions_per_quiz: int = 3
    topics: int = 390
    events: int = 200
    files: int = 2000
    folders: int = 20


FULL = Shape()
QUICK = Shape(modules=20, assignments=200, pages=200, quizzes=30, topics=39, events=20, files=200)


def seed(database_url: str):  # noqa: ANN201
    from courseport import migrate
    from courseport.core.identity import accounts, admin
    from courseport.db import make_engine, transaction

    engine = make_engine(database_url)
    migrate.upgrade(engine)
    with transaction(engine, write=True) as db:
        admin.reset_store(db, keep_admins=False)
        accounts.ensure_root(db)
        user, _ = admin.create_token_for(db, "admin", admin=True, purpose="bench")
        user_id = user.id
    return engine, user_id


def new_course(engine, user_id: int, name: str) -> int:  # noqa: ANN001
    from courseport.core.courses import courses
    from courseport.core.identity import accounts
    from courseport.db import transaction
    from courseport.schema import User

    with transaction(engine, write=True) as db:
        return courses.create_course(db, db.get(User, user_id), accounts.ROOT_ACCOUNT_ID,
                                     courses.CourseChanges(name=name)).id


def build_source(engine, course_id: int, shape: Shape) -> int:  # noqa: ANN001
    """Bulk-insert the source course's folders, files and items; returns the item count."""
    from courseport.db import transaction
    from courseport.schema import Blob, File, Folder
    from courseport.schema.base import utcnow

    now = utcnow()
    with transaction(engine, write=True) as db:
        root = _insert(db, Folder, [{"course_id": course_id, "name": "course files", "full_name": "course files",
                                     "parent_folder_id": None, "created_at": now, "updated_at": now}])[0]
        folders = _insert(db, Folder, [{"course_id": course_id, "name": f"f{n}", "full_name": f"course files/f{n}",
                                        "parent_folder_id": root, "position": n, "created_at": now,
                                        "updated_at": now} for n in range(shape.folders - 1)])
        db.execute(insert(Blob), [{"sha256": f"{n:064x}", "size": 1000 + n, "created_at": now}
                                  for n in range(shape.files)])
        files = _insert(db, File, [{
            "uuid": f"bench-{course_id}-{n}", "course_id": course_id, "folder_id": folders[n % len(folders)],
            "folder_path": f"course files/f{n % len(folders)}", "display_name": f"file{n}.pdf",
            "filename": f"file{n}.pdf", "content_type": "application/pdf", "size": 1000 + n,
            "blob_sha256": f"{n:064x}", "created_at": now, "updated_at": now} for n in range(shape.files)])
        return _build_items(db, course_id, files, now, shape)


def _build_items(db, course_id: int, files: list[int], now, shape: Shape) -> int:  # noqa: ANN001
    from courseport.schema import ContentItem, ContentLink

    def rows(typ: str, n: int, **fields):  # noqa: ANN202
        return [{"course_id": course_id, "type": typ, "position": i + 1, "title": f"{typ} {i}",
                 "workflow_state": "published", "data": {}, "local_edits": {}, "field_hashes": {},
                 "created_at": now, "updated_at": now,
                 **{k: (v(i) if callable(v) else v) for k, v in fields.items()}} for i in range(n)]

    s = shape
    groups = _insert(db, ContentItem, rows("assignment_group", s.groups))
    assignments = _insert(db, ContentItem, rows("assignment", s.assignments,
                                                parent_id=lambda i: groups[i % s.groups],
                                                points=10.0, body="<p>Do the work.</p>"))
    pages = _insert(db, ContentItem, rows("page", s.pages, slug=lambda i: f"page-{i}", body=lambda i: (
        f'<a href="/courses/{course_id}/pages/page-{(i + 1) % s.pages}">next</a> '
        f'<a href="/courses/{course_id}/files/{files[i % len(files)]}/download">file</a>'
        if i % 10 == 0 else "<p>Reading.</p>")))
    quizzes = _insert(db, ContentItem, rows("quiz", s.quizzes, ref_id=lambda i: assignments[i]))
    _insert(db, ContentItem, rows("quiz_question", s.quizzes * s.questions_per_quiz,
                                  parent_id=lambda i: quizzes[i // s.questions_per_quiz], points=1.0))
    _insert(db, ContentItem, rows("discussion_topic", s.topics, workflow_state="active"))
    _insert(db, ContentItem, rows("calendar_event", s.events, workflow_state="active"))
    modules = _insert(db, ContentItem, rows("module", s.modules, workflow_state="active",
                                            data=lambda i: {"prerequisite_module_ids": []}))
    targets = [("ref_id", pages), ("ref_id", assignments), ("file_id", files)]

    def module_item(i: int) -> dict:
        column, ids = targets[i % 3]
        return {column: ids[i % len(ids)]}

    items = rows("module_item", s.modules * s.items_per_module,
                 parent_id=lambda i: modules[i // s.items_per_module], workflow_state="active")
    for i, row in enumerate(items):
        row.update({"ref_id": None, "file_id": None, **module_item(i)})
    _insert(db, ContentItem, items)
    link_rows = [{"item_id": pages[i], "target_item_id": pages[(i + 1) % s.pages], "target_file_id": None}
                 for i in range(0, s.pages, 10)]
    link_rows += [{"item_id": pages[i], "target_item_id": None, "target_file_id": files[i % len(files)]}
                  for i in range(0, s.pages, 10)]
    db.execute(insert(ContentLink), link_rows)
    return db.scalar(select(func.count()).select_from(ContentItem).where(ContentItem.course_id == course_id))


def _insert(db, model, rows: list[dict]) -> list[int]:  # noqa: ANN001
    """Insert many rows at once and return their ids in order."""
    table = model.__table__
    before = db.scalar(select(func.coalesce(func.max(table.c.id), 0)))
    db.execute(insert(table), rows)
    return list(db.scalars(select(table.c.id).where(table.c.id > before).order_by(table.c.id)))


def raw_copy(engine, source_id: int, target_id: int) -> float:  # noqa: ANN001
    """The floor: one INSERT ... SELECT per table, nothing matched or remapped."""
    from courseport.core.copy.copying import new_uuid
    from courseport.db import transaction
    from courseport.schema import ContentItem, File, Folder

    start = time.perf_counter()
    with transaction(engine, write=True) as db:
        for model, swaps in ((Folder, {}), (File, {"uuid": new_uuid(db)}), (ContentItem, {})):
            table = model.__table__
            columns = [c for c in table.columns if c.key != "id"]
            values = [literal(target_id) if c.key == "course_id" else swaps.get(c.key, c) for c in columns]
            db.execute(insert(table).from_select([c.key for c in columns],
                                                 select(*values).where(table.c.course_id == source_id)))
    return time.perf_counter() - start


def engine_copy(engine, source_id: int, target_id: int) -> tuple[float, dict]:  # noqa: ANN001
    from courseport.core.copy import components, copying

    payload = {"source_course_id": source_id, "target_course_id": target_id,
               "selection": sorted(components.selection()), "picked": None}
    start = time.perf_counter()
    result = copying.copy_course(engine, payload)
    return time.perf_counter() - start, result


def blob_bytes(engine) -> int:  # noqa: ANN001
    from courseport.db import transaction
    from courseport.schema import Blob

    with transaction(engine, write=False) as db:
        return db.scalar(select(func.coalesce(func.sum(Blob.size), 0)))


def rows_of(engine, course_id: int) -> dict[str, int]:  # noqa: ANN001
    """Live rows of a course per item type, plus its files and folders."""
    from courseport.db import transaction
    from courseport.schema import ContentItem, File, Folder

    with transaction(engine, write=False) as db:
        counts: dict[str, int] = dict(db.execute(select(ContentItem.type, func.count()).where(
            ContentItem.course_id == course_id, ContentItem.workflow_state != "deleted")
            .group_by(ContentItem.type)).all())
        counts["file"] = db.scalar(select(func.count()).select_from(File).where(File.course_id == course_id))
        counts["folder"] = db.scalar(select(func.count()).select_from(Folder).where(Folder.course_id == course_id))
    return dict(sorted(counts.items()))


def check(ok: bool, what: str) -> None:
    """A wrong result fails the run in every mode: a fast wrong copy measures nothing."""
    if not ok:
        raise SystemExit(f"FAILED: {what}")


def check_copy(engine, source: dict[str, int], target_id: int, what: str) -> None:  # noqa: ANN001
    got = rows_of(engine, target_id)
    check(got == source, f"{what}: target rows {got} differ from the source's {source}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="PostgreSQL URL (the database is EMPTIED); default: temp SQLite")
    parser.add_argument("--rounds", type=int, default=None, help="timed rounds (default 5, --quick 2)")
    parser.add_argument("--quick", action="store_true",
                        help="a tenth of the course and 2 rounds: checks the copies, no target verdict")
    args = parser.parse_args()
    shape, rounds = (QUICK, args.rounds or 2) if args.quick else (FULL, args.rounds or 5)
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        engine, user_id = seed(url)
        try:
            measure(engine, user_id, shape, rounds, quick=args.quick)
        finally:
            engine.dispose()


def measure(engine, user_id: int, shape: Shape, rounds: int, *, quick: bool) -> None:  # noqa: ANN001
    source = new_course(engine, user_id, "Bench source")
    start = time.perf_counter()
    count = build_source(engine, source, shape)
    expected = rows_of(engine, source)
    print(f"database: {engine.dialect.name}; source: {count} content items ({shape.modules} modules), "
          f"{shape.files} files, {shape.folders} folders; built in {time.perf_counter() - start:.2f} s")
    blobs_before = blob_bytes(engine)
    raws, copies = [], []
    for n in range(rounds):
        raw_target = new_course(engine, user_id, f"raw {n}")
        raws.append(raw_copy(engine, source, raw_target))
        check_copy(engine, expected, raw_target, f"raw copy {n}")
        target = new_course(engine, user_id, f"copy {n}")
        seconds, result = engine_copy(engine, source, target)
        copies.append(seconds)
        check_copy(engine, expected, target, f"engine copy {n}")
        check(sum(result["copied"].values()) == sum(expected.values()),
              f"engine copy {n} reports {result['copied']}, the source holds {expected}")
    raw, copy = statistics.median(raws), statistics.median(copies)
    verdict = "" if quick else f" ({'MET' if copy / raw <= TARGET else 'NOT MET'})"
    print(f"raw INSERT ... SELECT: {raw * 1000:.0f} ms (median of {rounds})")
    print(f"copy engine:           {copy * 1000:.0f} ms   ratio {copy / raw:.2f} (target <= {TARGET}){verdict}")
    again, result = engine_copy(engine, source, target)
    print(f"copy again (updates):  {again * 1000:.0f} ms   ratio {again / raw:.2f}; "
          f"updated {sum(result['updated'].values())} rows, copied {sum(result['copied'].values())}")
    check_copy(engine, expected, target, "copy again")
    check(not result["copied"], f"copy again created rows: {result['copied']}")
    tracemalloc.start()
    traced = new_course(engine, user_id, "traced")
    engine_copy(engine, source, traced)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    check_copy(engine, expected, traced, "traced copy")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak Python memory during a copy: {peak / 2**20:.1f} MiB (process max RSS {rss:.0f} MiB)")
    written = blob_bytes(engine) - blobs_before
    print(f"blob bytes written by {rounds + 2} copies: {written}")
    check(written == 0, f"copies wrote {written} blob bytes; a copy shares its blobs")
    print("copies checked: every target holds the source's rows per type; "
          + ("quick run, ratios not judged" if quick else "targets above"))


if __name__ == "__main__":
    main()
