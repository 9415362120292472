"""Learn's course roles and the CourseMembership object, mapped onto core enrollments.

A Learn membership is one enrollment of the user in the course (the first live one, by id): the row
the Canvas face lists. Learn's built-in course roles map onto core's base types; Grader has no base
type of its own and is a TA there, so it reads back as TeachingAssistant.
"""

from __future__ import annotations

from typing import Any

from courseport.dialects.blackboard.course_fields import SYSTEM_DATA_SOURCE
from courseport.dialects.blackboard.protocol import iso, learn_id
from courseport.dialects.blackboard.user_json import render_user
from courseport.schema import Enrollment, User

# Learn courseRoleId -> core base type, for writes.
ROLE_TYPES = {"Student": "StudentEnrollment", "Instructor": "TeacherEnrollment",
              "TeachingAssistant": "TaEnrollment", "CourseBuilder": "DesignerEnrollment", "Grader": "TaEnrollment"}
# Core base type -> Learn courseRoleId, for reads (observers are guests of the course on Learn).
ROLE_NAMES = {"StudentEnrollment": "Student", "TeacherEnrollment": "Instructor", "TaEnrollment": "TeachingAssistant",
              "DesignerEnrollment": "CourseBuilder", "ObserverEnrollment": "Guest"}
# The course roles GET /v1/courseRoles lists: (roleId, name for courses, name for organizations, acts as instructor).
COURSE_ROLES = (("Instructor", "Instructor", "Leader", True), ("TeachingAssistant", "Teaching Assistant",
                 "Assistant", True), ("CourseBuilder", "Course Builder", "Organization Builder", False),
                ("Grader", "Grader", "Grader", False), ("Student", "Student", "Participant", False),
                ("Guest", "Guest", "Guest", False))
# Learn availability.available -> core enrollment state; reads: inactive is No, anything live is Yes.
AVAILABLE_STATES = {"Yes": "active", "No": "inactive", "Disabled": "inactive"}
# Core word -> Learn's, for errors the core raises on membership routes.
NAMES = {"type": "courseRoleId", "enrollment_state": "availability.available", "user_id": "userId"}


def render_course_role(number: int, role: tuple[str, str, str, bool]) -> dict[str, Any]:
    role_id, course_name, organization_name, instructor = role
    return {"id": learn_id(number), "roleId": role_id, "nameForCourses": course_name,
            "nameForOrganizations": organization_name, "custom": False, "actAsInstructor": instructor,
            "availability": {"available": "Yes"}}


def render_membership(enrollment: Enrollment, user: User | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": learn_id(enrollment.id), "userId": learn_id(enrollment.user_id),
        "courseId": learn_id(enrollment.course_id), "dataSourceId": SYSTEM_DATA_SOURCE,
        "created": iso(enrollment.created_at), "modified": iso(enrollment.updated_at),
        "availability": {"available": "No" if enrollment.workflow_state == "inactive" else "Yes"},
        "courseRoleId": ROLE_NAMES.get(enrollment.type, "Student"),
    }
    if enrollment.last_activity_at is not None:
        body["lastAccessed"] = iso(enrollment.last_activity_at)
    if user is not None:
        body["user"] = render_user(user)
    return body
