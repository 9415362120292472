"""SIS stickiness over raw HTTP: a course's, section's, user's, term's and account's fields changed through the
API stay as the API left them when a later SIS import sends other values, until an import overrides stickiness;
add_sis_stickiness makes an overriding import's values sticky, clear_sis_stickiness unsticks what it writes.
Each step is read back from the store, and the sticky fields kept are checked in core's table."""

from __future__ import annotations

from sqlalchemy import select

from courseport.schema import Account, Course, Login, Section, SisStickyField, Term, User
from tests.dialects.canvas import sis_csv

RENAMED = {**sis_csv.ALL,
           "accounts.csv": sis_csv.ACCOUNTS.replace("Biology", "SIS Biology"),
           "terms.csv": sis_csv.TERMS.replace("Fall 2026", "SIS Fall"),
           "users.csv": sis_csv.USERS.replace("Alice,Smith,Ali", "Alicia,Smith,Ally"),
           "courses.csv": sis_csv.COURSES.replace("BIO 101,Biology 101", "BIO 1O1,SIS Biology 101"),
           "sections.csv": sis_csv.SECTIONS.replace("Section A", "SIS Section A")}


def _run(world, files: dict[str, str], **fields: str) -> dict:
    with world.client(world.admin_token) as c:
        done = sis_csv.imported(world, c, sis_csv.zip_of(files), "roster.zip", **fields)
    assert done["workflow_state"] == "imported", done
    return done


def _names(world) -> dict[str, object]:
    with world.tx() as db:
        course = db.scalar(select(Course).where(Course.sis_course_id == "BIO101"))
        alice = db.get_one(User, db.scalar(select(Login.user_id).where(Login.sis_user_id == "u1")))
        return {"course": (course.name, course.course_code),
                "section": db.scalar(select(Section.name).where(Section.sis_section_id == "BIO101-A")),
                "user": (alice.name, alice.short_name),
                "term": db.scalar(select(Term.name).where(Term.sis_term_id == "T1")),
                "account": db.scalar(select(Account.name).where(Account.sis_account_id == "BIO"))}


def _sticky(world) -> set[tuple[str, str]]:
    with world.tx() as db:
        return {(row.record_type, row.field) for row in db.scalars(select(SisStickyField))}


def _edit_through_the_api(world) -> None:
    with world.tx() as db:
        course = db.scalar(select(Course.id).where(Course.sis_course_id == "BIO101"))
        section = db.scalar(select(Section.id).where(Section.sis_section_id == "BIO101-A"))
        term = db.scalar(select(Term.id).where(Term.sis_term_id == "T1"))
        account = db.scalar(select(Account.id).where(Account.sis_account_id == "BIO"))
    with world.client(world.admin_token) as c:
        answers = [c.put(f"/api/v1/courses/{course}", json={"course": {"name": "Hand Biology"}}),
                   c.put(f"/api/v1/sections/{section}", json={"course_section": {"name": "Hand Section"}}),
                   c.put("/api/v1/users/sis_user_id:u1", json={"user": {"name": "Hand Alice"}}),
                   c.put(f"/api/v1/accounts/1/terms/{term}", json={"enrollment_term": {"name": "Hand Fall"}}),
                   c.put(f"/api/v1/accounts/{account}", json={"account": {"name": "Hand Biology Dept"}})]
    assert [a.status_code for a in answers] == [200] * 5, [a.text for a in answers]


# the API sets the short name with the name
HAND = {"course": ("Hand Biology", "BIO 1O1"), "section": "Hand Section", "user": ("Hand Alice", "Hand Alice"),
        "term": "Hand Fall", "account": "Hand Biology Dept"}
SIS = {"course": ("SIS Biology 101", "BIO 1O1"), "section": "SIS Section A", "user": ("Alicia Smith", "Ally"),
       "term": "SIS Fall", "account": "SIS Biology"}


def test_api_changes_stick_until_an_import_overrides_them(world):
    _run(world, sis_csv.ALL)
    assert _sticky(world) == set()  # an import's own writes mark nothing
    _edit_through_the_api(world)
    hand_set = {("course", "name"), ("section", "name"), ("user", "name"), ("user", "short_name"),
                ("user", "sortable_name"), ("term", "name"), ("account", "name")}
    assert _sticky(world) == hand_set
    _run(world, RENAMED)
    assert _names(world) == HAND  # sticky fields kept; the course code (not changed by hand) follows SIS
    _run(world, RENAMED, override_sis_stickiness="true")
    assert _names(world) == SIS and _sticky(world) == hand_set  # overridden, still sticky
    _edit_through_the_api(world)
    _run(world, RENAMED, add_sis_stickiness="true", clear_sis_stickiness="true")  # without override: ignored
    assert _names(world) == HAND


def test_add_and_clear_stickiness(world):
    _run(world, sis_csv.ALL)
    _run(world, RENAMED, override_sis_stickiness="true", add_sis_stickiness="true")
    assert _names(world) == SIS
    assert ("course", "name") in _sticky(world) and ("course", "course_code") in _sticky(world)
    _run(world, sis_csv.ALL)  # SIS's own earlier values, now sticky, stay
    assert _names(world) == SIS
    _run(world, sis_csv.ALL, override_sis_stickiness="true", add_sis_stickiness="true", clear_sis_stickiness="true")
    assert _sticky(world) == set()  # clear wins over add
    assert _names(world)["course"] == ("Biology 101", "BIO 101")
    _run(world, RENAMED)
    assert _names(world) == SIS


def test_a_sticky_short_name_survives_a_new_sis_name(world):
    _run(world, sis_csv.ALL)
    with world.client(world.admin_token) as c:
        edited = c.put("/api/v1/users/sis_user_id:u2", json={"user": {"short_name": "Bobby"}})
    assert edited.status_code == 200, edited.text
    assert _sticky(world) == {("user", "short_name")}
    _run(world, {"users.csv": sis_csv.USERS.replace("Bob,Jones", "Robert,Jones")})
    with world.tx() as db:
        bob = db.get_one(User, db.scalar(select(Login.user_id).where(Login.sis_user_id == "u2")))
        assert (bob.name, bob.short_name, bob.sortable_name) == ("Robert Jones", "Bobby", "Jones, Robert")
