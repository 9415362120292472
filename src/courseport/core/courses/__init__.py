"""The course itself: resolving a course by any id form, creating, updating (`CourseChanges`), changing
state, settings, navigation tabs, sections, groups, enrollments and the observer links that keep observers
enrolled beside their students, the one course-code policy (`course_codes`), batch updates, what each user
keeps of a course for themself (`course_nicknames`, `course_favorites`), and the course
as other systems keep it: SIS-style course records, templates and the offerings made from them,
SIS imports of accounts, terms, users, courses, sections and enrollments from CSV files (`sis_imports`), and
the organisation tree over accounts, terms, templates and courses (`org_units`), the sections and groups of
an offering by org unit id (`offering_sections`, `offering_groups`), who sees and sets the SIS ids of groups
(`group_sis`), the letter-grade schemes courses and accounts keep (`grading_standards`), and the grading period sets
accounts keep for terms and the dated periods a course's grades are split into
(`grading_periods`), the LTI tool configurations accounts and courses keep (`external_tools`) and the optional
features they, and users, turn on (`feature_flags`), where content lives: a course or one of its
groups (`content_contexts`), and the conversations (private messages) users send the people they share
courses with (`conversations`, `conversation_views`, `conversation_recipients`, `conversation_batches`).

`__all__` is the public face: the modules code outside this package may import (docs/conventions.md).
"""

__all__ = ["batch_updates", "content_contexts", "conversation_batches", "conversation_recipients",
           "conversation_views", "conversations", "course_favorites", "course_nicknames", "course_offerings",
           "course_records", "course_settings", "course_tabs", "course_templates", "courses", "custom_colors",
           "enrollments",
           "external_tools", "feature_flags",
           "grading_periods", "grading_standards", "group_assignment", "group_memberships", "group_queries",
           "group_sets", "group_sis", "groups",
           "observer_links", "pairing_codes",
           "org_units", "sections", "org_tree", "org_unit_changes", "offering_sections",
           "offering_groups", "sis_imports"]
