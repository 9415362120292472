"""Canvas SIS imports over raw HTTP: the SisImport body through its states, row problems as warnings naming
file, row and column, files refused whole, hostile zips, raw bodies, and every refusal with its body."""

from __future__ import annotations

import struct

from sqlalchemy import func, select

from courseport.core.courses import sis_imports
from courseport.schema import Course, Enrollment, Login, Section, Term
from tests.dialects.canvas import sis_csv
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND, UNAUTHENTICATED
from tests.races import meeting

BASE = "/api/v1/accounts/1/sis_imports"
NO_COUNTS = {"accounts": 0, "terms": 0, "users": 0, "courses": 0, "sections": 0, "enrollments": 0,
             "change_sis_ids": 0, "abstract_courses": 0, "xlists": 0, "logins": 0, "admins": 0, "group_categories": 0,
             "groups": 0, "group_memberships": 0, "grade_publishing_results": 0, "user_observers": 0,
             "error_count": 0, "warning_count": 0}
NO_CHANGES = {"created": 0, "concluded": 0, "deactivated": 0, "restored": 0, "deleted": 0}
UNTOUCHED_CLASSES = {name: NO_CHANGES for name in ("GroupCategory", "Group", "GroupMembership", "AccountUser",
                                                    "UserObserver", "CommunicationChannel", "AbstractCourse")}


def _logins(world) -> list[str]:
    with world.tx() as db:
        return sorted(db.scalars(select(Login.sis_user_id).where(Login.sis_user_id.is_not(None))))


def test_an_import_from_created_to_imported_whole(world):
    with world.client(world.admin_token) as c:
        made = sis_csv.upload(c, sis_csv.USERS, batch_mode_term_id="", diffing_data_set_identifier="nightly",
                              override_sis_stickiness="true")
        created = made.json()
        assert world.run_jobs() == 1
        done = c.get(f"{BASE}/{created['id']}").json()
    assert made.status_code == 200
    options = {"batch_mode": None, "batch_mode_term_id": None, "multi_term_batch_mode": False, "skip_deletes": False,
               "override_sis_stickiness": True, "add_sis_stickiness": None, "clear_sis_stickiness": None,
               "diffing_data_set_identifier": "nightly", "diffed_against_import_id": None, "change_threshold": None,
               "diffing_remaster": False, "diffing_drop_status": None, "diffing_user_remove_status": None,
               "diffing_threshold_exceeded": False, "csv_attachments": []}
    assert created == {
        "id": created["id"], "created_at": created["created_at"], "started_at": None, "ended_at": None,
        "updated_at": created["updated_at"], "workflow_state": "created",
        "data": {"import_type": "instructure_csv", "supplied_batches": [], "counts": None}, "statistics": None,
        "progress": 0, "errors_attachment": None, "processing_warnings": [], "processing_errors": [], **options}
    stats = {"Account": NO_CHANGES, "EnrollmentTerm": NO_CHANGES, "Pseudonym": {**NO_CHANGES, "created": 3},
             "Course": NO_CHANGES, "CourseSection": NO_CHANGES, "Enrollment": NO_CHANGES, **UNTOUCHED_CLASSES}
    assert done == {
        **created, "started_at": done["started_at"], "ended_at": done["ended_at"], "updated_at": done["updated_at"],
        "workflow_state": "imported", "progress": 100,
        "data": {"import_type": "instructure_csv", "supplied_batches": ["user"], "counts": {**NO_COUNTS, "users": 3}},
        "statistics": {"total_state_changes": 3, **stats}}
    assert done["ended_at"] is not None and _logins(world) == ["t1", "u1", "u2"]


def test_row_problems_are_warnings_and_the_other_rows_are_applied(world):
    files = {
        "users.csv": ("user_id,login_id,password,full_name,status\n"
                      "u1,alice,,Alice Smith,active\n"
                      ",nobody,,No Id,active\n"
                      "u3,,,No Login,active\n"
                      "u4,dan,short,Dan Short,active\n"
                      "u5,eve,,Eve,frozen\n"),
        "courses.csv": ("course_id,short_name,long_name,term_id,status,start_date\n"
                        "C1,C 1,Course One,,active,2026-13-45\n"
                        "C2,C 2,Course Two,NOPE,active,\n"
                        "C3,C 3,Course Three,,active,\n"),
        "enrollments.csv": ("course_id,user_id,role,status\n"
                            "C3,u1,student,active\n"
                            "C3,ghost,student,active\n"
                            "C3,u1,wizard,active\n"
                            "C9,u1,student,active\n")}
    with world.client(world.admin_token) as c:
        done = sis_csv.imported(world, c, sis_csv.zip_of(files), "roster.zip")
    assert done["workflow_state"] == "imported_with_messages"
    assert done["processing_warnings"] == [
        ["users.csv", "No user_id given for user (row 3, column user_id)"],
        ["users.csv", "No login_id given for user u3 (row 4, column login_id)"],
        ["users.csv", "Password for user u4 is too short: at least 8 characters (row 5, column password)"],
        ["users.csv", 'Improper status "frozen" for user u5; status must be one of active, deleted, suspended '
                      "(row 6, column status)"],
        ["courses.csv", 'Bad date format "2026-13-45" in start_date for course C1 (row 2, column start_date)'],
        ["courses.csv", 'Term not found "NOPE" for course C2 (row 3, column term_id)'],
        ["enrollments.csv", "User not found for enrollment (User ID: ghost, Course ID: C3, Section ID: , "
                            "Role: student) (row 3, column user_id)"],
        ["enrollments.csv", 'Improper role "wizard" for enrollment (User ID: u1, Course ID: C3, Section ID: , '
                            "Role: wizard) (row 4, column role)"],
        ["enrollments.csv", "Course not found for enrollment (User ID: u1, Course ID: C9, Section ID: , "
                            "Role: student) (row 5, column course_id)"]]
    assert done["processing_errors"] == []
    counts = done["data"]["counts"]
    assert (counts["users"], counts["courses"], counts["enrollments"], counts["warning_count"]) == (1, 1, 1, 9)
    assert _logins(world) == ["u1"]
    with world.tx() as db:
        assert db.scalars(select(Course.sis_course_id).where(Course.sis_course_id.is_not(None))).all() == ["C3"]
        assert db.scalar(select(func.count()).select_from(Enrollment)) == 1


def test_a_file_of_unknown_kind_fails_the_import_with_nothing_written(world):
    with world.client(world.admin_token) as c:
        unknown = sis_csv.imported(world, c, sis_csv.zip_of({"users.csv": sis_csv.USERS,
                                                             "notes.csv": "title,body\nhello,world\n"}), "roster.zip")
        binary = sis_csv.imported(world, c, b"\xff\xfe\x00\x01garbage", "users.csv")
        empty_zip = sis_csv.imported(world, c, sis_csv.zip_of({}), "roster.zip")
    assert (unknown["workflow_state"], unknown["processing_errors"], unknown["processing_warnings"]) == (
        "failed_with_messages", [["notes.csv", "Couldn't find Canvas CSV import headers in notes.csv"]], [])
    assert (unknown["progress"], unknown["data"]["counts"]["error_count"]) == (100, 1)
    assert binary["processing_errors"] == [["users.csv", "users.csv is not a UTF-8 CSV file"]]
    assert empty_zip["processing_errors"] == [["roster.zip", "roster.zip holds no CSV files"]]
    assert _logins(world) == []


def _declared(data: bytes, size: int) -> bytes:
    """Every entry's uncompressed size in the central directory rewritten (the local headers keep the truth)."""
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        data = data[:at + 24] + struct.pack("<I", size) + data[at + 28:]
        at = data.find(b"PK\x01\x02", at + 4)
    return data


def test_hostile_zips_are_refused_before_any_row(world):
    slip = sis_csv.zip_of({"users.csv": sis_csv.USERS, "../../etc/users.csv": sis_csv.USERS})
    declared = _declared(sis_csv.zip_of({"users.csv": sis_csv.USERS, "terms.csv": sis_csv.TERMS}), 0xF0000000)
    bomb = sis_csv.zip_of({"users.csv": sis_csv.USERS + "\n" * (20 * 1024 * 1024)})
    with world.client(world.admin_token) as c:
        results = [sis_csv.imported(world, c, data, "roster.zip") for data in (slip, declared, bomb)]
    assert [(r["workflow_state"], r["processing_errors"]) for r in results] == [
        ("failed_with_messages",
         [["roster.zip", "roster.zip was refused: entry '../../etc/users.csv' points outside the package (..)"]]),
        ("failed_with_messages", [["roster.zip", "roster.zip was refused: the package unpacks to more than "
                                                 f"{world.services.settings.package_max_unpacked_bytes} bytes"]]),
        ("failed_with_messages",
         [["roster.zip", "roster.zip was refused: entry 'users.csv' expands more than 200:1 (a zip bomb?)"]])]
    assert _logins(world) == []


def test_a_raw_body_with_its_extension_or_content_type(world):
    with world.client(world.admin_token) as c:
        as_csv = c.post(f"{BASE}?import_type=instructure_csv&extension=csv", content=sis_csv.USERS.encode(),
                        headers={"Content-Type": "application/octet-stream"})
        as_zip = c.post(BASE, content=sis_csv.zip_of({"terms.csv": sis_csv.TERMS}),
                        headers={"Content-Type": "application/zip"})
        bad = c.post(f"{BASE}?extension=xml", content=b"<x/>", headers={"Content-Type": "text/xml"})
        assert world.run_jobs() == 2
        first, second = (c.get(f"{BASE}/{r.json()['id']}").json() for r in (as_csv, as_zip))
    assert (first["workflow_state"], first["data"]["counts"]["users"]) == ("imported", 3)
    assert (second["workflow_state"], second["data"]["supplied_batches"]) == ("imported", ["term"])
    assert (bad.status_code, bad.json()) == (400, {"errors": [{"message": "extension must be csv or zip",
                                                               "field": "extension"}]})
    with world.tx() as db:
        assert db.scalar(select(Term.name).where(Term.sis_term_id == "T1")) == "Fall 2026"


def test_refusals_name_the_field_and_write_nothing(world):
    with world.tx() as db:
        from courseport.core.identity import accounts
        sub = accounts.create_account(db, "Science", 1).id
    _, teacher = world.user_with_token("teacher")
    missing = {"errors": [{"message": "attachment is required: send the CSV or zip file as the multipart part named "
                                      "attachment, or as the request body", "field": "attachment"}]}
    with world.client(world.admin_token) as c:
        empty = c.post(BASE, content=b"", headers={"Content-Type": "text/csv"})
        no_part = c.post(BASE, files={"file": ("users.csv", b"x")}, data={"import_type": "instructure_csv"})
        wrong_type = sis_csv.upload(c, sis_csv.USERS, import_type="ims_xml")
        sub_account = sis_csv.upload(c, sis_csv.USERS, account=str(sub))
        unknown = c.get(f"{BASE}/999999")
        unknown_abort = c.put(f"{BASE}/999999/abort")
    with world.client(teacher) as c:
        forbidden = sis_csv.upload(c, sis_csv.USERS)
        listing = c.get(BASE)
    with world.client() as c:
        anonymous = sis_csv.upload(c, sis_csv.USERS)
    assert (empty.status_code, empty.json()) == (400, missing)
    assert (no_part.status_code, no_part.json()) == (400, missing)
    assert (wrong_type.status_code, wrong_type.json()) == (400, {"errors": [{
        "message": "import_type must be one of instructure_csv", "field": "import_type"}]})
    assert (sub_account.status_code, sub_account.json()) == (400, {"errors": [{
        "message": "SIS imports can only be executed on root accounts", "field": "account_id"}]})
    assert [(r.status_code, r.json()) for r in (unknown, unknown_abort)] == [(404, NOT_FOUND)] * 2
    assert [(r.status_code, r.json()) for r in (forbidden, listing)] == [(403, FORBIDDEN)] * 2
    assert (anonymous.status_code, anonymous.json()) == (401, UNAUTHENTICATED)
    assert world.run_jobs() == 0 and _logins(world) == []


def test_list_filters_running_list_and_abort(world):
    with world.client(world.admin_token) as c:
        first = sis_csv.imported(world, c, sis_csv.USERS)
        warned = sis_csv.imported(world, c, "user_id,login_id,status\nx1,,active\n")
        pending = sis_csv.upload(c, sis_csv.TERMS, "terms.csv").json()
        ctx = sis_imports.jobs.claim(world.engine, "w1", 60.0)  # a worker takes it: running
        importing = c.get(f"{BASE}/importing").json()
        listed = c.get(BASE, params={"per_page": 2}).json()
        with_messages = c.get(BASE, params={"workflow_state[]": "imported_with_messages"}).json()
        since = c.get(BASE, params={"created_since": "2999-01-01T00:00:00Z"}).json()
        aborted = c.put(f"{BASE}/{pending['id']}/abort").json()
        finished_abort = c.put(f"{BASE}/{first['id']}/abort")
    assert ctx is not None and ctx.job_id == pending["id"]
    assert [i["id"] for i in importing["sis_imports"]] == [pending["id"]]
    assert importing["sis_imports"][0]["workflow_state"] == "importing"
    assert [i["id"] for i in listed["sis_imports"]] == [pending["id"], warned["id"]]
    assert [i["id"] for i in with_messages["sis_imports"]] == [warned["id"]]
    assert since == {"sis_imports": []}
    assert (aborted["workflow_state"], aborted["progress"]) == ("aborted", 100)
    assert (finished_abort.status_code, finished_abort.json()) == (404, NOT_FOUND)
    outcome = sis_imports.jobs.run(ctx, sis_imports.KIND)  # the worker goes on and finds it aborted
    assert outcome.state == "lost"
    with world.tx() as db:
        assert db.scalar(select(Term.id).where(Term.sis_term_id == "T1")) is None


def test_a_worker_dying_mid_import_is_retried_to_the_same_end(world, monkeypatch):
    """One row per chunk; the first attempt dies after two chunks committed. The retry applies every row
    again: the same users, sections and enrollments, none twice."""
    monkeypatch.setattr(sis_imports, "CHUNK_ROWS", 1)
    real, calls = sis_imports._apply_chunk, {"n": 0}

    def dies_once(ctx, file, rows, result):  # noqa: ANN001, ANN202
        calls["n"] += 1
        if calls["n"] == 7:  # accounts (2), term (1), users (3) committed; the course is next
            raise RuntimeError("worker killed")
        return real(ctx, file, rows, result)

    monkeypatch.setattr(sis_imports, "_apply_chunk", dies_once)
    with world.client(world.admin_token) as c:
        made = sis_csv.upload(c, sis_csv.zip_of(sis_csv.ALL), "roster.zip").json()
        assert world.run_jobs() == 2  # the attempt that died, then its retry
        done = c.get(f"{BASE}/{made['id']}").json()
        again = sis_csv.imported(world, c, sis_csv.zip_of(sis_csv.ALL), "roster.zip")
    assert (done["workflow_state"], done["processing_warnings"]) == ("imported", [])
    assert again["workflow_state"] == "imported"
    assert again["statistics"]["Pseudonym"] == NO_CHANGES  # all known: updated, nothing created
    with world.tx() as db:
        assert _logins(world) == ["t1", "u1", "u2"]
        assert db.scalar(select(func.count()).select_from(Course).where(Course.sis_course_id == "BIO101")) == 1
        assert db.scalar(select(func.count()).select_from(Section).where(Section.sis_section_id.is_not(None))) == 1
        rows = db.execute(select(Enrollment.user_id, Enrollment.course_section_id, Enrollment.type,
                                 Enrollment.sis_import_id)).all()
        assert len(rows) == 3 and len({r[:3] for r in rows}) == 3
        assert {r.sis_import_id for r in rows} == {again["id"]}


def _tenant(world, name: str) -> tuple[int, str]:
    with world.client(world.admin_token) as c:
        made = c.post("/_courseport/tenants", json={"name": name})
    assert made.status_code == 201, made.text
    return made.json()["id"], made.json()["credentials"]["canvas"]["token"]


def test_tenants_import_the_same_sis_ids_apart_and_see_only_their_own(world):
    (a_root, a_token), (b_root, b_token) = _tenant(world, "A"), _tenant(world, "B")
    with world.client(a_token) as a, world.client(b_token) as b:
        a_made = sis_csv.upload(a, sis_csv.zip_of(sis_csv.ALL), "roster.zip", account="self").json()
        b_made = sis_csv.upload(b, sis_csv.zip_of(sis_csv.ALL), "roster.zip", account=str(b_root)).json()
        assert world.run_jobs() == 2
        a_done = a.get(f"/api/v1/accounts/{a_root}/sis_imports/{a_made['id']}").json()
        b_done = b.get(f"/api/v1/accounts/self/sis_imports/{b_made['id']}").json()
        cross = [b.get(f"/api/v1/accounts/{b_root}/sis_imports/{a_made['id']}"),
                 b.get(f"/api/v1/accounts/{a_root}/sis_imports/{a_made['id']}"),
                 b.put(f"/api/v1/accounts/{b_root}/sis_imports/{a_made['id']}/abort")]
        b_list = b.get("/api/v1/accounts/self/sis_imports").json()
    assert (a_done["workflow_state"], b_done["workflow_state"]) == ("imported", "imported"), (a_done, b_done)
    assert [(r.status_code, r.json()) for r in cross] == [(404, NOT_FOUND)] * 3
    assert [i["id"] for i in b_list["sis_imports"]] == [b_made["id"]]
    with world.tx() as db:
        roots = db.execute(select(Course.root_account_id, Course.sis_import_id).where(
            Course.sis_course_id == "BIO101").order_by(Course.root_account_id)).all()
        assert roots == [(a_root, a_made["id"]), (b_root, b_made["id"])]
        assert db.scalar(select(func.count()).select_from(Login).where(Login.sis_user_id == "u1")) == 2


def test_two_imports_of_one_account_at_once_make_each_user_once(world, monkeypatch):
    """Two workers run two imports of the same users at the same moment (PostgreSQL; SQLite's writers take
    turns): the second's chunk waits for the first's, finds the users and updates them."""
    from concurrent.futures import ThreadPoolExecutor

    from courseport.core.courses import sis_apply_identity
    from courseport.core.jobs import jobs

    # both rows in flight before either looks its id up
    monkeypatch.setitem(sis_imports.APPLIERS, "user", meeting(sis_apply_identity.apply_user))
    with world.client(world.admin_token) as c:
        made = [sis_csv.upload(c, sis_csv.USERS).json()["id"] for _ in range(2)]

    def work(name: str) -> None:
        ctx = jobs.claim(world.engine, name, 60)
        assert ctx is not None
        ctx.services = world.services
        jobs.run(ctx, jobs.kind_of(world.engine, ctx.job_id))

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(work, ["one", "two"]))
    with world.client(world.admin_token) as c:
        done = [c.get(f"{BASE}/{n}").json() for n in made]
    assert [d["workflow_state"] for d in done] == ["imported", "imported"]
    assert sorted(d["statistics"]["Pseudonym"]["created"] for d in done) == [0, 3]
    assert _logins(world) == ["t1", "u1", "u2"]
