"""Canvas's rubric parameters read into core's change objects: `rubric[...]` with its criteria and ratings
(hashes by index, or lists), `rubric_association[...]`, and `rubric_assessment[criterion_<id>][...]`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

from courseport.core.coursework.rubric_assessments import AssessmentEntry, CriterionScore
from courseport.core.coursework.rubric_associations import AssociationChanges
from courseport.core.coursework.rubrics import Criterion, Rating, RubricChanges
from courseport.core.kit.changes import kinds
from courseport.core.kit.errors import InvalidInput
from courseport.dialects.canvas.protocol import Call, coerce, prefixed_fields, prefixed_params, to_bool, to_float

RUBRIC, ASSOCIATION, ASSESSMENT = "rubric", "rubric_association", "rubric_assessment"
_RUBRIC_FIELDS = {"title": str, "free_form_criterion_comments": bool, "hide_score_total": bool}
_CRITERION = "criterion_"


@contextmanager
def spelled() -> Iterator[None]:
    """Core's rubric, association and assessment field names as Canvas's parameters."""
    with ExitStack() as stack:
        stack.enter_context(prefixed_params(RUBRIC, ("title", "criteria")))
        stack.enter_context(prefixed_params(ASSOCIATION, ("rubric_id", "association_id", "association_type",
                                                          "purpose")))
        yield


@contextmanager
def assessment_spelled(call: Call) -> Iterator[None]:
    node = call.raw(ASSESSMENT)
    names = [k for k in node if k.startswith(_CRITERION)] if isinstance(node, dict) else []
    with prefixed_params(ASSESSMENT, ("user_id", "assessment_type", *names)):
        yield


def rubric_changes(call: Call) -> RubricChanges:
    fields = prefixed_fields(call, RUBRIC, _RUBRIC_FIELDS)
    if call.raw(f"{RUBRIC}[criteria]") is not None:
        fields["criteria"] = tuple(_criterion(node, name) for name, node in
                                   _hashes(call.raw(f"{RUBRIC}[criteria]"), f"{RUBRIC}[criteria]"))
    return RubricChanges(**fields)


def association_changes(call: Call) -> AssociationChanges:
    return AssociationChanges(**prefixed_fields(call, ASSOCIATION, kinds(AssociationChanges)))


def assessment_entry(call: Call) -> AssessmentEntry:
    node = call.raw(ASSESSMENT)
    if node is None:
        return AssessmentEntry()
    if not isinstance(node, dict):
        raise InvalidInput(ASSESSMENT, f"{ASSESSMENT} must be a hash of attributes")
    return AssessmentEntry(user_id=call.str(f"{ASSESSMENT}[user_id]"),
                           assessment_type=call.str(f"{ASSESSMENT}[assessment_type]"), scores=criterion_scores(call))


def criterion_scores(call: Call) -> tuple[CriterionScore, ...]:
    node = call.raw(ASSESSMENT)
    if not isinstance(node, dict):
        return ()
    out = []
    for key, value in node.items():
        if not key.startswith(_CRITERION):
            continue
        name = f"{ASSESSMENT}[{key}]"
        if not isinstance(value, dict):
            raise InvalidInput(name, f"{name} must be a hash of points, comments and rating_id")
        out.append(CriterionScore(key[len(_CRITERION):], to_float(value.get("points"), f"{name}[points]"),
                                  coerce(value.get("comments"), str, f"{name}[comments]"),
                                  coerce(value.get("rating_id"), str, f"{name}[rating_id]") or None))
    return tuple(out)


def _hashes(node: Any, name: str) -> list[tuple[str, dict[str, Any]]]:
    """A list of hashes sent as a list or as a hash by index, in index order."""
    if isinstance(node, list):
        pairs = [(f"{name}[{n}]", v) for n, v in enumerate(node)]
    elif isinstance(node, dict) and all(str(k).isdigit() for k in node):
        pairs = [(f"{name}[{k}]", node[k]) for k in sorted(node, key=int)]
    else:
        raise InvalidInput(name, f"{name} must be a list of hashes (or a hash of them by index)")
    for at, value in pairs:
        if not isinstance(value, dict):
            raise InvalidInput(at, f"{at} must be a hash of attributes")
    return pairs


def _criterion(node: dict[str, Any], name: str) -> Criterion:
    ratings = node.get("ratings")
    return Criterion(
        description=coerce(node.get("description"), str, f"{name}[description]"),
        long_description=coerce(node.get("long_description"), str, f"{name}[long_description]"),
        points=to_float(node.get("points"), f"{name}[points]"),
        criterion_use_range=bool(to_bool(node.get("criterion_use_range"), f"{name}[criterion_use_range]")),
        ratings=None if ratings is None else tuple(_rating(r, at) for at, r in _hashes(ratings, f"{name}[ratings]")),
        id=coerce(node.get("id"), str, f"{name}[id]"),
        learning_outcome_id=coerce(node.get("learning_outcome_id"), str, f"{name}[learning_outcome_id]") or None)


def _rating(node: dict[str, Any], name: str) -> Rating:
    return Rating(description=coerce(node.get("description"), str, f"{name}[description]"),
                  long_description=coerce(node.get("long_description"), str, f"{name}[long_description]"),
                  points=to_float(node.get("points"), f"{name}[points]"), id=coerce(node.get("id"), str, f"{name}[id]"))
