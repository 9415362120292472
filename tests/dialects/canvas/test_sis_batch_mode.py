"""SIS batch mode over raw HTTP: the term's SIS courses, sections and enrollments an import leaves out are
deleted after it (hand-made ones, other terms' and kinds not supplied stay), the change threshold aborts the
cleanup with nothing deleted, multi-term batch mode takes the terms file's terms, and Canvas's refusals."""

from __future__ import annotations

from sqlalchemy import select

from courseport.schema import Course, Enrollment, Job, Login, Section, Term
from tests.dialects.canvas import sis_csv
from tests.dialects.canvas.test_sis_imports import NO_CHANGES, NO_COUNTS, UNTOUCHED_CLASSES

ROSTER = sis_csv.zip_of(sis_csv.ALL)
COURSES = ("course_id,short_name,long_name,term_id,status\n"
           "BIO101,BIO 101,Biology 101,T1,active\nCHEM101,CHEM 101,Chemistry 101,T1,active\n")
SECTIONS = "section_id,course_id,name,status\nCHEM101-A,CHEM101,Section A,active\n"
ENROLLMENTS = "course_id,user_id,role,status\nCHEM101,u1,student,active\nBIO101,u2,student,active\n"


def _load(world) -> tuple[int, int]:
    """The base roster (BIO101 in T1 with section BIO101-A and three enrollments), a hand-made course in T1
    and an SIS course in the default term; answers T1's id and the hand-made course's."""
    with world.client(world.admin_token) as c:
        sis_csv.imported(world, c, ROSTER, "roster.zip")
        sis_csv.imported(world, c, "course_id,short_name,long_name,status\nOLD1,OLD 1,Old,active\n", "c.csv")
    with world.tx() as db:
        term = db.scalar(select(Term.id).where(Term.sis_term_id == "T1"))
    hand = world.course("By hand", term_id=term)
    return term, hand.id


def _states(world, model, column) -> dict[str, str]:
    with world.tx() as db:
        return dict(db.execute(select(column, model.workflow_state).where(column.is_not(None))).all())


def _enrollments(world) -> dict[tuple[str, str], str]:
    with world.tx() as db:
        rows = db.execute(select(Login.sis_user_id, Course.sis_course_id, Enrollment.workflow_state)
                          .join(Login, Login.user_id == Enrollment.user_id)
                          .join(Course, Course.id == Enrollment.course_id)).all()
    return {(user, course or "(deleted)"): state for user, course, state in rows}


def test_batch_mode_deletes_what_the_import_left_out_of_its_term(world):
    term, _ = _load(world)
    files = {"courses.csv": COURSES.replace("BIO101,BIO 101,Biology 101,T1,active\n", ""), "sections.csv": SECTIONS,
             "enrollments.csv": ENROLLMENTS.replace("BIO101,u2,student,active\n", "")}
    with world.client(world.admin_token) as c:
        done = sis_csv.imported(world, c, sis_csv.zip_of(files), "batch.zip", batch_mode="true",
                                batch_mode_term_id="sis_term_id:T1", change_threshold="")
    assert done == {
        "id": done["id"], "created_at": done["created_at"], "started_at": done["started_at"],
        "ended_at": done["ended_at"], "updated_at": done["updated_at"], "workflow_state": "imported",
        "data": {"import_type": "instructure_csv", "supplied_batches": ["course", "section", "enrollment"],
                 "counts": {**NO_COUNTS, "courses": 1, "sections": 1, "enrollments": 1, "batch_courses_deleted": 1,
                            "batch_sections_deleted": 1, "batch_enrollments_deleted": 3}},
        "statistics": {"total_state_changes": 8, "Account": NO_CHANGES, "EnrollmentTerm": NO_CHANGES,
                       "Pseudonym": NO_CHANGES, "Course": {**NO_CHANGES, "created": 1, "deleted": 1},
                       "CourseSection": {**NO_CHANGES, "created": 1, "deleted": 1},
                       "Enrollment": {**NO_CHANGES, "created": 1, "deleted": 3}, **UNTOUCHED_CLASSES},
        "progress": 100, "errors_attachment": None, "processing_warnings": [], "processing_errors": [],
        "batch_mode": True, "batch_mode_term_id": term, "multi_term_batch_mode": False, "skip_deletes": False,
        "override_sis_stickiness": None, "add_sis_stickiness": None, "clear_sis_stickiness": None,
        "diffing_data_set_identifier": None, "diffed_against_import_id": None, "change_threshold": None,
        "diffing_remaster": False, "diffing_drop_status": None, "diffing_user_remove_status": None,
        "diffing_threshold_exceeded": False, "csv_attachments": []}
    assert _states(world, Course, Course.name) == {"Biology 101": "deleted", "Chemistry 101": "unpublished",
                                                   "Old": "unpublished", "By hand": "available"}  # by hand: kept
    assert _states(world, Section, Section.sis_section_id) == {"BIO101-A": "deleted", "CHEM101-A": "active"}
    assert _enrollments(world) == {("t1", "(deleted)"): "deleted", ("u1", "(deleted)"): "deleted",
                                   ("u2", "(deleted)"): "deleted", ("u1", "CHEM101"): "active"}


def test_only_the_kinds_supplied_are_cleaned_up_and_a_mentioned_row_keeps_its_object(world):
    term, _ = _load(world)
    with world.client(world.admin_token) as c:
        done = sis_csv.imported(world, c, "course_id,user_id,role,status\nBIO101,u2,student,active\n", "e.csv",
                                batch_mode="1", batch_mode_term_id=str(term))
    assert (done["workflow_state"], done["batch_mode_term_id"], done["statistics"]["Enrollment"]) == (
        "imported", term, {**NO_CHANGES, "deleted": 2})
    assert {k: v for k, v in done["data"]["counts"].items() if v} == {"enrollments": 1, "batch_enrollments_deleted": 2}
    assert _states(world, Course, Course.sis_course_id)["BIO101"] == "available"
    assert _states(world, Section, Section.sis_section_id) == {"BIO101-A": "active"}
    assert _enrollments(world) == {("t1", "BIO101"): "deleted", ("u1", "BIO101"): "deleted",
                                   ("u2", "BIO101"): "active"}


def test_a_change_threshold_exceeded_aborts_the_cleanup_with_nothing_deleted(world):
    term, _ = _load(world)
    files = {"courses.csv": COURSES, "sections.csv": SECTIONS,
             "enrollments.csv": ENROLLMENTS.replace("BIO101,u2,student,active\n", "")}
    with world.client(world.admin_token) as c:
        done = sis_csv.imported(world, c, sis_csv.zip_of(files), "batch.zip", batch_mode="true",
                                batch_mode_term_id=str(term), change_threshold="50")
    # courses: 0 of 2 stale; sections: 1 of 2 (50%, not over); enrollments: 3 of 4 (75%): aborted
    assert (done["workflow_state"], done["processing_errors"], done["change_threshold"]) == (
        "aborted", [[None, "3 enrollments would be deleted and exceeds the set threshold of 50%"]], 50)
    assert {k: v for k, v in done["data"]["counts"].items() if v} == {
        "courses": 2, "sections": 1, "enrollments": 1, "error_count": 1}
    assert _states(world, Section, Section.sis_section_id) == {"BIO101-A": "active", "CHEM101-A": "active"}
    assert set(_enrollments(world).values()) == {"active"}


def test_multi_term_batch_mode_cleans_up_the_terms_file_terms(world):
    _load(world)
    with world.client(world.admin_token) as c:
        no_terms = sis_csv.imported(world, c, COURSES, "courses.csv", multi_term_batch_mode="true",
                                    change_threshold="100")
        done = sis_csv.imported(world, c, sis_csv.zip_of({
            "terms.csv": "term_id,name,status\nT1,Fall 2026,active\n",
            "courses.csv": "course_id,short_name,long_name,term_id,status\nCHEM101,CHEM 101,Chem,T1,active\n"}),
            "multi.zip", multi_term_batch_mode="true", change_threshold="100")
    assert (no_terms["workflow_state"], no_terms["processing_errors"]) == (
        "aborted", [[None, "Terms not found. Terms must be included with multi_term_batch_mode"]])
    assert (done["workflow_state"], done["batch_mode"], done["multi_term_batch_mode"], done["batch_mode_term_id"]) == (
        "imported", True, True, None)
    assert done["data"]["counts"]["batch_courses_deleted"] == 1
    assert _states(world, Course, Course.name) == {"Biology 101": "deleted", "Chem": "unpublished",
                                                   "Old": "unpublished", "By hand": "available"}


def test_batch_mode_refusals_are_canvas_bodies_and_queue_nothing(world):
    term, _ = _load(world)
    with world.client(world.admin_token) as c:
        no_term = sis_csv.upload(c, COURSES, "courses.csv", batch_mode="true")
        unknown = sis_csv.upload(c, COURSES, "courses.csv", batch_mode="true", batch_mode_term_id="999999")
        other_sis = sis_csv.upload(c, COURSES, "courses.csv", batch_mode="true", batch_mode_term_id="sis_term_id:X")
        multi = sis_csv.upload(c, COURSES, "courses.csv", multi_term_batch_mode="true")
        not_number = sis_csv.upload(c, COURSES, "courses.csv", batch_mode="true", batch_mode_term_id=str(term),
                                    change_threshold="ten")
        over = sis_csv.upload(c, COURSES, "courses.csv", batch_mode="true", batch_mode_term_id=str(term),
                              change_threshold="101")
        not_batch = sis_csv.upload(c, COURSES, "courses.csv", batch_mode_term_id="999999")
    no_batch_term = {"message": "Batch mode specified, but the given batch_mode_term_id cannot be found."}
    assert [(r.status_code, r.json()) for r in (no_term, unknown, other_sis)] == [(400, no_batch_term)] * 3
    assert (multi.status_code, multi.json()) == (400, {
        "message": "change_threshold is required to use multi term_batch mode."})
    assert (not_number.status_code, not_number.json()) == (400, {"errors": [{
        "message": "change_threshold must be a whole number (a percentage)", "field": "change_threshold"}]})
    assert (over.status_code, over.json()) == (400, {"errors": [{
        "message": "change_threshold must be a percentage from 0 to 100", "field": "change_threshold"}]})
    assert (not_batch.status_code, not_batch.json()["batch_mode"], not_batch.json()["batch_mode_term_id"]) == (
        200, None, None)  # a term without batch mode is ignored, as Canvas does
    with world.tx() as db:
        queued = list(db.scalars(select(Job.id).where(Job.kind == "sis_import").order_by(Job.id)))
    assert len(queued) == 3 and queued[-1] == not_batch.json()["id"]  # the two roster imports and not_batch
