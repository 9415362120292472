"""Course list JSON pinned byte for byte (after naming the ids a store hands out) for several kinds of
courses and callers, with no include[] and with every one: the list's reads and rendering may change,
its answers may not. `PIN_WRITE=1` rewrites course_list_pins.json from what the server answers now."""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import update

from courseport.core.identity import accounts
from courseport.schema import Account, Course, CourseNickname, Term, User

PINS = Path(__file__).with_name("course_list_pins.json")
EVERY_INCLUDE = ["term", "account", "teachers", "total_students", "favorites", "sections", "permissions",
                 "storage_quota_used_mb", "observed_users", "concluded", "needs_grading_count", "total_scores",
                 "course_progress", "syllabus_body", "public_description", "passback_status", "course_image",
                 "banner_image", "post_manually", "tabs", "current_grading_period_scores"]
_COURSES = {
    "plain": {},
    "dated": {"start_at": datetime(2026, 1, 5, 8, 30, tzinfo=UTC), "end_at": datetime(2026, 6, 30, 17, tzinfo=UTC),
              "restrict_enrollments_to_course_dates": True, "time_zone": "America/Denver", "course_color": "#123456",
              "friendly_name": "Friendly", "locale": "fr", "course_format": "online", "license": "cc_by",
              "is_public": True, "syllabus_body": "<p>Syllabus</p>", "public_description": "About it",
              "image_url": "https://img.example/c.png", "banner_image_url": "https://img.example/b.png",
              "grading_standard_id": 7, "grade_passback_setting": "nightly_sync", "hide_final_grades": True},
    "sis": {"sis_course_id": "SIS-1", "integration_id": "INT-1", "sis_import_id": 42, "homeroom_course": True,
            "start_at": datetime(2026, 2, 1, 9, 15, 30, 250000, tzinfo=UTC)},  # a fraction of a second
    "blueprint": {"blueprint": True, "blueprint_restrictions": {"content": True, "points": False},
                  "use_blueprint_restrictions_by_object_type": True,
                  "blueprint_restrictions_by_object_type": {"assignment": {"content": True, "due_dates": True}}},
    "bare_blueprint": {"blueprint": True, "template": True},
    "unpublished": {"workflow_state": "unpublished"},
    "completed": {"workflow_state": "completed", "image_id": 5},
}


def _store(world) -> tuple[dict[str, Any], dict[str, str]]:
    """The courses, people and nicknames every pinned call reads; the callers' tokens."""
    made = {name: world.course(name.title()) for name in _COURSES}
    people = {login: world.user_with_token(login) for login in ("student", "teacher", "observer", "outsider")}
    with world.tx() as db:
        for name, fields in _COURSES.items():
            db.execute(update(Course).where(Course.id == made[name].id).values(
                uuid=f"uuid-{name}", lti_context_id=f"lti-{name}", created_at=datetime(2025, 12, 1, tzinfo=UTC),
                **fields))
        db.execute(update(Account).values(uuid="uuid-account"))
        db.execute(update(Term).values(created_at=datetime(2025, 11, 1, tzinfo=UTC)))
        student = people["student"][0]
        db.add_all([CourseNickname(user_id=student.id, course_id=made["dated"].id, nickname="My dated"),
                    CourseNickname(user_id=student.id, course_id=made["blueprint"].id, nickname="")])
        accounts.make_admin(db, people["outsider"][0].id)
    for name, course in made.items():
        world.enroll(people["teacher"][0], course, "TeacherEnrollment")
        world.enroll(people["student"][0], course, state="invited" if name == "sis" else "active")
        world.enroll(people["observer"][0], course, "ObserverEnrollment", associated_user_id=people["student"][0].id)
    names = {"course": {c.id: name for name, c in made.items()},
             "user": {u.id: login for login, (u, _) in people.items()} | {world.admin.id: "admin"}}
    return names, {login: token for login, (_, token) in people.items()} | {"admin": world.admin_token}


_CALLS = [  # caller, path (the student's id as {student}), include[]
    ("student", "/api/v1/courses", []), ("student", "/api/v1/courses", EVERY_INCLUDE),
    ("teacher", "/api/v1/courses", []), ("teacher", "/api/v1/courses", EVERY_INCLUDE),
    ("observer", "/api/v1/courses", []), ("observer", "/api/v1/courses", ["observed_users", "total_scores"]),
    ("outsider", "/api/v1/users/{student}/courses", []), ("outsider", "/api/v1/users/{student}/courses", EVERY_INCLUDE),
    ("teacher", "/api/v1/courses?per_page=2&page=2", ["term", "sections"]),
    ("teacher", "/api/v1/courses?state[]=completed&state[]=unpublished", []),
]


def _named(value: Any, names: dict[str, dict[int, str]], origin: str, kind: str = "course") -> Any:
    """`value` with the ids a store hands out replaced by the names of what they are."""
    if isinstance(value, list):
        return [_named(v, names, origin, kind) for v in value]
    if isinstance(value, str):
        value = value.replace(origin, "ORIGIN")
        value = re.sub(r"/courses/(\d+)", lambda m: f"/courses/<{names['course'].get(int(m[1]), m[1])}>", value)
        return re.sub(r"/users/(\d+)", lambda m: f"/users/<{names['user'].get(int(m[1]), m[1])}>", value)
    if not isinstance(value, dict):
        return value
    out = {}
    for key, v in value.items():
        if key == "id" and kind in names and isinstance(v, int):
            v = f"<{kind} {names[kind].get(v, '?')}>"
        elif key in ("user_id", "associated_user_id") and isinstance(v, int):
            v = f"<user {names['user'].get(v, '?')}>"
        elif key == "anonymous_id":
            v = f"<user {names['user'].get(int(v, 16), '?')}>"
        elif key in ("enrollment_term_id", "course_section_id", "section_id") or (key == "id" and isinstance(v, int)):
            v = f"<{kind if key == 'id' else key}>"
        else:
            v = _named(v, names, origin, {"teachers": "user", "term": "term", "sections": "section"}.get(key, "_"))
        out[key] = v
    return out


def test_course_list_json_is_pinned(world):
    names, tokens = _store(world)
    with world.tx() as db:
        student_id = db.query(User.id).filter(User.id.in_(names["user"])).filter(User.name == "Student").scalar()
    answers = {}
    for caller, path, includes in _CALLS:
        with world.client(tokens[caller]) as c:
            base, _, query = path.format(student=student_id).partition("?")
            params = [tuple(pair.split("=")) for pair in query.split("&") if pair]
            r = c.get(base, params=[*params, *(("include[]", i) for i in includes)])
        assert r.status_code == 200, r.text
        answers[f"{caller} {path} {','.join(includes)}"] = _named(r.json(), names, world.base_url)
    if os.environ.get("PIN_WRITE"):
        PINS.write_text(json.dumps(answers, indent=1, sort_keys=False) + "\n")
    pinned = json.loads(PINS.read_text())
    for key, answer in answers.items():
        assert json.dumps(answer) == json.dumps(pinned[key]), key  # key order too
