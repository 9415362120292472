"""The one component table: core's names for the parts of a course a copy can take whole.

A component is the smallest set of item types (plus "@settings" for course settings and "@files" for
the course's files and folders, which live outside content_items) that some vendor selects as one
part: a module always comes with its items, so `modules` holds both; Canvas takes assignment groups
without assignments and D2L takes assignments (Dropbox) without groups, so those are two components.

Vendors name these parts in their own words (Canvas `only[]` and `copy[all_...]`, Learn `copy`
flags, D2L COURSECOMPONENT_T). Each dialect keeps one table from its wire names to the components
here, and translates a request through `named`; the copy engine (copying.py) reads only the item
types `selection` returns. It lives in `copy` rather than beside the item model because copying is
its only reader: blueprint syncs and content edits never select by component.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from courseport.core.content.content import ALL_SELECTABLE, FILES, SETTINGS
from courseport.core.kit.errors import InvalidInput

COMPONENTS: dict[str, frozenset[str]] = {name: frozenset(types) for name, types in {
    "settings": {SETTINGS}, "files": {FILES},
    "assignment_groups": {"assignment_group"}, "assignments": {"assignment"},
    "rubrics": {"rubric", "rubric_association"},
    "quizzes": {"quiz"}, "questions": {"quiz_question"}, "question_banks": {"question_bank"},
    "surveys": {"survey"}, "self_assessments": {"self_assessment"},
    "discussions": {"discussion_topic"}, "announcements": {"announcement"}, "blogs": {"blog"},
    "journals": {"journal"}, "wikis": {"wiki"}, "pages": {"page"}, "modules": {"module", "module_item"},
    "content_areas": {"content_area"}, "links": {"link"}, "calendar_events": {"calendar_event"},
    "external_tools": {"external_tool"}, "outcomes": {"outcome", "outcome_group", "outcome_link"},
    "competencies": {"competency"},
    "glossary": {"glossary_entry"}, "tasks": {"task"}, "contacts": {"contact"}, "group_sets": {"group_set"},
    "release_rules": {"release_rule"}, "retention_rules": {"retention_rule"}, "checklists": {"checklist"},
    "faqs": {"faq"}, "forms": {"form"}, "attendance_registers": {"attendance_register"}, "navbars": {"navbar"},
    "widgets": {"widget"}, "homepages": {"homepage"}, "intelligent_agents": {"intelligent_agent"},
    "tool_names": {"tool_name"},
}.items()}


def types_of(components: Iterable[str]) -> frozenset[str]:
    """The item types (plus @settings/@files) the named components hold."""
    out: set[str] = set()
    for name in components:
        out |= COMPONENTS[name]
    return frozenset(out)


def selection(only: Iterable[str] | None = None, exclude: Iterable[str] = ()) -> frozenset[str]:
    """What a copy takes whole: the `only` components (None: everything) less the `exclude` ones."""
    chosen = ALL_SELECTABLE if only is None else types_of(only)
    return frozenset(chosen - types_of(exclude))


def named(table: Mapping[str, Iterable[str]], names: Iterable[str], field: str) -> list[str]:
    """The components a dialect's wire names stand for, by that dialect's `table`; an unknown name is
    refused naming `field` as the dialect's client sent it, with the names the table knows."""
    out: list[str] = []
    for name in names:
        if name not in table:
            raise InvalidInput(field, f"{field}: unknown component {name!r}; known: {', '.join(table)}")
        out.extend(table[name])
    return out
