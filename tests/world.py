"""Test data builders: users, courses, enrollments and tokens written straight through the core."""

from __future__ import annotations

from typing import Any

import httpx

from courseport.core.courses import courses
from courseport.core.identity import accounts, admin, tokens, users
from courseport.core.identity.accounts import BUILT_IN_ROLES
from courseport.db import transaction
from courseport.schema import Course, Enrollment, User


class World:
    def __init__(self, services, base_url: str):
        self.services = services
        self.engine = services.engine
        self.base_url = base_url
        self.admin, self.admin_token = self.user_with_token("admin", admin=True)

    def tx(self):  # noqa: ANN201
        return transaction(self.engine, write=True)

    def user(self, login: str, name: str | None = None, **fields: Any) -> User:
        with self.tx() as db:
            return users.create_user(db, name or login.title(), login, email=f"{login}@example.test", **fields)

    def user_with_token(self, login: str, *, admin: bool = False, name: str | None = None) -> tuple[User, str]:
        with self.tx() as db:
            user = admin_user = None
            user = users.find_by_login(db, login) or users.create_user(db, name or login.title(), login,
                                                                        email=f"{login}@example.test")
            if admin:
                accounts.make_admin(db, user.id)
            del admin_user
            return user, tokens.create_token(db, user, "test")

    def token(self, user: User) -> str:
        with self.tx() as db:
            return tokens.create_token(db, db.get(User, user.id), "test")

    def course(self, name: str = "Course", *, account_id: int = 1, offer: bool = True, **fields: Any):
        with self.tx() as db:
            actor = db.get(User, self.admin.id)
            return courses.create_course(db, actor, account_id, courses.CourseChanges(name=name, **fields), offer=offer)

    def enroll(self, user: User, course, etype: str = "StudentEnrollment", *, state: str = "active",
               associated_user_id: int | None = None, section_id: int | None = None) -> Enrollment:
        with self.tx() as db:
            section_id = section_id or courses.default_section(db, course).id
            enrollment = Enrollment(
                user_id=user.id, course_id=course.id, course_section_id=section_id,
                root_account_id=course.root_account_id, type=etype,
                role_id=BUILT_IN_ROLES.get(etype, BUILT_IN_ROLES["StudentEnrollment"]), workflow_state=state,
                associated_user_id=associated_user_id,
            )
            db.add(enrollment)
            db.flush()
            return enrollment

    def cast(self, course) -> dict[str, str]:
        """A token per role in `course` (admin, teacher, ta, designer, student, observer) and for
        `outsider`, the teacher of another course."""
        cast = {"admin": self.admin_token}
        for role in ("teacher", "ta", "designer", "student", "observer"):
            user, cast[role] = self.user_with_token(f"{role}{course.id}")
            self.enroll(user, course, f"{role.title()}Enrollment")
        outsider, cast["outsider"] = self.user_with_token(f"outsider{course.id}")
        self.enroll(outsider, self.course("Another course"), "TeacherEnrollment")
        return cast

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=30)

    def canvas(self, token: str | None = None):  # noqa: ANN201
        from canvasapi import Canvas

        return Canvas(self.base_url, token or self.admin_token)

    def blackboard_app(self, user: User | None = None) -> tuple[str, str]:
        """A Learn REST application (OAuth client) acting as `user`, the site admin by default: (key, secret)."""
        from courseport.core.identity import oauth_clients

        with self.tx() as db:
            client, secret = oauth_clients.register_client(db, db.get(User, (user or self.admin).id), "tests")
            return client.key, secret

    def blackboard_token(self, user: User | None = None) -> str:
        """A bearer token from the Learn token endpoint for a new application acting as `user`."""
        key, secret = self.blackboard_app(user)
        with self.client() as http:
            answer = http.post("/learn/api/public/v1/oauth2/token", data={"grant_type": "client_credentials"},
                               auth=(key, secret))
        assert answer.status_code == 200, answer.text
        return answer.json()["access_token"]

    def d2l_keys(self, user: User | None = None) -> dict[str, str]:
        """D2L ID-key credentials (app id/key, user id/key) acting as `user`, the site admin by default."""
        from courseport.core.identity import d2l_apps

        with self.tx() as db:
            return d2l_apps.ensure_credentials(db, db.get(User, (user or self.admin).id), {})

    def d2l(self, user: User | None = None, *, anonymous: bool = False):  # noqa: ANN201
        """A d2lvalence user context (a requests auth) signing as `user`, or anonymously."""
        from d2lvalence import auth as d2l_auth

        keys = self.d2l_keys(user)
        props = {"host": self.base_url.split("://", 1)[1], "encrypt_requests": False, "server_skew": 0,
                 "user_id": "" if anonymous else keys["user_id"], "user_key": "" if anonymous else keys["user_key"]}
        return d2l_auth.fashion_user_context(keys["app_id"], keys["app_key"], props)

    def scorm_app(self, user: User | None = None) -> tuple[str, str]:
        """A SCORM Cloud application (appId, secretKey) acting as `user`, the site admin by default."""
        from courseport.core.identity import oauth_clients

        with self.tx() as db:
            client, secret = oauth_clients.register_client(db, db.get(User, (user or self.admin).id), "scorm tests")
            return client.key, secret

    def run_jobs(self) -> int:
        return self.services.jobs.run_pending()

    def sync_blueprint(self, blueprint, *children) -> dict:  # noqa: ANN001
        """Make `blueprint` a blueprint, associate `children` with it and run a migration to its end, over the
        Canvas API as an admin; the finished migration's JSON."""
        with self.tx() as db:
            db.get(Course, blueprint.id).blueprint = True
        base = f"/api/v1/courses/{blueprint.id}/blueprint_templates/default"
        with self.client(self.admin_token) as http:
            if children:
                added = http.put(f"{base}/update_associations",
                                 data={"course_ids_to_add[]": [str(c.id) for c in children]})
                assert (added.status_code, added.json()) == (200, {"success": True}), added.text
            started = http.post(f"{base}/migrations", data={"copy_settings": "false"})
            assert started.status_code == 200, started.text
            self.run_jobs()
            done = http.get(f"{base}/migrations/{started.json()['id']}").json()
        assert done["workflow_state"] == "completed", done
        return done

    def assignment_group(self, course, name: str = "Assignments", weight: float = 0.0):
        from courseport.core.content import content

        with self.tx() as db:
            return content.create_item(db, course.id, "assignment_group", {
                "title": name, "workflow_state": "available", "data": {"group_weight": weight, "rules": {}}})

    def assignment(self, course, name: str = "Assignment", *, group=None, points: float | None = 10.0,
                   state: str = "published", **fields: Any):
        """An assignment item written with the content conventions; `data=` keys override the defaults."""
        from courseport.core.content import content

        group = group or self.assignment_group(course)
        data = {"submission_types": ["online_text_entry"], "grading_type": "points", **fields.pop("data", {})}
        with self.tx() as db:
            return content.create_item(db, course.id, "assignment", {
                "title": name, "points": points, "workflow_state": state, "parent_id": group.id, "data": data,
                **fields})


__all__ = ["World", "admin"]
