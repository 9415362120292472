"""What each kind of SIS row does to what it names, import after import: statuses, renames, logins, roles,
observers, and the progress a running import reports."""

from __future__ import annotations

from sqlalchemy import select

from courseport.core.courses import sis_imports
from courseport.core.identity import logins
from courseport.core.jobs import jobs
from courseport.schema import Account, Course, Enrollment, Login, Section, Term, User
from tests.dialects.canvas import sis_csv

BASE_ROSTER = sis_csv.zip_of(sis_csv.ALL)


def _run(world, files: dict[str, str]) -> dict:
    with world.client(world.admin_token) as c:
        return sis_csv.imported(world, c, sis_csv.zip_of(files), "changes.zip")


def _enrollment_states(world) -> dict[tuple[str, str], str]:
    with world.tx() as db:
        rows = db.execute(select(Login.sis_user_id, Enrollment.type, Enrollment.workflow_state).join(
            Login, Login.user_id == Enrollment.user_id)).all()
    return {(sis, etype): state for sis, etype, state in rows}


def test_terms_sections_and_accounts_update_delete_and_come_back(world):
    with world.client(world.admin_token) as c:
        sis_csv.imported(world, c, BASE_ROSTER, "roster.zip")
    first = _run(world, {
        "accounts.csv": "account_id,parent_account_id,name,status\nBIO,SCI,Life Sciences,active\n"
                        "CHEM,NOPE,Chemistry,active\nSCI,,Science,deleted\n",
        "terms.csv": "term_id,name,status\nT1,Autumn 2026,active\nT0,Never,deleted\n",
        "sections.csv": "section_id,course_id,name,status\nBIO101-A,BIO101,Section Alpha,active\n"
                        "BIO101-B,BIO101,Section B,active\n"})
    assert first["processing_warnings"] == [
        ["accounts.csv", "Parent account didn't exist for account CHEM (NOPE) (row 3, column parent_account_id)"],
        ["accounts.csv", "Deleting account SCI is not supported by this import; the account is kept "
                         "(row 4, column status)"]]
    assert first["statistics"]["CourseSection"]["created"] == 1
    second = _run(world, {"terms.csv": "term_id,name,status\nT2,Spare,active\n",
                          "sections.csv": "section_id,course_id,name,status\nBIO101-B,BIO101,Section B,deleted\n"
                                          "BIO101-A,BIO101,Section Alpha,deleted\n"})
    assert second["processing_warnings"] == [
        ["sections.csv", "You can't delete a section that has enrollments (row 3)"]]
    third = _run(world, {"terms.csv": "term_id,name,status\nT2,Spare,deleted\n"})
    back = _run(world, {"terms.csv": "term_id,name,status,start_date\nT2,Spare again,active,2027-01-01\n"})
    assert (third["statistics"]["EnrollmentTerm"]["deleted"], back["statistics"]["EnrollmentTerm"]["restored"]) == (
        1, 1)
    with world.tx() as db:
        assert db.scalar(select(Account.name).where(Account.sis_account_id == "BIO")) == "Life Sciences"
        assert db.scalar(select(Account.workflow_state).where(Account.sis_account_id == "SCI")) == "active"
        assert db.scalar(select(Account.id).where(Account.sis_account_id == "CHEM")) is None
        assert db.scalar(select(Term.name).where(Term.sis_term_id == "T1")) == "Autumn 2026"
        spare = db.scalar(select(Term).where(Term.sis_term_id == "T2"))
        assert (spare.name, spare.workflow_state, spare.start_at.year) == ("Spare again", "active", 2027)
        sections = dict(db.execute(select(Section.sis_section_id, Section.workflow_state).where(
            Section.sis_section_id.is_not(None))).all())
        assert sections == {"BIO101-A": "active", "BIO101-B": "deleted"}
        assert db.scalar(select(Section.name).where(Section.sis_section_id == "BIO101-A")) == "Section Alpha"


def test_course_statuses_move_the_course_through_its_states(world):
    with world.client(world.admin_token) as c:
        sis_csv.imported(world, c, BASE_ROSTER, "roster.zip")
    header = "course_id,short_name,long_name,status\n"
    states = []
    for status in ("completed", "active", "published", "deleted"):
        done = _run(world, {"courses.csv": f"{header}BIO101,BIO 101,Biology 101,{status}\n"})
        assert done["processing_warnings"] == []
        with world.tx() as db:
            states.append(db.scalar(select(Course.workflow_state).where(Course.name == "Biology 101")))
    assert states == ["completed", "unpublished", "available", "deleted"]
    again = _run(world, {"courses.csv": f"{header}BIO101,BIO 101,Biology 101,deleted\n"})
    assert again["statistics"]["total_state_changes"] == 0  # nothing left to delete: skipped


def test_users_are_renamed_suspended_signed_in_deleted_and_reactivated(world):
    with world.client(world.admin_token) as c:
        sis_csv.imported(world, c, BASE_ROSTER, "roster.zip")
    header = "user_id,login_id,password,first_name,last_name,status\n"
    taken = _run(world, {"users.csv": f"{header}u2,alice,,Bob,Jones,active\nu1,alice,,Alice,Smith,suspended\n"})
    assert taken["processing_warnings"] == [
        ["users.csv", "ID already in use for this account and authentication provider (row 2, column login_id)"]]
    with world.tx() as db:
        assert db.scalar(select(Login.workflow_state).where(Login.sis_user_id == "u1")) == "suspended"
        assert logins.password_matches(db.scalar(select(Login).where(Login.sis_user_id == "u1")), "secret-pass-1")
    _run(world, {"users.csv": f"{header}u1,alice,,Alice,Smith,deleted\n"})
    assert _enrollment_states(world)[("u1", "StudentEnrollment")] == "deleted"
    back = _run(world, {"users.csv": f"{header}u1,alice2,new-password,Alice,Smith,active\n"})
    assert back["statistics"]["Pseudonym"]["restored"] == 1
    with world.tx() as db:
        login = db.scalar(select(Login).where(Login.sis_user_id == "u1"))
        assert (login.unique_id, login.workflow_state) == ("alice2", "active")
        assert logins.password_matches(login, "new-password")
        assert db.get(User, login.user_id).workflow_state == "registered"
        assert db.scalar(select(User.id).where(User.name == "Alice Smith").where(User.id != login.user_id)) is None


def test_enrollment_statuses_roles_and_observers(world):
    with world.client(world.admin_token) as c:
        sis_csv.imported(world, c, BASE_ROSTER, "roster.zip")
        role = c.post("/api/v1/accounts/1/roles", data={"label": "Grader", "base_role_type": "TaEnrollment"})
        assert role.status_code == 200, role.text
    _run(world, {"users.csv": "user_id,login_id,full_name,status\np1,parent,Pat Parent,active\n"})
    header = "course_id,user_id,role,status,associated_user_id\n"
    done = _run(world, {"enrollments.csv": f"{header}BIO101,u2,student,completed,\nBIO101,p1,observer,active,u2\n"
                                           f"BIO101,t1,Grader,active,\nBIO101,t1,teacher,deleted,\n"
                                           f"BIO101,u1,observer,active,ghost\n"})
    assert done["processing_warnings"] == [
        ["enrollments.csv", "Associated user not found for enrollment (User ID: u1, Course ID: BIO101, Section ID: , "
                            "Role: observer) (row 6, column associated_user_id)"]]
    assert done["statistics"]["Enrollment"] == {"created": 2, "concluded": 1, "deactivated": 0, "restored": 0,
                                                "deleted": 1}
    states = _enrollment_states(world)
    assert states == {("t1", "TeacherEnrollment"): "deleted", ("t1", "TaEnrollment"): "active",
                      ("u1", "StudentEnrollment"): "active", ("u2", "StudentEnrollment"): "completed",
                      ("p1", "ObserverEnrollment"): "active"}
    with world.tx() as db:
        observer = db.scalar(select(Enrollment).where(Enrollment.type == "ObserverEnrollment"))
        u2 = db.scalar(select(Login.user_id).where(Login.sis_user_id == "u2"))
        grader = db.scalar(select(Enrollment).where(Enrollment.type == "TaEnrollment"))
        assert observer.associated_user_id == u2 and grader.role_id != 4
    again = _run(world, {"enrollments.csv": f"{header}BIO101,t1,Grader,inactive,\nBIO101,t1,Grader,active,\n"})
    assert again["statistics"]["Enrollment"]["deactivated"] == 1 and again["statistics"]["Enrollment"]["restored"] == 1
    assert _enrollment_states(world)[("t1", "TaEnrollment")] == "active"


def test_progress_rises_as_chunks_are_applied(world, monkeypatch):
    monkeypatch.setattr(sis_imports, "CHUNK_ROWS", 1)
    reported: list[float] = []
    real = jobs.JobContext.progress

    def spy(self, percent, message=None, *, force=False):  # noqa: ANN001, ANN202
        reported.append(round(percent, 1))
        return real(self, percent, message, force=force)

    monkeypatch.setattr(jobs.JobContext, "progress", spy)
    with world.client(world.admin_token) as c:
        done = sis_csv.imported(world, c, sis_csv.USERS)
    assert done["progress"] == 100
    assert reported == [0.0, 33.0, 66.0, 99.0]


def test_deleting_a_users_sis_login_keeps_a_user_who_has_another(world):
    """Canvas deletes the row's login; the user stays in the account, enrolled, while another login is live."""
    with world.client(world.admin_token) as c:
        sis_csv.imported(world, c, BASE_ROSTER, "roster.zip")
        with world.tx() as db:
            user_id = db.scalar(select(Login.user_id).where(Login.sis_user_id == "u1"))
        second = c.post("/api/v1/accounts/1/logins", data={"user[id]": user_id, "login[unique_id]": "alice-sso"})
    assert second.status_code == 200, second.text
    done = _run(world, {"users.csv": "user_id,login_id,full_name,status\nu1,alice,Alice Smith,deleted\n"})
    assert (done["workflow_state"], done["statistics"]["Pseudonym"]["deleted"]) == ("imported", 1)
    with world.tx() as db:
        kept = db.execute(select(Login.unique_id, Login.workflow_state).where(Login.user_id == user_id)
                          .order_by(Login.id)).all()
        assert [tuple(k) for k in kept] == [("alice", "deleted"), ("alice-sso", "active")]
        assert db.get(User, user_id).workflow_state == "registered"
    assert _enrollment_states(world)[("u1", "StudentEnrollment")] == "active"


def test_each_object_shows_the_import_that_last_wrote_it(world):
    with world.client(world.admin_token) as c:
        first = sis_csv.imported(world, c, BASE_ROSTER, "roster.zip")["id"]
        second = sis_csv.imported(world, c, sis_csv.zip_of({
            "sections.csv": "section_id,course_id,name,status\nBIO101-A,BIO101,Section Alpha,active\n",
            "users.csv": "user_id,login_id,full_name,status\nu1,alice,Alice Smith,active\n"}), "again.zip")["id"]
        with world.tx() as db:
            term = db.scalar(select(Term.id).where(Term.sis_term_id == "T1"))
        shown = {"account": c.get("/api/v1/accounts/sis_account_id:BIO").json()["sis_import_id"],
                 "term": c.get(f"/api/v1/accounts/1/terms/{term}").json()["sis_import_id"],
                 "section": c.get("/api/v1/sections/sis_section_id:BIO101-A").json()["sis_import_id"],
                 "user u1": c.get("/api/v1/users/sis_user_id:u1").json()["sis_import_id"],
                 "user u2": c.get("/api/v1/users/sis_user_id:u2").json()["sis_import_id"],
                 "account user": {u["sis_user_id"]: u["sis_import_id"] for u in c.get("/api/v1/accounts/1/users").json()
                                  if u["sis_user_id"]}}
    assert second != first and shown == {"account": first, "term": first, "section": second, "user u1": second,
                                         "user u2": first, "account user": {"u1": second, "u2": first, "t1": first}}
    with world.tx() as db:
        assert db.scalar(select(Login.sis_import_id).where(Login.sis_user_id == "u1")) == second
        assert db.scalar(select(Section.sis_import_id).where(Section.sis_section_id == "BIO101-A")) == second


def test_xlists_cross_list_a_section_into_a_course_made_when_new_and_deleted_returns_it(world):
    with world.client(world.admin_token) as c:
        sis_csv.imported(world, c, BASE_ROSTER, "roster.zip")
    header = "xlist_course_id,section_id,status\n"
    done = _run(world, {"xlists.csv": f"{header}XL1,BIO101-A,active\nXL1,GHOST,active\nXL1,BIO101-A,frozen\n"})
    assert (done["workflow_state"], done["data"]["supplied_batches"], done["data"]["counts"]["xlists"]) == (
        "imported_with_messages", ["xlist"], 1)
    assert done["processing_warnings"] == [
        ["xlists.csv", "A cross-listing referenced a non-existent section GHOST (row 3, column section_id)"],
        ["xlists.csv", "Improper status \"frozen\" for cross-listing (Course ID: XL1, Section ID: BIO101-A); status "
                       "must be one of active, deleted (row 4, column status)"]]
    assert done["statistics"]["total_state_changes"] == 0
    with world.tx() as db:
        xl = db.scalar(select(Course).where(Course.sis_course_id == "XL1"))
        home = db.scalar(select(Course).where(Course.sis_course_id == "BIO101"))
        section = db.scalar(select(Section).where(Section.sis_section_id == "BIO101-A"))
        assert (xl.name, xl.enrollment_term_id) == ("Biology 101", home.enrollment_term_id)
        assert (section.course_id, section.nonxlist_course_id) == (xl.id, home.id)
        moved = db.scalar(select(Enrollment.course_id).where(Enrollment.course_section_id == section.id))
        assert moved == xl.id
    back = _run(world, {"xlists.csv": f"{header}XL1,BIO101-A,deleted\n"})
    again = _run(world, {"xlists.csv": f"{header}XL1,BIO101-A,deleted\n"})
    assert (back["data"]["counts"]["xlists"], again["data"]["counts"]["xlists"]) == (1, 0)
    with world.tx() as db:
        section = db.scalar(select(Section).where(Section.sis_section_id == "BIO101-A"))
        assert (section.course_id, section.nonxlist_course_id) == (home.id, None)
