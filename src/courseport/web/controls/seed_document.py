"""A declarative seed: a YAML or JSON document of accounts, terms, users (with tokens), courses with their
sections, enrollments and content (pages, assignments, modules), made in one transaction through the core
functions the APIs call; the answer names every object made by its key and gives its id on each face.

    accounts: [{key: science, name: Science, sis_id: SCI}]          # under the tenant's root account
    terms:    [{key: fall, name: Fall 2026, sis_id: T-F26, start_at: 2026-09-01T00:00:00Z}]
    users:    [{key: ada, name: Ada Lovelace, login: ada, email: ada@example.test, token: true, admin: false}]
    courses:
      - key: bio
        name: Biology
        code: BIO101
        account: science            # a key above, or omitted: the root account
        term: fall
        sections:    [{key: bio-a, name: Section A}]
        enrollments: [{user: ada, type: teacher, section: bio-a}]
        pages:       [{title: Welcome, body: "<p>Hi</p>", front_page: true}]
        assignments: [{name: Essay, points: 10, due_at: 2026-09-10T00:00:00Z}]
        modules:     [{name: Week 1}]
    packages: [{key: golf, course_id: golf, data: <base64 of a zip>, filename: golf.zip}]   # SCORM Cloud imports

A package is queued as a SCORM Cloud import job (run as the job mode and job timing say; `immediate` for
package_import has it done when the seed answers); `courseport seed FILE` turns a package's `path`
(relative to the file) into its `data`. Every error names the place in the document (`courses[0].enrollments[1].user`).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import yaml
from sqlalchemy.orm import Session

from courseport.core.content import modules, pages
from courseport.core.content.pages import PageChanges
from courseport.core.courses import courses, enrollments, sections
from courseport.core.courses.enrollments import EnrollmentRequest
from courseport.core.courses.sections import SectionChanges
from courseport.core.coursework import assignments
from courseport.core.coursework.assignments import AssignmentChanges
from courseport.core.identity import accounts, tokens, users
from courseport.core.kit.errors import DomainError, InvalidInput
from courseport.core.packages import package_imports
from courseport.core.packages.package_imports import ImportOptions
from courseport.dialects.canvas.protocol import to_datetime
from courseport.schema import User

MAX_DOCUMENT = 2_000_000  # bytes
SECTIONS = ("accounts", "terms", "users", "courses", "packages")
_TYPES = {"teacher": "TeacherEnrollment", "student": "StudentEnrollment", "ta": "TaEnrollment",
          "observer": "ObserverEnrollment", "designer": "DesignerEnrollment"}


def parse(text: bytes, content_type: str) -> dict[str, Any]:
    """The document as a mapping; JSON by its content type, YAML (safe loader) otherwise."""
    if len(text) > MAX_DOCUMENT:
        raise InvalidInput("document", f"the document is larger than {MAX_DOCUMENT} bytes")
    try:
        loaded = json.loads(text) if "json" in content_type else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise InvalidInput("document", f"the document is not valid {'JSON' if 'json' in content_type else 'YAML'}: "
                           f"{str(exc).splitlines()[0]}") from None
    if not isinstance(loaded, dict):
        raise InvalidInput("document", "the document must be a mapping of: " + ", ".join(SECTIONS))
    unknown = sorted(set(loaded) - set(SECTIONS))
    if unknown:
        raise InvalidInput(unknown[0], f"{unknown[0]}: unknown section; known: {', '.join(SECTIONS)}")
    return loaded


@contextmanager
def _at(where: str) -> Iterator[None]:
    """Domain errors raised inside name the document's place: `courses[1].name`."""
    try:
        yield
    except InvalidInput as exc:
        field = exc.field if exc.field.startswith(where) else f"{where}.{exc.field}"
        raise InvalidInput(field, f"{field}: {exc.message}") from None
    except DomainError as exc:
        raise InvalidInput(where, f"{where}: {exc.message}") from None


def _entries(node: Any, where: str) -> list[dict[str, Any]]:
    if node is None:
        return []
    if not isinstance(node, list) or not all(isinstance(e, dict) for e in node):
        raise InvalidInput(where, f"{where} must be a list of mappings")
    return node


def _each(node: Any, where: str) -> Iterator[tuple[dict[str, Any], str]]:
    """Each entry of a list of mappings with its place in the document: `courses[0].sections[1]`."""
    for n, entry in enumerate(_entries(node, where)):
        yield entry, f"{where}[{n}]"


def _text(entry: dict[str, Any], name: str, where: str, required: bool = False) -> str | None:
    value = entry.get(name)
    if value is None:
        if required:
            raise InvalidInput(f"{where}.{name}", f"{where}.{name} is required")
        return None
    if isinstance(value, (dict, list)):
        raise InvalidInput(f"{where}.{name}", f"{where}.{name} must be text")
    return str(value)


class Seeder:
    """Makes one document's objects as `actor` in `tenant_id`, remembering each by its key."""

    def __init__(self, db: Session, actor: User, tenant_id: int, blobs: Any = None):
        self.db, self.actor, self.tenant_id, self.blobs = db, actor, tenant_id, blobs
        self.made: dict[str, dict[str, Any]] = {section: {} for section in SECTIONS}
        self._objects: dict[tuple[str, str], Any] = {}

    def seed(self, document: dict[str, Any]) -> dict[str, Any]:
        makers = {"accounts": self._account, "terms": self._term, "users": self._user, "courses": self._course,
                  "packages": self._package}
        for section in SECTIONS:
            for entry, at in _each(document.get(section), section):
                with _at(at):
                    makers[section](entry, at)
        return self.made

    def _package(self, entry: dict[str, Any], where: str) -> None:
        course_id = _text(entry, "course_id", where, required=True) or ""
        key = self._key("packages", entry, where, course_id)
        try:
            data = base64.b64decode(_text(entry, "data", where, required=True) or "", validate=True)
        except binascii.Error:
            raise InvalidInput(f"{where}.data", f"{where}.data must be base64") from None
        if self.blobs is None:
            raise InvalidInput(f"{where}.data", f"{where}: packages need the server's blob store")
        stored = self.blobs.put_stream([data])
        job = package_imports.queue_upload(self.db, self.actor, ImportOptions(course_id=course_id), stored,
                                           _text(entry, "filename", where) or f"{course_id}.zip", "application/zip")
        self._objects[("packages", key)] = job
        self.made["packages"][key] = {"course_id": course_id, "import_job_id": job.id,
                                      "scorm_cloud": {"courseId": course_id, "jobId": str(job.id)}}

    def _key(self, section: str, entry: dict[str, Any], where: str, fallback: str) -> str:
        key = _text(entry, "key", where) or fallback
        if (section, key) in self._objects:
            raise InvalidInput(f"{where}.key", f"{where}.key: {key!r} is used twice")
        return key

    def _ref(self, section: str, entry: dict[str, Any], name: str, where: str) -> Any:
        key = _text(entry, name, where)
        if key is None:
            return None
        if (section, key) not in self._objects:
            raise InvalidInput(f"{where}.{name}", f"{where}.{name}: no {section[:-1]} with key {key!r} in the document")
        return self._objects[(section, key)]

    def _account(self, entry: dict[str, Any], where: str) -> None:
        name = _text(entry, "name", where, required=True) or ""
        key = self._key("accounts", entry, where, name)
        account = accounts.create_account(self.db, name, self.tenant_id, _text(entry, "sis_id", where))
        self._objects[("accounts", key)] = account
        self.made["accounts"][key] = {"id": account.id, "sis_id": account.sis_account_id,
                                      "canvas": {"id": account.id}, "d2l": {"OrgUnitId": account.id}}

    def _term(self, entry: dict[str, Any], where: str) -> None:
        name = _text(entry, "name", where, required=True) or ""
        key = self._key("terms", entry, where, name)
        dates = {f: to_datetime(entry.get(f), f"{where}.{f}") for f in ("start_at", "end_at")}
        term = accounts.create_term(self.db, self.tenant_id, name, sis_term_id=_text(entry, "sis_id", where),
                                    **{f: v for f, v in dates.items() if v is not None})
        self._objects[("terms", key)] = term
        self.made["terms"][key] = {"id": term.id, "sis_id": term.sis_term_id, "canvas": {"id": term.id},
                                   "blackboard": {"id": f"_{term.id}_1"}}

    def _user(self, entry: dict[str, Any], where: str) -> None:
        login = _text(entry, "login", where, required=True) or ""
        key = self._key("users", entry, where, login)
        user = users.create_user(self.db, _text(entry, "name", where) or login, login,
                                 email=_text(entry, "email", where) or f"{login}@example.test",
                                 sis_user_id=_text(entry, "sis_id", where))
        if entry.get("admin"):
            accounts.make_admin(self.db, user.id, self.tenant_id)
        token = tokens.create_token(self.db, user, "seed") if entry.get("token") else None
        self._objects[("users", key)] = user
        self.made["users"][key] = {"id": user.id, "login": login, "token": token, "canvas": {"id": user.id},
                                   "blackboard": {"id": f"_{user.id}_1", "userName": login},
                                   "d2l": {"UserId": user.id}}

    def _course(self, entry: dict[str, Any], where: str) -> None:
        name = _text(entry, "name", where, required=True) or ""
        key = self._key("courses", entry, where, name)
        account = self._ref("accounts", entry, "account", where)
        term = self._ref("terms", entry, "term", where)
        course = courses.create_course(self.db, self.actor, account.id if account else self.tenant_id,
                                       courses.CourseChanges(name=name, course_code=_text(entry, "code", where) or name,
                                                             sis_course_id=_text(entry, "sis_id", where),
                                                             term_id=term.id if term else None), offer=True)
        self._objects[("courses", key)] = course
        made = {"id": course.id, "code": course.course_code, "canvas": {"id": course.id},
                "blackboard": {"id": f"_{course.id}_1", "courseId": course.course_code},
                "d2l": {"OrgUnitId": course.id}, "sections": {}, "enrollments": [], "content": {}}
        self.made["courses"][key] = made
        self._sections(course, entry, where, made)
        self._enrollments(course, entry, where, made)
        self._content(course, entry, where, made)

    def _sections(self, course: Any, entry: dict[str, Any], where: str, made: dict[str, Any]) -> None:
        for spec, at in _each(entry.get("sections"), f"{where}.sections"):
            name = _text(spec, "name", at, required=True) or ""
            key = self._key("sections", spec, at, name)
            section = sections.create_section(self.db, self.actor, str(course.id), SectionChanges(
                given={"name", "sis_section_id"}, name=name, sis_section_id=_text(spec, "sis_id", at)))
            self._objects[("sections", key)] = section
            made["sections"][key] = {"id": section.id, "canvas": {"id": section.id}}

    def _enrollments(self, course: Any, entry: dict[str, Any], where: str, made: dict[str, Any]) -> None:
        for spec, at in _each(entry.get("enrollments"), f"{where}.enrollments"):
            user = self._ref("users", spec, "user", at)
            if user is None:
                raise InvalidInput(f"{at}.user", f"{at}.user is required")
            kind = _text(spec, "type", at) or "student"
            etype = _TYPES.get(kind, kind)
            section = self._ref("sections", spec, "section", at)
            enrollment = enrollments.enroll(self.db, self.actor, str(course.id), None, EnrollmentRequest(
                user_ref=str(user.id), type=etype, state="active", section_ref=str(section.id) if section else None))
            made["enrollments"].append({"id": enrollment.id, "user": spec["user"], "type": etype,
                                        "canvas": {"id": enrollment.id}})

    def _content(self, course: Any, entry: dict[str, Any], where: str, made: dict[str, Any]) -> None:
        content: dict[str, list[dict[str, Any]]] = {"pages": [], "assignments": [], "modules": []}
        for spec, at in _each(entry.get("pages"), f"{where}.pages"):
            page = pages.create_page(self.db, self.actor, course.id, PageChanges(
                title=_text(spec, "title", at, required=True), body=_text(spec, "body", at) or "", published=True,
                front_page=bool(spec.get("front_page")))).item
            content["pages"].append({"id": page.id, "title": page.title, "url": page.slug})
        for spec, at in _each(entry.get("assignments"), f"{where}.assignments"):
            fields = {"name": _text(spec, "name", at, required=True), "published": True,
                      "points_possible": spec.get("points"), "due_at": to_datetime(spec.get("due_at"), f"{at}.due_at")}
            _, item = assignments.create_assignment(self.db, self.actor, course.id, AssignmentChanges(
                fields={k: v for k, v in fields.items() if v is not None}))
            content["assignments"].append({"id": item.id, "name": item.title})
        for spec, at in _each(entry.get("modules"), f"{where}.modules"):
            module = modules.create_module(self.db, self.actor, course.id, modules.ModuleChanges(
                name=_text(spec, "name", at, required=True), published=True)).module
            content["modules"].append({"id": module.id, "name": module.title})
        made["content"] = content
