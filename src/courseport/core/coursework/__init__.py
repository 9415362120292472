"""What students do and are graded on: assignments and their groups, overrides, submissions, students' extra attempts
on assignments, grades (one at a time or in bulk;
per grading period: period_scores), quizzes, their questions and question groups, students' attempts
at them and their statistics, discussions, entries and announcements (with the full topic view, pinned
topics' order and entry ratings), peer reviews of submissions, learning
outcomes in their groups (of a course, an account or global: outcome_owners) and students' results on them
(with their rollups), rubrics (their associations with
assignments and the assessments made through them), a course's late policy (late_status: a submission's late and
missing state, read by the faces; missing_deductions: the missing deduction applied as due dates pass, run
periodically by each serving process; late_regrades: late work settled again when due dates move, its content
change hook registered by the wiring) and its custom gradebook columns with their entries.

`__all__` is the public face: the modules code outside this package may import (docs/conventions.md).
"""

__all__ = ["announcements", "assignment_extensions", "assignment_groups", "assignment_overrides", "assignments",
           "bulk_grades", "discussion_entries", "discussion_pins", "discussion_ratings", "discussion_views",
           "discussions", "gradeable_students", "gradebook_column_data",
           "gradebook_columns", "grades", "late_policies", "late_regrades", "late_status", "missing_deductions",
           "outcome_groups", "outcome_owners", "outcome_results", "outcome_rollups", "outcomes", "overrides",
           "peer_reviews",
           "period_scores",
           "quiz_attempts", "quiz_extensions",
           "quiz_grading", "quiz_groups", "quiz_questions", "quiz_reports", "quiz_statistics", "quiz_submissions",
           "quizzes",
           "rubric_assessments", "rubric_associations", "rubric_views", "rubrics", "submission_views", "submissions"]
