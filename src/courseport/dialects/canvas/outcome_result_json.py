"""Canvas JSON for outcome results and rollups (`OutcomeResult`, `OutcomeRollup`), the `linked` objects asked
for with include[], and the `meta.pagination` block Canvas adds to these answers."""

from __future__ import annotations

from typing import Any

from courseport.core.coursework.outcome_results import Linked, OutcomeResult
from courseport.core.coursework.outcome_rollups import Rollup, RollupScore
from courseport.core.kit.paging import Slice, Window
from courseport.dialects.canvas.outcome_json import render_group, render_link, render_outcome
from courseport.dialects.canvas.protocol import iso
from courseport.dialects.canvas.user_json import avatar_url_of
from courseport.schema import User
from courseport.schema.content import ContentItem


def alignment_id(assignment: ContentItem) -> str:
    return f"assignment_{assignment.id}"


def render_result(result: OutcomeResult) -> dict[str, Any]:
    return {"id": result.id, "score": result.score, "submitted_or_assessed_at": iso(result.assessed_at),
            "links": {"user": str(result.user_id), "learning_outcome": str(result.outcome.id),
                      "alignment": alignment_id(result.assignment), "assignment": alignment_id(result.assignment)},
            "percent": round(result.percent, 4), "mastery": result.mastery, "possible": result.possible,
            "hidden": False, "hide_points": False}


def render_score(score: RollupScore) -> dict[str, Any]:
    return {"score": score.score, "title": score.outcome.title, "submitted_at": iso(score.submitted_at),
            "count": score.count, "hide_points": False, "links": {"outcome": str(score.outcome.id)}}


def render_rollup(rollup: Rollup, course_id: int) -> dict[str, Any]:
    links = {"course": str(course_id)} if rollup.user_id is None else {"user": str(rollup.user_id),
                                                                        "status": "active"}
    return {"scores": [render_score(s) for s in rollup.scores], "links": links}


def render_linked(linked: Linked, outcomes: list[ContentItem], results: list[OutcomeResult], includes: set[str],
                  can_edit: bool, course_id: int, origin: str) -> dict[str, Any]:
    """The `linked` block: only what include[] asked for."""
    out: dict[str, Any] = {}
    aligned: dict[int, dict[str, ContentItem]] = {}
    for result in results:
        aligned.setdefault(result.outcome.id, {})[alignment_id(result.assignment)] = result.assignment
    if "outcomes" in includes or "outcomes.alignments" in includes:
        out["outcomes"] = [render_outcome(o, can_edit and o.course_id == course_id)
                           | ({"alignments": sorted(aligned.get(o.id, {}))} if "outcomes.alignments" in includes
                              else {}) for o in outcomes]
    if "alignments" in includes:
        every = {k: v for found in aligned.values() for k, v in found.items()}
        out["alignments"] = [{"id": k, "name": a.title, "html_url":
                              f"{origin}/courses/{a.course_id}/assignments/{a.id}"} for k, a in sorted(every.items())]
    if "outcome_groups" in includes:
        groups = {v.group.id: v.group for v in linked.links}
        out["outcome_groups"] = [render_group(g, None, can_edit) for g in groups.values()]
    if "outcome_links" in includes:
        out["outcome_links"] = [render_link(v, can_edit, False) for v in linked.links]
    if "outcome_paths" in includes:
        out["outcome_paths"] = [{"id": oid, "parts": [{"name": name} for name in names]}
                                for oid, names in linked.paths.items()]
    if "users" in includes:
        out["users"] = [render_linked_user(u, origin) for u in linked.users]
    return out


def render_linked_user(user: User, origin: str) -> dict[str, Any]:
    return {"id": user.id, "name": user.name, "display_name": user.name, "sortable_name": user.sortable_name,
            "avatar_url": avatar_url_of(user, origin)}


def render_meta(links: dict[str, str], window: Window, page: Slice[Any]) -> dict[str, Any]:
    """Canvas's `meta.pagination`: the page, its size, the count and the page URLs of the Link header."""
    urls = {}
    for part in links.get("Link", "").split(","):
        url, _, rel = part.partition(";")
        urls[rel.strip().removeprefix('rel="').removesuffix('"')] = url.strip().strip("<>")
    total = page.total or 0
    return {"pagination": {"per_page": window.limit, "page": window.offset // window.limit + 1, "count": total,
                           "page_count": max(1, -(-total // window.limit)), **urls}}
