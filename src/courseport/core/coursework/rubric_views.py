"""Rubrics as a reader sees them: the course's list, and one rubric with the associations and assessments the
reader asked for (graders read every assessment, anyone else those of their own work and those they made)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from courseport.core.courses.courses import readable_course
from courseport.core.coursework import rubric_assessments, rubrics
from courseport.core.kit.errors import InvalidInput
from courseport.core.kit.paging import Slice, Window
from courseport.schema import RubricAssessment, User
from courseport.schema.content import ContentItem

ASSESSMENT_INCLUDES = {"assessments": ("grading", "peer_review", "provisional_grade"),
                       "graded_assessments": ("grading",), "peer_assessments": ("peer_review",)}
ASSOCIATION_INCLUDES = {"associations": ("Assignment", "Course"), "assignment_associations": ("Assignment",),
                        "course_associations": ("Course",), "account_associations": ()}
STYLES = ("full", "comments_only")


@dataclass
class RubricView:
    rubric: ContentItem
    associations: list[ContentItem] | None = None
    assessments: list[RubricAssessment] | None = None
    style: str | None = None


def list_rubrics(db: Session, actor: User, course_ref: str | int, window: Window) -> Slice[ContentItem]:
    course, _ = readable_course(db, actor, course_ref)
    return rubrics.list_rubrics(db, course, window)


def show_rubric(db: Session, actor: User, course_ref: str | int, rubric_id: str, includes: set[str],
                style: str | None) -> RubricView:
    if style is not None and style not in STYLES:
        raise InvalidInput("style", f"style must be one of {', '.join(STYLES)}")
    unknown = includes - set(ASSESSMENT_INCLUDES) - set(ASSOCIATION_INCLUDES)
    if unknown:
        raise InvalidInput("include", f"include: unknown value {sorted(unknown)[0]!r}")
    course, rights = readable_course(db, actor, course_ref)
    item = rubrics.rubric_item(db, course, rubric_id)
    view = RubricView(item, style=style)
    live = rubrics.live_associations(db, [item.id])
    kinds = {k for name in includes & set(ASSOCIATION_INCLUDES) for k in ASSOCIATION_INCLUDES[name]}
    if includes & set(ASSOCIATION_INCLUDES):
        view.associations = [a for a in live if (a.data or {}).get("association_type") in kinds]
    wanted = tuple(sorted({k for name in includes & set(ASSESSMENT_INCLUDES) for k in ASSESSMENT_INCLUDES[name]}))
    if wanted:
        view.assessments = rubric_assessments.readable_of(db, actor, rights, [a.id for a in live], wanted)
    return view
