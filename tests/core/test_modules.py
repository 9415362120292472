"""Core module rules on a real database: ordering, prerequisites, item targets (files included),
publishing through to content, and rights."""

from __future__ import annotations

import pytest

from courseport.core.content import content, module_items, modules
from courseport.core.content.module_items import ModuleItemChanges
from courseport.core.content.modules import ModuleChanges
from courseport.core.kit.errors import InvalidInput, NotAllowed, NotFound
from courseport.core.kit.paging import Window
from courseport.schema import User
from courseport.schema.content import ContentItem
from courseport.schema.files import Blob, File


def _as(world, user, fn, *args, **kw):
    with world.tx() as db:
        return fn(db, db.get(User, user.id), *args, **kw)


@pytest.fixture
def people(world):
    course = world.course("Core modules")
    teacher, student = world.user("t"), world.user("s")
    world.enroll(teacher, course, "TeacherEnrollment")
    world.enroll(student, course)
    return course, teacher, student


def _file(world, course, name="notes.pdf", hidden=False):
    with world.tx() as db:
        if db.get(Blob, "a" * 64) is None:
            db.add(Blob(sha256="a" * 64, size=3))
            db.flush()
        file = File(uuid=f"u-{name}", course_id=course.id, display_name=name, filename=name,
                    content_type="application/pdf", size=3, blob_sha256="a" * 64, hidden=hidden)
        db.add(file)
        db.flush()
        return file


def _order(world, course):
    with world.tx() as db:
        return [(m.title, m.position, m.data["prerequisite_module_ids"])
                for m in modules.live_children(db, course.id, "module", None)]


def test_insert_and_move_renumber_and_prune_prerequisites(world, people):
    course, teacher, _ = people
    a = _as(world, teacher, modules.create_module, course.id, ModuleChanges(name="A")).module
    b = _as(world, teacher, modules.create_module, course.id,
            ModuleChanges(name="B", prerequisite_module_ids=[a.id])).module
    _as(world, teacher, modules.create_module, course.id, ModuleChanges(name="C", position=2))
    assert _order(world, course) == [("A", 1, []), ("C", 2, []), ("B", 3, [a.id])]
    _as(world, teacher, modules.update_module, course.id, str(b.id), ModuleChanges(position=1))
    assert _order(world, course) == [("B", 1, []), ("A", 2, []), ("C", 3, [])]
    _as(world, teacher, modules.update_module, course.id, str(b.id), ModuleChanges(position=99))
    assert [t for t, *_ in _order(world, course)] == ["A", "C", "B"]
    with pytest.raises(InvalidInput) as bad:
        _as(world, teacher, modules.update_module, course.id, str(a.id),
            ModuleChanges(prerequisite_module_ids=[str(b.id)]))
    assert bad.value.field == "prerequisite_module_ids"


def test_file_items_and_what_students_see_of_them(world, people):
    course, teacher, student = people
    notes, secret = _file(world, course), _file(world, course, "key.pdf", hidden=True)
    other = _file(world, world.course("Other"), "theirs.pdf")
    module = _as(world, teacher, modules.create_module, course.id, ModuleChanges(name="Files", published=True)).module
    view = _as(world, teacher, module_items.create_module_item, course.id, str(module.id),
               ModuleItemChanges(type="File", content_id=str(notes.id)))
    assert (view.item.title, view.item.file_id, view.item.workflow_state) == ("notes.pdf", notes.id, "active")
    _as(world, teacher, module_items.create_module_item, course.id, str(module.id),
        ModuleItemChanges(type="File", content_id=str(secret.id), published=True))
    with pytest.raises(InvalidInput) as bad:
        _as(world, teacher, module_items.create_module_item, course.id, str(module.id),
            ModuleItemChanges(type="File", content_id=str(other.id)))
    assert (bad.value.field, bad.value.message) == ("content_id", "Could not find content")
    seen = _as(world, student, modules.list_module_items, course.id, str(module.id), Window(0, 10))
    assert [i.item.title for i in seen.items] == ["notes.pdf"]
    staff = _as(world, teacher, modules.list_module_items, course.id, str(module.id), Window(0, 10))
    assert [i.item.title for i in staff.items] == ["notes.pdf", "key.pdf"]


def test_publishing_a_quiz_item_publishes_the_quiz_and_its_assignment(world, people):
    course, teacher, _ = people
    with world.tx() as db:
        graded = content.create_item(db, course.id, "assignment", {"title": "Quiz 1", "data": {"quiz": True}})
        quiz = content.create_item(db, course.id, "quiz", {"title": "Quiz 1", "ref_id": graded.id})
    module = _as(world, teacher, modules.create_module, course.id, ModuleChanges(name="Q")).module
    item = _as(world, teacher, module_items.create_module_item, course.id, str(module.id),
               ModuleItemChanges(type="Quiz", content_id=str(quiz.id))).item
    assert item.workflow_state == "unpublished"
    _as(world, teacher, module_items.update_module_item, course.id, str(module.id), str(item.id),
        ModuleItemChanges(published=True))
    with world.tx() as db:
        assert [db.get(ContentItem, i).workflow_state for i in (item.id, quiz.id, graded.id)] == [
            "active", "published", "published"]
        assert db.get(ContentItem, quiz.id).local_edits.get("workflow_state")  # an edit, tracked for syncs
    _as(world, teacher, module_items.update_module_item, course.id, str(module.id), str(item.id),
        ModuleItemChanges(published=False))
    with world.tx() as db:
        assert db.get(ContentItem, quiz.id).workflow_state == "unpublished"


def test_rights_and_scoping(world, people):
    course, teacher, student = people
    module = _as(world, teacher, modules.create_module, course.id, ModuleChanges(name="M")).module
    with pytest.raises(NotAllowed):
        _as(world, student, modules.create_module, course.id, ModuleChanges(name="Mine"))
    with pytest.raises(NotAllowed):
        _as(world, student, module_items.create_module_item, course.id, str(module.id),
            ModuleItemChanges(type="SubHeader", title="x"))
    with pytest.raises(NotFound):
        _as(world, student, modules.get_module, course.id, str(module.id))  # unpublished
    elsewhere = world.course("Elsewhere")
    world.enroll(teacher, elsewhere, "TeacherEnrollment")
    with pytest.raises(NotFound):
        _as(world, teacher, modules.update_module, elsewhere.id, str(module.id), ModuleChanges(name="Moved"))
    with pytest.raises(NotAllowed):
        _as(world, teacher, modules.list_modules, course.id, Window(0, 10), student_ref=str(teacher.id))


@pytest.mark.parametrize(("kind", "raw", "expected"), [
    ("Assignment", {"type": "min_score", "min_score": "7.5"}, {"type": "min_score", "min_score": 7.5}),
    ("Assignment", {"type": "must_contribute"}, {"type": "must_contribute"}),
    ("Page", {"type": "must_submit"}, {}),
    ("SubHeader", {"type": "must_view"}, {}),
    ("Quiz", {"type": ""}, {}),
    ("Quiz", None, {}),
])
def test_requirement_parsing(kind, raw, expected):
    assert module_items.requirement(kind, raw) == expected


def test_requirement_errors():
    with pytest.raises(InvalidInput) as bad:
        module_items.requirement("Assignment", {"type": "min_score", "min_score": "-1"})
    assert bad.value.field == "completion_requirement[min_score]"
    with pytest.raises(InvalidInput):
        module_items.requirement("Assignment", "must_view")
