"""Domain errors name core words; a dialect spells them through its own table, never by searching text."""

from __future__ import annotations

from courseport.core.kit.errors import Conflict, FieldText, InvalidInput, NotFound

CANVAS = {"end_at": "course[end_at]", "start_at": "course[start_at]", "name": "course[name]"}


def test_a_template_renders_core_words_until_a_dialect_spells_them():
    error = InvalidInput("end_at", FieldText("{end_at} must not be before {start_at}"))
    assert (error.field, error.message) == ("end_at", "end_at must not be before start_at")
    assert error.spelled(CANVAS).message == "course[end_at] must not be before course[start_at]"
    assert error.field == "course[end_at]" and str(error) == error.message


def test_values_the_caller_sent_are_never_renamed_nor_formatted():
    error = InvalidInput("name", FieldText("{name} {value} is taken", value=repr("{start_at} name")))
    assert error.spelled(CANVAS).message == "course[name] '{start_at} name' is taken"


def test_a_plain_message_has_its_leading_field_renamed_and_nothing_else():
    error = InvalidInput("name", "name 'start_at' is not a name")
    assert error.spelled(CANVAS).message == "course[name] 'start_at' is not a name"
    longer = InvalidInput("name", "names must differ")
    assert longer.spelled(CANVAS).message == "names must differ"


def test_errors_outside_the_table_stay_as_raised():
    assert InvalidInput("sort", "sort may name only x").spelled(CANVAS).message == "sort may name only x"
    assert NotFound("course").spelled(CANVAS).message == "The specified course does not exist."
    assert Conflict(FieldText("A course with {course_code} {v}", v="'x'")).spelled({}).message == (
        "A course with course_code 'x'")
