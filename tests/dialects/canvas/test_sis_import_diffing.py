"""Canvas SIS imports over raw HTTP: skip_deletes leaves everything a deleted row names, and a diffing data set
applies only what changed since its last completed import (rows gone: deleted, or the drop statuses asked for;
a remaster applies everything; a file past the change threshold is applied whole), each checked in the import's
body and in the store."""

from __future__ import annotations

from sqlalchemy import select

from courseport.schema import Course, Enrollment, Login, SisDataSet
from tests.dialects.canvas import sis_csv
from tests.dialects.canvas.test_sis_imports import NO_CHANGES

BASE = "/api/v1/accounts/1/sis_imports"


def _run(world, files: dict[str, str], **fields: str) -> dict:
    with world.client(world.admin_token) as c:
        return sis_csv.imported(world, c, sis_csv.zip_of(files), "roster.zip", **fields)


def _counts(done: dict) -> dict[str, int]:
    return {k: v for k, v in done["data"]["counts"].items() if v}


def _enrollments(world) -> dict[str, tuple[str, int | None]]:
    """Each SIS user's enrollment in BIO101: its state and the import that last wrote it."""
    with world.tx() as db:
        rows = db.execute(select(Login.sis_user_id, Enrollment.workflow_state, Enrollment.sis_import_id)
                          .join(Login, Login.user_id == Enrollment.user_id)).all()
    return {user: (state, by) for user, state, by in rows}


def _login_states(world) -> dict[str, str]:
    with world.tx() as db:
        return dict(db.execute(select(Login.sis_user_id, Login.workflow_state)
                               .where(Login.sis_user_id.is_not(None))).all())


def test_skip_deletes_skips_every_deleted_row(world):
    first = _run(world, sis_csv.ALL)
    deletes = {"users.csv": "user_id,login_id,status\nu2,bob,deleted\n",
               "courses.csv": "course_id,short_name,long_name,status\nBIO101,BIO 101,Biology 101,deleted\n",
               "enrollments.csv": "course_id,user_id,role,status\nBIO101,u2,student,deleted\n"}
    done = _run(world, deletes, skip_deletes="true")
    assert (done["workflow_state"], done["skip_deletes"], _counts(done)) == ("imported", True, {})
    assert done["statistics"]["total_state_changes"] == 0
    assert done["statistics"]["Enrollment"] == done["statistics"]["Course"] == NO_CHANGES
    assert _enrollments(world)["u2"] == ("active", first["id"])
    assert _login_states(world)["u2"] == "active"
    with world.tx() as db:
        assert db.scalar(select(Course.workflow_state).where(Course.sis_course_id == "BIO101")) == "available"
    dropped = _run(world, {"enrollments.csv": deletes["enrollments.csv"]})  # without skip_deletes: deleted
    deleted = _run(world, {"users.csv": deletes["users.csv"], "courses.csv": deletes["courses.csv"]})
    assert (_counts(dropped), _counts(deleted)) == ({"enrollments": 1}, {"users": 1, "courses": 1})
    assert _login_states(world)["u2"] == "deleted"


def test_a_data_set_applies_only_what_changed(world):
    first = _run(world, sis_csv.ALL, diffing_data_set_identifier="nightly")
    assert (first["diffing_data_set_identifier"], first["diffed_against_import_id"]) == ("nightly", None)
    assert _counts(first) == {"accounts": 2, "terms": 1, "users": 3, "courses": 1, "sections": 1, "enrollments": 3}
    files = {**sis_csv.ALL, "courses.csv": sis_csv.COURSES.replace("Biology 101", "Biology One"),
             "enrollments.csv": sis_csv.ENROLLMENTS.replace("BIO101,,u2,student,active\n", "")}
    second = _run(world, files, diffing_data_set_identifier="nightly")
    assert (second["workflow_state"], second["diffed_against_import_id"], second["diffing_threshold_exceeded"]) == (
        "imported", first["id"], False)
    assert _counts(second) == {"courses": 1, "enrollments": 1}  # the renamed course and the dropped enrollment
    assert second["statistics"]["Enrollment"] == {**NO_CHANGES, "deleted": 1}
    enrolled = _enrollments(world)
    assert enrolled == {"t1": ("active", first["id"]), "u1": ("active", first["id"]), "u2": ("deleted", second["id"])}
    with world.tx() as db:
        course = db.scalar(select(Course).where(Course.sis_course_id == "BIO101"))
        assert (course.name, course.sis_import_id) == ("Biology One", second["id"])
        stored = db.get(SisDataSet, (1, "nightly"))
        assert (stored.import_id, len(stored.files["enrollments.csv"]["rows"])) == (second["id"], 2)
    other = _run(world, files, diffing_data_set_identifier="weekly")  # another data set: nothing to diff against
    assert (other["diffed_against_import_id"], _counts(other)["users"]) == (None, 3)


def test_drop_statuses_and_a_remaster(world):
    first = _run(world, sis_csv.ALL, diffing_data_set_identifier="nightly")
    files = {**sis_csv.ALL, "users.csv": sis_csv.USERS.replace("u2,bob,,Bob,Jones,,bob@example.org,active\n", ""),
             "enrollments.csv": sis_csv.ENROLLMENTS.replace(",BIO101-A,u1,student,active\n", "")}
    done = _run(world, files, diffing_data_set_identifier="nightly", diffing_drop_status="completed",
                diffing_user_remove_status="suspended")
    assert (done["diffed_against_import_id"], done["diffing_drop_status"], done["diffing_user_remove_status"]) == (
        first["id"], "completed", "suspended")
    assert _counts(done) == {"users": 1, "enrollments": 1}
    assert _enrollments(world)["u1"] == ("completed", done["id"])
    assert _login_states(world) == {"u1": "active", "u2": "suspended", "t1": "active"}
    remaster = _run(world, sis_csv.ALL, diffing_data_set_identifier="nightly", diffing_remaster_data_set="true")
    assert (remaster["diffed_against_import_id"], remaster["diffing_remaster"]) == (None, True)
    assert _counts(remaster)["users"] == 3 and _login_states(world)["u2"] == "active"
    after = _run(world, sis_csv.ALL, diffing_data_set_identifier="nightly")
    assert (after["diffed_against_import_id"], _counts(after)) == (remaster["id"], {})


def test_a_file_past_the_change_threshold_is_applied_whole(world):
    first = _run(world, sis_csv.ALL, diffing_data_set_identifier="nightly")
    files = {"enrollments.csv": sis_csv.ENROLLMENTS.replace("BIO101,,u2,student,active\n", "")}  # a third less
    done = _run(world, files, diffing_data_set_identifier="nightly", change_threshold="10")
    assert (done["diffed_against_import_id"], done["diffing_threshold_exceeded"], done["change_threshold"]) == (
        first["id"], True, 10)
    assert _counts(done) == {"enrollments": 2}  # both rows applied again, u2's left as it was
    assert _enrollments(world)["u2"] == ("active", first["id"])
    within = _run(world, files, diffing_data_set_identifier="nightly", change_threshold="50")
    assert (within["diffing_threshold_exceeded"], _counts(within)) == (False, {})


def test_a_failed_import_is_no_base_and_bad_statuses_are_refused(world):
    first = _run(world, sis_csv.ALL, diffing_data_set_identifier="nightly")
    broken = _run(world, {"users.csv": "nonsense,header\n1,2\n"}, diffing_data_set_identifier="nightly")
    assert broken["workflow_state"] == "failed_with_messages"
    again = _run(world, sis_csv.ALL, diffing_data_set_identifier="nightly")
    assert (again["diffed_against_import_id"], _counts(again)) == (first["id"], {})
    with world.client(world.admin_token) as c:
        bad = sis_csv.upload(c, sis_csv.USERS, diffing_data_set_identifier="x", diffing_drop_status="gone")
        bad_user = sis_csv.upload(c, sis_csv.USERS, diffing_data_set_identifier="x",
                                  diffing_user_remove_status="inactive")
        listed = c.get(BASE).json()["sis_imports"]
    assert (bad.status_code, bad.json()) == (400, {"message": "Invalid diffing_drop_status"})
    assert (bad_user.status_code, bad_user.json()) == (400, {"message": "Invalid diffing_user_remove_status"})
    assert len(listed) == 3  # nothing was queued for the refused ones
