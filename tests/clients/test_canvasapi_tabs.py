"""canvasapi 3.6.0, unmodified, against the live server: a course's navigation tabs listed, moved and hidden
by its teacher, and what a student then sees."""

from __future__ import annotations

import pytest
from canvasapi.exceptions import BadRequest
from canvasapi.tab import Tab


def test_a_teacher_rearranges_the_course_navigation(world):
    course = world.course("Chemistry")
    cast = world.cast(course)
    remote = world.canvas(cast["teacher"]).get_course(course.id)
    tabs = list(remote.get_tabs())
    assert all(isinstance(t, Tab) for t in tabs) and len(tabs) == 15
    modules = next(t for t in tabs if t.id == "modules")
    modules.update(position=2)
    assert (modules.position, modules.label) == (2, "Modules")
    files = next(t for t in tabs if t.id == "files")
    files.update(hidden=True)
    assert (files.hidden, files.visibility) == (True, "admins")
    with pytest.raises(BadRequest):
        next(t for t in tabs if t.id == "home").update(position=4)

    seen = [t.id for t in world.canvas(cast["student"]).get_course(course.id).get_tabs()]
    assert seen[:2] == ["home", "modules"] and "files" not in seen and "settings" not in seen
    assert [t.id for t in remote.get_tabs()][:3] == ["home", "modules", "announcements"]
