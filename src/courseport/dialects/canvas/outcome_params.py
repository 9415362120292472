"""Canvas's outcome and outcome group parameters read into core's change objects: the top-level `title`,
`display_name`, `description`, `vendor_guid`, `mastery_points`, `ratings[][description|points]`,
`calculation_method` and `calculation_int` of an outcome, and `title`, `description`, `vendor_guid`,
`parent_outcome_group_id` of a group. Core names these fields as Canvas does, so no spelling table is needed."""

from __future__ import annotations

from typing import Any

from courseport.core.coursework.outcome_groups import GroupChanges
from courseport.core.coursework.outcomes import OutcomeChanges, OutcomeRating
from courseport.core.kit.changes import kinds
from courseport.core.kit.errors import InvalidInput
from courseport.dialects.canvas.protocol import Call, coerce, to_float, to_int

_OUTCOME_TEXT = ("title", "display_name", "description", "vendor_guid", "calculation_method")


def outcome_changes(call: Call) -> OutcomeChanges:
    fields: dict[str, Any] = {name: coerce(call.raw(name), str, name) for name in _OUTCOME_TEXT if call.has(name)}
    if call.has("mastery_points"):
        fields["mastery_points"] = to_float(call.raw("mastery_points"), "mastery_points")
    if call.has("calculation_int"):
        fields["calculation_int"] = to_int(call.raw("calculation_int"), "calculation_int")
    if call.has("ratings"):
        fields["ratings"] = _ratings(call.raw("ratings"))
    return OutcomeChanges(**fields)


def group_changes(call: Call) -> GroupChanges:
    return GroupChanges(**{name: coerce(call.raw(name), kind, name) for name, kind in kinds(GroupChanges).items()
                           if call.has(name)})


def _ratings(node: Any) -> tuple[OutcomeRating, ...]:
    """A list of hashes (`ratings[][points]`), or a hash of them by index (`ratings[0][points]`)."""
    if isinstance(node, dict) and node and all(str(k).isdigit() for k in node):
        node = [node[k] for k in sorted(node, key=int)]
    if not isinstance(node, list):
        raise InvalidInput("ratings", "ratings must be a list of hashes of description and points")
    out = []
    for n, rating in enumerate(node):
        name = f"ratings[{n}]"
        if not isinstance(rating, dict):
            raise InvalidInput(name, f"{name} must be a hash of description and points")
        out.append(OutcomeRating(coerce(rating.get("description"), str, f"{name}[description]"),
                                 to_float(rating.get("points"), f"{name}[points]")))
    return tuple(out)
