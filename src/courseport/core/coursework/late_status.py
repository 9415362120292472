"""A submission's late and missing state, as Canvas shows it: from its dates unless a grader set its
`late_policy_status` (late, missing, extended or none), which wins; excused work is never late or missing.

`late` stored on the row is the automatic answer (submitted after the student's effective due date, set
when they submit); a grader's "late" may carry `seconds_late_override`. An assignment graded by the course's
missing-submission deduction keeps showing missing (`data["missing_policy"]`) until a grader grades it.
"""

from __future__ import annotations

from datetime import datetime

from courseport.schema.content import ContentItem, Submission

STATUSES = ("late", "missing", "extended", "none")
NO_SUBMISSION_EXPECTED = frozenset({"none", "not_graded", "on_paper", "external_tool", "wiki_page"})
MISSING_POLICY_MARK = "missing_policy"


def is_late(row: Submission) -> bool:
    if row.excused:
        return False
    if row.late_policy_status:
        return row.late_policy_status == "late"
    return bool(row.late)


def is_missing(row: Submission, assignment: ContentItem, due_at: datetime | None, now: datetime) -> bool:
    if row.excused:
        return False
    if row.late_policy_status:
        return row.late_policy_status == "missing"
    types = set((assignment.data or {}).get("submission_types") or ["none"])
    ungraded = row.score is None or bool((row.data or {}).get(MISSING_POLICY_MARK))
    return bool(row.submitted_at is None and ungraded and due_at and due_at < now
                and not types <= NO_SUBMISSION_EXPECTED)


def seconds_late(row: Submission, due_at: datetime | None) -> int:
    if not is_late(row):
        return 0
    if row.late_policy_status == "late" and row.seconds_late_override is not None:
        return row.seconds_late_override
    if not (row.submitted_at and due_at):
        return 0
    return max(0, int((row.submitted_at - due_at).total_seconds()))
