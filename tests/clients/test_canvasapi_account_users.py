"""canvasapi 3.6.0, unmodified, against the live server: account users, logins, acting as a user, roles."""

from __future__ import annotations

import pytest
from canvasapi.exceptions import BadRequest, Forbidden, ResourceDoesNotExist, Unauthorized
from sqlalchemy import select

from courseport.core.identity import logins
from courseport.schema import Login, User


def test_create_get_edit_and_search_users(world):
    account = world.canvas().get_account(1)
    made = account.create_user(
        {"unique_id": "ada@example.edu", "password": "correct horse", "sis_user_id": "ADA1"},
        user={"name": "Ada Lovelace", "time_zone": "Europe/London", "skip_registration": True},
        communication_channel={"type": "email", "address": "ada@math.example.edu", "skip_confirmation": True})
    assert (made.name, made.sortable_name, made.short_name) == ("Ada Lovelace", "Lovelace, Ada", "Ada Lovelace")
    assert (made.login_id, made.sis_user_id) == ("ada@example.edu", "ADA1")
    got = world.canvas().get_user(made.id)
    assert (got.email, got.time_zone, got.login_id) == ("ada@math.example.edu", "Europe/London", "ada@example.edu")
    assert world.canvas().get_user("ADA1", "sis_user_id").id == made.id
    assert world.canvas().get_user("ada@example.edu", "sis_login_id").id == made.id
    edited = got.edit(user={"name": "Ada King", "short_name": "Ada", "locale": "en-GB"})
    assert (edited.name, edited.short_name, edited.sortable_name, edited.locale) == (
        "Ada King", "Ada", "King, Ada", "en-GB")
    world.user("charles", "Charles Babbage")
    assert [u.id for u in account.get_users(search_term="ada k")] == [made.id]
    assert [u.name for u in account.get_users(sort="username")] == ["Admin", "Charles Babbage", "Ada King"]
    listed = list(account.get_users(search_term="ADA1", include=["email", "uuid"]))
    assert listed[0].email == "ada@math.example.edu" and len(listed[0].uuid) == 32
    profile = world.canvas().get_user(made.id).get_profile()
    assert (profile["primary_email"], profile["login_id"]) == ("ada@math.example.edu", "ada@example.edu")
    with world.tx() as db:
        login = db.scalar(select(Login).where(Login.user_id == made.id))
        assert login.password_hash.startswith("scrypt$") and "correct horse" not in login.password_hash
        assert logins.password_matches(login, "correct horse") and not logins.password_matches(login, "wrong one")


def test_account_users_page_with_link_headers(world):
    for n in range(7):
        world.user(f"pager{n}", f"Pager {n}")
    names = [u.name for u in world.canvas().get_account(1).get_users(search_term="pager", per_page=3)]
    assert names == [f"Pager {n}" for n in range(7)]


def test_search_terms_shorter_than_two_are_refused_and_students_may_not_list(world):
    account = world.canvas().get_account(1)
    with pytest.raises(BadRequest):
        list(account.get_users(search_term="a"))
    _, token = world.user_with_token("sam")
    from canvasapi.account import Account

    with pytest.raises(Forbidden):
        list(Account(world.canvas(token)._Canvas__requester, {"id": 1}).get_users())


def test_logins_list_create_edit_and_delete(world):
    account = world.canvas().get_account(1)
    user = account.create_user({"unique_id": "grace"}, user={"name": "Grace Hopper"})
    first = list(user.get_user_logins())
    assert [(lg.unique_id, lg.account_id) for lg in first] == [("grace", 1)]
    second = account.create_user_login(user={"id": user.id}, login={"unique_id": "ghopper", "sis_user_id": "GH"})
    assert (second.user_id, second.unique_id, second.sis_user_id) == (user.id, "ghopper", "GH")
    assert [lg.unique_id for lg in account.get_user_logins(user_id=user.id)] == ["grace", "ghopper"]
    edited = second.edit(login={"unique_id": "amazing.grace"})
    assert edited.unique_id == "amazing.grace"
    deleted = first[0].delete()
    assert (deleted.id, deleted.workflow_state) == (first[0].id, "deleted")
    assert [lg.unique_id for lg in user.get_user_logins()] == ["amazing.grace"]
    assert world.canvas().get_user(user.id).login_id == "amazing.grace"  # the first live login shows
    with pytest.raises(BadRequest):
        account.create_user_login(user={"id": user.id}, login={"unique_id": "AMAZING.grace"})


def test_admin_acting_as_a_student_sees_what_the_student_sees(world):
    mine, other = world.course("Mine"), world.course("Not mine")
    student, student_token = world.user_with_token("stu", name="Stu Dent")
    world.enroll(student, mine)
    as_student = world.canvas()
    own = [c.id for c in world.canvas(student_token).get_courses()]
    acted = [c.id for c in as_student.get_courses(as_user_id=student.id)]
    assert own == acted == [mine.id]
    assert as_student.get_course(other.id).name == "Not mine"  # the admin's own view
    me = as_student.get_user("self", as_user_id=f"sis_login_id:{student.login_id}")
    assert (me.id, me.name) == (student.id, "Stu Dent")
    with pytest.raises(Forbidden):
        as_student.get_course(other.id, as_user_id=student.id)


def test_a_student_may_not_act_as_anyone(world):
    student, token = world.user_with_token("stu")
    other = world.user("other")
    with pytest.raises(Unauthorized):
        world.canvas(token).get_user("self", as_user_id=other.id)
    assert world.canvas(token).get_user("self", as_user_id=student.id).id == student.id


def test_delete_user_from_the_account(world):
    account = world.canvas().get_account(1)
    user = account.create_user({"unique_id": "leaving"}, user={"name": "Leaving Soon"})
    gone = account.delete_user(user)
    assert gone.id == user.id
    with world.tx() as db:
        assert db.get(User, user.id).workflow_state == "deleted"
    with pytest.raises(ResourceDoesNotExist):
        world.canvas().get_user(user.id)
    assert [u.id for u in account.get_users(search_term="leaving")] == []


def test_roles(world):
    account = world.canvas().get_account(1)
    roles = list(account.get_roles())
    assert [(r.id, r.role, r.label) for r in roles] == [
        (1, "AccountAdmin", "Account Admin"), (3, "StudentEnrollment", "Student"), (4, "TeacherEnrollment", "Teacher"),
        (5, "TaEnrollment", "TA"), (6, "DesignerEnrollment", "Designer"), (7, "ObserverEnrollment", "Observer")]
    teacher = account.get_role(4)
    assert teacher.base_role_type == "TeacherEnrollment" and teacher.permissions["manage_grades"]["enabled"]
    assert not account.get_role(3).permissions["manage_grades"]["enabled"]
