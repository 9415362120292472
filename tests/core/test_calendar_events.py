"""Calendar events in core: context codes, date settling, ranges and rights."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from courseport.core.content import calendar_events
from courseport.core.content.calendar_events import EventChanges, EventFilters
from courseport.core.kit.errors import InvalidInput, NotAllowed
from courseport.core.kit.paging import Window
from courseport.schema import User


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize("code, expected", [("course_12", "12"), ("course_sis_course_id:A", "sis_course_id:A")])
def test_course_ref_of(code, expected):
    assert calendar_events.course_ref_of(code) == expected


@pytest.mark.parametrize("code", [None, "", "course_", "group_3", "user_1"])
def test_course_ref_of_rejects_other_calendars(code):
    with pytest.raises(InvalidInput) as bad:
        calendar_events.course_ref_of(code)
    assert bad.value.field == "context_code"


def test_dates_settle_as_canvas_settles_them(world):
    course = world.course()
    with world.tx() as db:
        me = db.get(User, world.admin.id)
        code = f"course_{course.id}"
        only_end = calendar_events.create_event(db, me, EventChanges(context_code=code,
                                                                    end_at=_at("2030-01-01T10:00:00"))).item
        assert (only_end.start_at, only_end.end_at, only_end.data["all_day"]) == (
            _at("2030-01-01T10:00:00"), _at("2030-01-01T10:00:00"), False)
        item = calendar_events.update_event(db, me, str(only_end.id), EventChanges(all_day=True)).item
        assert (item.start_at, item.end_at, item.data["all_day"]) == (
            _at("2030-01-01T00:00:00"), _at("2030-01-01T00:00:00"), True)
        item = calendar_events.update_event(db, me, str(item.id),
                                            EventChanges(end_at=_at("2030-01-01T05:00:00"))).item
        assert item.data["all_day"] is False
        assert set(item.local_edits) >= {"start_at", "end_at", "data"}


def test_ranges_and_unreadable_courses(world):
    mine, theirs = world.course("Mine"), world.course("Theirs")
    student = world.user("pupil")
    world.enroll(student, mine)
    with world.tx() as db:
        me = db.get(User, world.admin.id)
        for course in (mine, theirs):
            calendar_events.create_event(db, me, EventChanges(context_code=f"course_{course.id}", title=course.name,
                                                              start_at=_at("2030-06-01T12:00:00")))
        pupil = db.get(User, student.id)
        filters = EventFilters(context_codes=(f"course_{mine.id}", f"course_{theirs.id}", "user_1"),
                               start_date="2030-06-01", end_date="2030-06-01")
        page = calendar_events.list_events(db, pupil, filters, Window(0, 10))
        assert [v.item.title for v in page.items] == ["Mine"]
        later = EventFilters(context_codes=(f"course_{mine.id}",), start_date="2030-06-01T12:00:01Z")
        assert calendar_events.list_events(db, pupil, later, Window(0, 10)).items == []
        with pytest.raises(InvalidInput):
            calendar_events.list_events(db, pupil, EventFilters(start_date="June"), Window(0, 10))
        everything = EventFilters(context_codes=(f"course_{mine.id}",), start_date="June", all_events=True)
        assert [v.item.title for v in calendar_events.list_events(db, pupil, everything, Window(0, 10)).items] == [
            "Mine"]
        with pytest.raises(NotAllowed):
            calendar_events.create_event(db, pupil, EventChanges(context_code=f"course_{mine.id}", title="x"))
