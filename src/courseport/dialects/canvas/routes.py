"""Every Canvas route, gathered from the resource modules."""

from courseport.dialects.canvas import (
    account_courses,
    account_notifications,
    account_outcomes,
    accounts,
    activity,
    admins,
    assignment_extensions,
    assignment_groups,
    assignments,
    blueprints,
    bookmarks,
    bulk_grading,
    calendar_events,
    communication_channels,
    content_exports,
    content_migrations,
    conversations,
    course_copy,
    course_nicknames,
    course_progress,
    courses,
    discussions,
    due_dates,
    enrollments,
    external_feeds,
    external_tools,
    favorites,
    features,
    file_quotas,
    files,
    folders,
    global_outcomes,
    gradebook_columns,
    grading_periods,
    grading_standards,
    groups,
    html,
    late_policies,
    logins,
    modules,
    notification_preferences,
    observees,
    outcome_groups,
    outcome_links,
    outcome_results,
    outcomes,
    overrides,
    pages,
    peer_reviews,
    permissions,
    planner,
    planner_notes,
    planner_overrides,
    progress,
    quiz_extensions,
    quiz_groups,
    quiz_overrides,
    quiz_reports,
    quiz_statistics,
    quiz_submissions,
    quizzes,
    roles,
    rubric_assessments,
    rubrics,
    sections,
    settings,
    sis_imports,
    sub_accounts,
    submissions,
    tabs,
    terms,
    todo,
    usage_rights,
    user_assignments,
    user_settings,
    users,
)

ROUTES = [*courses.ROUTES, *progress.ROUTES]
ROUTES += [*settings.ROUTES, *tabs.ROUTES, *html.ROUTES, *permissions.ROUTES, *accounts.ROUTES]
ROUTES += [*files.ROUTES, *file_quotas.ROUTES, *usage_rights.ROUTES]
ROUTES += folders.ROUTES
ROUTES += [*todo.ROUTES, *activity.ROUTES]
ROUTES += users.ROUTES
ROUTES += [*course_nicknames.ROUTES, *favorites.ROUTES, *bookmarks.ROUTES]
ROUTES += conversations.ROUTES
ROUTES += pages.ROUTES
ROUTES += [*discussions.ROUTES, *external_feeds.ROUTES]
ROUTES += [*submissions.ROUTES, *bulk_grading.ROUTES, *peer_reviews.ROUTES, *grading_standards.ROUTES,
           *grading_periods.ROUTES]
ROUTES += [*rubrics.ROUTES, *rubric_assessments.ROUTES, *late_policies.ROUTES]
ROUTES += [*outcome_groups.ROUTES, *outcome_links.ROUTES, *outcome_results.ROUTES, *outcomes.ROUTES]
ROUTES += [*account_outcomes.ROUTES, *global_outcomes.ROUTES]
ROUTES += gradebook_columns.ROUTES
ROUTES += [*modules.ROUTES, *course_progress.ROUTES]
ROUTES += [*assignment_groups.ROUTES, *overrides.ROUTES, *assignments.ROUTES, *due_dates.ROUTES]
ROUTES += assignment_extensions.ROUTES
ROUTES += user_assignments.ROUTES
ROUTES += [*quizzes.ROUTES, *quiz_submissions.ROUTES, *quiz_extensions.ROUTES, *quiz_groups.ROUTES]
ROUTES += quiz_statistics.ROUTES
ROUTES += quiz_reports.ROUTES
ROUTES += quiz_overrides.ROUTES
ROUTES += calendar_events.ROUTES
ROUTES += [*planner.ROUTES, *planner_notes.ROUTES, *planner_overrides.ROUTES]
ROUTES += [*content_migrations.ROUTES, *course_copy.ROUTES, *content_exports.ROUTES]
ROUTES += blueprints.ROUTES
ROUTES += [*terms.ROUTES, *account_courses.ROUTES, *sub_accounts.ROUTES, *sections.ROUTES]
ROUTES += [*enrollments.ROUTES, *observees.ROUTES, *groups.ROUTES]
ROUTES += [*logins.ROUTES, *roles.ROUTES, *admins.ROUTES]
ROUTES += [*communication_channels.ROUTES, *user_settings.ROUTES, *notification_preferences.ROUTES]
ROUTES += account_notifications.ROUTES
ROUTES += sis_imports.ROUTES
ROUTES += [*external_tools.ROUTES, *features.ROUTES]
