"""Core calls the Learn face added for people (issue 14): users by any address, a membership's role
changed in place, terms with their details, root users searched."""

from __future__ import annotations

import pytest

from courseport.core.courses import enrollments
from courseport.core.courses.enrollments import EnrollmentRequest
from courseport.core.identity import account_users, terms, users
from courseport.core.identity.account_users import UserFilters
from courseport.core.identity.terms import TermChanges, TermDetails
from courseport.core.kit.errors import InvalidInput, NotAllowed, NotFound
from courseport.core.kit.paging import Window
from courseport.schema import User


def test_find_user_by_each_address_and_never_a_deleted_one(world):
    made = world.user("ann", sis_user_id="S-1")
    with world.tx() as db:
        for kind, value in (("id", made.id), ("login_id", "ann"), ("sis_user_id", "S-1"), ("uuid", made.uuid)):
            assert users.find_user(db, kind, value).id == made.id
        db.get_one(User, made.id).workflow_state = "deleted"
        with pytest.raises(NotFound, match="User not found"):
            users.find_user(db, "login_id", "ann")


def test_change_type_needs_the_rights_of_both_types(world):
    course, student = world.course("Bio"), world.user("kid")
    teacher = world.user("tea")
    with world.tx() as db:
        admin = db.get_one(User, world.admin.id)
        made = enrollments.enroll(db, admin, str(course.id), None, EnrollmentRequest(
            user_ref=str(student.id), type="StudentEnrollment", state="active"))
        enrollments.enroll(db, admin, str(course.id), None, EnrollmentRequest(
            user_ref=str(teacher.id), type="TaEnrollment", state="active"))
        changed = enrollments.change_type(db, admin, str(course.id), str(made.id), "DesignerEnrollment")
        assert (changed.type, changed.role_id) == ("DesignerEnrollment", 6)
        with pytest.raises(InvalidInput):
            enrollments.change_type(db, admin, str(course.id), str(made.id), "Dean")
    with world.tx() as db, pytest.raises(NotAllowed):  # a TA does not add designers
        enrollments.change_type(db, db.get_one(User, teacher.id), str(course.id), str(made.id), "StudentEnrollment")


def test_write_term_keeps_details_and_search_filters(world):
    with world.tx() as db:
        admin = db.get_one(User, world.admin.id)
        view = terms.write_term(db, admin, "1", None, TermChanges({"name", "sis_term_id"}, name="Fall",
                                                                  sis_term_id="FA"),
                                TermDetails({"description", "available"}, description="d", available=False))
        assert (view.term.description, view.term.available, view.term.days_of_use) == ("d", False, None)
        view = terms.write_term(db, admin, "1", str(view.term.id), TermChanges(),
                                TermDetails({"days_of_use"}, days_of_use=30))
        assert (view.term.description, view.term.days_of_use) == ("d", 30)
        with pytest.raises(InvalidInput):
            terms.write_term(db, admin, "1", None, TermChanges(), TermDetails({"days_of_use"}, days_of_use=0))
        found = terms.search_terms(db, admin, "1", "F", False, Window(0, 10)).items
        assert [v.term.sis_term_id for v in found] == ["FA"]


def test_search_users_by_login_and_family_name(world):
    world.user("pupil1", name="Ann Lee")
    world.user("pupil2", name="Bob Ray")
    with world.tx() as db:
        admin = db.get_one(User, world.admin.id)
        found = account_users.search_users(db, admin, UserFilters(login_id="pupil", family_name="Ray"), Window(0, 10))
        assert [u.login_id for u in found.items] == ["pupil2"]
