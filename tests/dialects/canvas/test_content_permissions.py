"""Rights over every content type, swept over raw HTTP: students and observers may not create or
edit content, students do not see unpublished (hidden, locked, not yet posted) items, nobody reads
another student's submissions, and a teacher of another course is refused this course's content."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select

from courseport.core.content import file_uploads
from courseport.dialects.canvas.protocol import iso
from courseport.schema import User
from courseport.schema.base import utcnow
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND


@dataclass(frozen=True)
class Kind:
    """How the API creates, lists, reads, edits and hides one content type ({c} course, {m} module, {id} item)."""

    name: str
    create: str
    fields: dict
    one: str
    listing: str
    edit: dict
    hide: dict | None  # what a teacher PUTs to hide it from students; None: the type has no hidden state
    params: dict = field(default_factory=dict)  # query of the listing
    key: str = "id"  # the answer's field that names the item in `one`


KINDS = [
    Kind("assignment", "/courses/{c}/assignments", {"assignment[name]": "A", "assignment[published]": "true",
                                                     "assignment[submission_types][]": "online_text_entry"},
         "/courses/{c}/assignments/{id}", "/courses/{c}/assignments", {"assignment[name]": "B"},
         {"assignment[published]": "false"}),
    Kind("page", "/courses/{c}/pages", {"wiki_page[title]": "P", "wiki_page[published]": "true"},
         "/courses/{c}/pages/{id}", "/courses/{c}/pages", {"wiki_page[body]": "<p>mine</p>"},
         {"wiki_page[published]": "false"}, key="url"),
    Kind("module", "/courses/{c}/modules", {"module[name]": "M", "module[published]": "true"},
         "/courses/{c}/modules/{id}", "/courses/{c}/modules", {"module[name]": "N"}, {"module[published]": "false"}),
    Kind("module item", "/courses/{c}/modules/{m}/items", {"module_item[type]": "SubHeader",
                                                           "module_item[title]": "H", "module_item[published]": "true"},
         "/courses/{c}/modules/{m}/items/{id}", "/courses/{c}/modules/{m}/items", {"module_item[title]": "I"},
         {"module_item[published]": "false"}),
    Kind("discussion topic", "/courses/{c}/discussion_topics", {"title": "T", "message": "m", "published": "true"},
         "/courses/{c}/discussion_topics/{id}", "/courses/{c}/discussion_topics", {"title": "U"},
         {"published": "false"}),
    Kind("announcement", "/courses/{c}/discussion_topics", {"title": "News", "message": "m",
                                                            "is_announcement": "true"},
         "/courses/{c}/discussion_topics/{id}", "/courses/{c}/discussion_topics", {"title": "Old news"},
         {"delayed_post_at": "LATER"}, params={"only_announcements": "true"}),
    Kind("quiz", "/courses/{c}/quizzes", {"quiz[title]": "Q", "quiz[published]": "true"},
         "/courses/{c}/quizzes/{id}", "/courses/{c}/quizzes", {"quiz[title]": "R"}, {"quiz[published]": "false"}),
    Kind("calendar event", "/calendar_events", {"calendar_event[context_code]": "course_{c}",
                                                "calendar_event[title]": "E"},
         "/calendar_events/{id}", "/calendar_events", {"calendar_event[title]": "F"}, None,
         params={"context_codes[]": "course_{c}", "all_events": "true"}),
    Kind("folder", "/courses/{c}/folders", {"name": "handouts"}, "/folders/{id}", "/courses/{c}/folders",
         {"name": "mine"}, {"locked": "true"}),
    Kind("file", "/courses/{c}/files", {"name": "notes.txt", "size": "5"}, "/courses/{c}/files/{id}",
         "/courses/{c}/files", {"name": "mine.txt"}, {"hidden": "true"}),
]
EDIT_PATHS = {"folder": "/folders/{id}", "file": "/files/{id}"}


@pytest.fixture
def setup(world):  # noqa: ANN201
    """A course with one member per role, a second student, a published module, and student topics off."""
    course = world.course("Rights 101")
    cast = world.cast(course)
    other, cast["other_student"] = world.user_with_token("other_student")
    world.enroll(other, course)
    with world.client(cast["teacher"]) as t:
        assert t.put(f"/api/v1/courses/{course.id}/settings",
                     data={"allow_student_discussion_topics": "false"}).status_code == 200
        module = t.post(f"/api/v1/courses/{course.id}/modules",
                        data={"module[name]": "Week", "module[published]": "true"})
        assert module.status_code == 200, module.text
    return world, course, cast, module.json()["id"]


def _path(template: str, course_id: int, module_id: int, item: object = "") -> str:
    return "/api/v1" + template.format(c=course_id, m=module_id, id=item)


def _fill(values: dict, course_id: int) -> dict:
    later = iso(utcnow() + timedelta(days=3))
    return {k: (v.format(c=course_id) if v != "LATER" else later) for k, v in values.items()}


def _made_by_teacher(world, course, cast: dict, module_id: int, kind: Kind, *, hidden: bool = False) -> str:  # noqa: ANN001
    """The item's reference in `kind.one`, made (and hidden) by the teacher."""
    if kind.name == "file":
        with world.tx() as db:
            teacher = db.scalar(select(User).where(User.login_id == f"teacher{course.id}"))
            made = file_uploads.add_file(db, teacher, course.id, f"f{int(hidden)}.txt", b"bytes",
                                  world.services.blobs)
            ref = str(made.id)
    else:
        with world.client(cast["teacher"]) as t:
            answer = t.post(_path(kind.create, course.id, module_id), data=_fill(kind.fields, course.id))
            assert answer.status_code in (200, 201), answer.text
            ref = str(answer.json()[kind.key])
    if hidden:
        with world.client(cast["teacher"]) as t:
            answer = t.put(_path(EDIT_PATHS.get(kind.name, kind.one), course.id, module_id, ref),
                           data=_fill(kind.hide, course.id))
            assert answer.status_code == 200, answer.text
    return ref


def _listed(http: httpx.Client, kind: Kind, course_id: int, module_id: int) -> list[str]:
    answer = http.get(_path(kind.listing, course_id, module_id), params=_fill(kind.params, course_id))
    assert answer.status_code == 200, answer.text
    return [str(row[kind.key]) for row in answer.json()]


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
@pytest.mark.parametrize("role", ["student", "observer"])
def test_students_and_observers_may_not_create(setup, kind, role):
    world, course, cast, module_id = setup
    with world.client(cast[role]) as http:
        answer = http.post(_path(kind.create, course.id, module_id), data=_fill(kind.fields, course.id))
    assert (answer.status_code, answer.json()) == (403, FORBIDDEN)


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
@pytest.mark.parametrize("role", ["student", "observer"])
def test_students_and_observers_read_but_may_not_edit_published_content(setup, kind, role):
    world, course, cast, module_id = setup
    ref = _made_by_teacher(world, course, cast, module_id, kind)
    path = _path(EDIT_PATHS.get(kind.name, kind.one), course.id, module_id, ref)
    with world.client(cast[role]) as http:
        assert http.get(_path(kind.one, course.id, module_id, ref)).status_code == 200
        assert ref in _listed(http, kind, course.id, module_id)
        edited = http.put(path, data=_fill(kind.edit, course.id))
        deleted = http.delete(path)
    assert [(a.status_code, a.json()) for a in (edited, deleted)] == [(403, FORBIDDEN)] * 2
    with world.client(cast["teacher"]) as http:
        assert http.get(_path(kind.one, course.id, module_id, ref)).status_code == 200  # still there


@pytest.mark.parametrize("kind", [k for k in KINDS if k.hide is not None], ids=lambda k: k.name)
@pytest.mark.parametrize("role", ["student", "observer"])
def test_unpublished_content_is_hidden_from_students_and_observers(setup, kind, role):
    world, course, cast, module_id = setup
    ref = _made_by_teacher(world, course, cast, module_id, kind, hidden=True)
    with world.client(cast[role]) as http:
        answer = http.get(_path(kind.one, course.id, module_id, ref))
        assert (answer.status_code, answer.json()) == (404, NOT_FOUND)
        assert ref not in _listed(http, kind, course.id, module_id)
    with world.client(cast["teacher"]) as http:
        assert http.get(_path(kind.one, course.id, module_id, ref)).status_code == 200
        assert ref in _listed(http, kind, course.id, module_id)


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_a_teacher_of_another_course_is_refused(setup, kind):
    world, course, cast, module_id = setup
    ref = _made_by_teacher(world, course, cast, module_id, kind)
    with world.client(cast["outsider"]) as http:
        created = http.post(_path(kind.create, course.id, module_id), data=_fill(kind.fields, course.id))
        read = http.get(_path(kind.one, course.id, module_id, ref))
        listed = http.get(_path(kind.listing, course.id, module_id), params=_fill(kind.params, course.id))
        edited = http.put(_path(EDIT_PATHS.get(kind.name, kind.one), course.id, module_id, ref),
                          data=_fill(kind.edit, course.id))
    assert [(a.status_code, a.json()) for a in (created, read, edited)] == [(403, FORBIDDEN)] * 3
    if kind.name == "calendar event":  # Canvas leaves out the calendars a caller cannot see
        assert (listed.status_code, listed.json()) == (200, [])
    else:
        assert (listed.status_code, listed.json()) == (403, FORBIDDEN)


def test_students_do_not_read_each_others_submissions(setup):
    world, course, cast, module_id = setup
    assignment = _made_by_teacher(world, course, cast, module_id, KINDS[0])
    base = f"/api/v1/courses/{course.id}/assignments/{assignment}/submissions"
    with world.client(cast["other_student"]) as http:
        answer = http.post(base, data={"submission[submission_type]": "online_text_entry",
                                       "submission[body]": "<p>secret</p>"})
        assert answer.status_code == 201, answer.text
        other_id = answer.json()["user_id"]
    with world.client(cast["student"]) as http:
        one = http.get(f"{base}/{other_id}")
        everyone = http.get(base)
        by_student = http.get(f"/api/v1/courses/{course.id}/students/submissions",
                              params={"student_ids[]": str(other_id)})
        mine = http.get(f"{base}/self")
    assert [(a.status_code, a.json()) for a in (one, everyone, by_student)] == [(403, FORBIDDEN)] * 3
    assert (mine.status_code, mine.json()["workflow_state"], mine.json()["body"]) == (200, "unsubmitted", None)
    with world.client(cast["observer"]) as http:  # observes nobody
        theirs = http.get(f"{base}/{other_id}")
    assert (theirs.status_code, theirs.json()) == (403, FORBIDDEN)
    with world.client(cast["teacher"]) as http:
        assert http.get(f"{base}/{other_id}").json()["body"] == "<p>secret</p>"
