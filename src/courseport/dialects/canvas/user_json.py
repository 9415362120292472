"""Canvas JSON for users: course roster users with their enrollments, the User object itself, account
users, profiles, logins, and the record-errors body of a refused user or login."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from courseport.core.identity import account_users
from courseport.core.kit.errors import InvalidInput
from courseport.core.views.rosters import EnrollmentView, RosterEntry, RosterPage, UserProfile, is_student_enrollment
from courseport.dialects.canvas.protocol import iso
from courseport.schema import Login, User


def avatar_url_of(u: User, origin: str) -> str:
    return u.avatar_url or f"{origin}/images/messages/avatar-50.png"


def name_parts(u: User) -> tuple[str, str]:
    """(first_name, last_name) from the sortable name, "Last, First" as Canvas derives them."""
    last, comma, first = u.sortable_name.partition(",")
    return (first.strip(), last.strip()) if comma else (u.sortable_name.strip(), "")


def render_page_users(page: RosterPage, includes: set[str], origin: str) -> list[dict[str, Any]]:
    return [render_roster_user(entry, page, includes, origin) for entry in page.slice.items]


def render_roster_user(entry: RosterEntry, page: RosterPage, includes: set[str], origin: str) -> dict[str, Any]:
    """A user as a course roster shows them; personal details wait until they accept an enrollment."""
    u, access = entry.user, page.access
    body: dict[str, Any] = {"id": u.id, "name": u.name, "created_at": iso(u.created_at),
                            "sortable_name": u.sortable_name, "short_name": u.short_name}
    if access.sis_ids:
        body["sis_user_id"] = u.sis_user_id
        body["integration_id"] = u.integration_id
    if entry.confirmed and access.sis_import_ids:
        body["sis_import_id"] = u.sis_import_id
    if entry.confirmed and access.login_ids:
        body["login_id"] = u.login_id
    if u.pronouns:
        body["pronouns"] = u.pronouns
    if "avatar_url" in includes:
        body["avatar_url"] = avatar_url_of(u, origin)
    if entry.enrollments is not None:
        body["enrollments"] = [render_enrollment(ev, u, page, includes, origin) for ev in entry.enrollments]
    if "email" in includes and entry.confirmed and access.emails:
        body["email"] = u.email
    if "bio" in includes and entry.confirmed:
        body["bio"] = u.bio
    if "locale" in includes:
        body["locale"] = u.locale
    if "last_login" in includes and access.activity:
        body["last_login"] = iso(u.last_login)
    if "custom_links" in includes:
        body["custom_links"] = []
    if "uuid" in includes:
        body["uuid"] = u.uuid
    return body


def render_enrollment(ev: EnrollmentView, user: User, page: RosterPage, includes: set[str], origin: str
                      ) -> dict[str, Any]:
    e, course, access = ev.enrollment, page.course, page.access
    deleted = course.workflow_state == "deleted" or ev.section.workflow_state == "deleted"
    body: dict[str, Any] = {
        "id": e.id, "user_id": e.user_id, "course_id": e.course_id, "type": e.type,
        "created_at": iso(e.created_at), "updated_at": iso(e.updated_at),
        "associated_user_id": e.associated_user_id, "start_at": iso(e.start_at), "end_at": iso(e.end_at),
        "course_section_id": e.course_section_id, "root_account_id": e.root_account_id,
        "limit_privileges_to_course_section": e.limit_privileges_to_course_section,
        "enrollment_state": "deleted" if deleted else e.workflow_state, "role": ev.role_name, "role_id": e.role_id,
    }
    if access.sees_activity(e):
        body.update(last_activity_at=iso(e.last_activity_at), last_attended_at=None,
                    total_activity_time=e.total_activity_time)
    if access.sis_import_ids:
        body["sis_import_id"] = e.sis_import_id
    if is_student_enrollment(e):
        body["grades"] = render_grades(ev, page, includes, origin)
    if access.sis_ids:
        body.update(sis_account_id=page.account.sis_account_id, sis_course_id=course.sis_course_id,
                    course_integration_id=course.integration_id, sis_section_id=ev.section.sis_section_id,
                    section_integration_id=ev.section.integration_id, sis_user_id=user.sis_user_id)
    body["html_url"] = f"{origin}/courses/{e.course_id}/users/{e.user_id}"
    if "locked" in includes:
        body["locked"] = e.sis_import_id is not None and not access.unlocks_sis
    return body


def render_grades(ev: EnrollmentView, page: RosterPage, includes: set[str], origin: str) -> dict[str, Any]:
    """Course totals as the viewer may see them: graders also see grades not yet posted."""
    e, scores = ev.enrollment, ev.scores
    grades: dict[str, Any] = {"html_url": f"{origin}/courses/{e.course_id}/grades/{e.user_id}"}
    if not page.access.sees_grades(e):
        return grades
    if "current_grading_period_scores" in includes:
        grades["grading_period_id"] = ev.period_id
    grades.update(current_grade=scores and scores.current_grade, current_score=scores and scores.current_score,
                  final_grade=scores and scores.final_grade, final_score=scores and scores.final_score)
    if page.access.graders_view:
        grades.update(unposted_current_score=scores and scores.unposted_current_score,
                      unposted_current_grade=scores and scores.unposted_current_grade,
                      unposted_final_score=scores and scores.unposted_final_score,
                      unposted_final_grade=scores and scores.unposted_final_grade)
    return grades


def render_profile(profile: UserProfile, includes: set[str], origin: str) -> dict[str, Any]:
    """The Canvas User object for GET /users/:id: what its owner or an admin may see."""
    u = profile.user
    first_name, last_name = name_parts(u)
    body: dict[str, Any] = {
        "id": u.id, "name": u.name, "created_at": iso(u.created_at), "sortable_name": u.sortable_name,
        "short_name": u.short_name, "first_name": first_name, "last_name": last_name,
    }
    if profile.is_admin:
        body.update(sis_user_id=u.sis_user_id, integration_id=u.integration_id, sis_import_id=u.sis_import_id)
    if profile.is_admin or profile.is_self:
        body.update(login_id=u.login_id)
    if u.pronouns:
        body["pronouns"] = u.pronouns
    body["avatar_url"] = avatar_url_of(u, origin)
    if profile.is_admin or profile.is_self:
        body["email"] = u.email
    body.update(locale=u.locale, time_zone=u.time_zone, bio=u.bio)
    if profile.is_self:
        body["effective_locale"] = u.locale or "en"
    body["permissions"] = {"can_update_name": True, "can_update_avatar": True,
                           "limit_parent_app_web_access": False}
    if "uuid" in includes:
        body["uuid"] = u.uuid
    if "last_login" in includes:
        body["last_login"] = iso(u.last_login)
    return body


def render_account_user(u: User, includes: set[str], origin: str) -> dict[str, Any]:
    """A user as an account's admins list them (Canvas's user_json with SIS and login ids)."""
    body: dict[str, Any] = {
        "id": u.id, "name": u.name, "created_at": iso(u.created_at), "sortable_name": u.sortable_name,
        "short_name": u.short_name, "sis_user_id": u.sis_user_id, "integration_id": u.integration_id,
        "sis_import_id": u.sis_import_id, "login_id": u.login_id,
    }
    if u.pronouns:
        body["pronouns"] = u.pronouns
    if "avatar_url" in includes:
        body["avatar_url"] = avatar_url_of(u, origin)
    if "email" in includes:
        body["email"] = u.email
    if "locale" in includes:
        body["locale"] = u.locale
    if "last_login" in includes:
        body["last_login"] = iso(u.last_login)
    if "time_zone" in includes:
        body["time_zone"] = u.time_zone
    if "uuid" in includes:
        body["uuid"] = u.uuid
    return body


_GUARDED_IDS = ("sis_user_id", "integration_id", "sis_import_id", "login_id")


def render_users_seen_by(db: Session, me: User, users: list[User], includes: set[str], origin: str
                         ) -> list[dict[str, Any]]:
    """Canvas's user JSON for lists of people around the viewer (observees, group members): SIS and login
    ids only for admins over each user."""
    bodies = []
    for user in users:
        body = render_account_user(user, includes, origin)
        if not account_users.administers_user(db, me.id, user):
            for key in _GUARDED_IDS:
                body.pop(key)
        bodies.append(body)
    return bodies


def render_user_profile(profile: UserProfile, origin: str) -> dict[str, Any]:
    """The Canvas Profile object: ids and email for the user themself and their admins."""
    u = profile.user
    body: dict[str, Any] = {
        "id": u.id, "name": u.name, "short_name": u.short_name, "sortable_name": u.sortable_name,
        "title": None, "bio": u.bio, "pronunciation": None, "primary_email": None, "login_id": None,
        "integration_id": None, "avatar_url": avatar_url_of(u, origin),
        "calendar": {"ics": f"{origin}/feeds/calendars/user_{u.uuid}.ics"},
        "time_zone": u.time_zone, "locale": u.locale, "k5_user": False, "use_classic_font_in_k5": False,
    }
    if profile.is_self or profile.is_admin:
        body.update(primary_email=u.email, login_id=u.login_id)
    if profile.is_admin:
        body.update(sis_user_id=u.sis_user_id, integration_id=u.integration_id)
    if profile.is_self:
        body["effective_locale"] = u.locale or "en"
    if u.pronouns:
        body["pronouns"] = u.pronouns
    return body


def render_login(login: Login, sees_sis: bool) -> dict[str, Any]:
    """Canvas's Login (pseudonym) object; SIS ids only for those who read SIS data (Canvas's read_sis)."""
    body: dict[str, Any] = {"id": login.id, "user_id": login.user_id, "account_id": login.account_id,
                            "unique_id": login.unique_id}
    if sees_sis:
        body.update(sis_user_id=login.sis_user_id, integration_id=login.integration_id)
    body.update(authentication_provider_id=login.authentication_provider_id, created_at=iso(login.created_at),
                workflow_state=login.workflow_state, declared_user_type=login.declared_user_type)
    return body


def record_error(exc: InvalidInput) -> dict[str, list[dict[str, str]]]:
    """One attribute's errors as Canvas renders a record's validation errors."""
    return {exc.field: [{"attribute": exc.field, "type": getattr(exc, "reason", "invalid"), "message": exc.message}]}


def user_create_errors(exc: InvalidInput) -> dict[str, Any]:
    """Canvas's body for a refused user create: errors by record (user, pseudonym, ...); a login
    error also marks the user's pseudonyms invalid, as Canvas's validation cascade reports it."""
    on_login = exc.field in LOGIN_ATTRIBUTES
    pseudonyms = {"pseudonyms": [{"attribute": "pseudonyms", "type": "invalid", "message": "is invalid"}]}
    return {"errors": {"user": pseudonyms if on_login else record_error(exc),
                       "pseudonym": record_error(exc) if on_login else {},
                       "observee": {}, "pairing_code": {}, "recaptcha": None}}


LOGIN_ATTRIBUTES = frozenset({"unique_id", "password", "sis_user_id", "integration_id"})
