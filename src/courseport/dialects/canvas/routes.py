"""Every Canvas route, gathered from the resource modules."""

from courseport.dialects.canvas import courses, progress
from courseport.dialects.canvas import files
from courseport.dialects.canvas import folders
from courseport.dialects.canvas import activity, todo
from courseport.dialects.canvas import users
from courseport.dialects.canvas import pages
from courseport.dialects.canvas import discussions
from courseport.dialects.canvas import submissions
from courseport.dialects.canvas import course_progress, modules
from courseport.dialects.canvas import assignment_groups, assignments, due_dates, overrides
from courseport.dialects.canvas import accounts, html, permissions, settings
from courseport.dialects.canvas import calendar_events, quizzes
from courseport.dialects.canvas import content_migrations, course_copy
from courseport.dialects.canvas import blueprints

ROUTES = [*courses.ROUTES, *progress.ROUTES]
ROUTES += [*settings.ROUTES, *html.ROUTES, *permissions.ROUTES, *accounts.ROUTES]
ROUTES += files.ROUTES
ROUTES += folders.ROUTES
ROUTES += [*todo.ROUTES, *activity.ROUTES]
ROUTES += users.ROUTES
ROUTES += pages.ROUTES
ROUTES += discussions.ROUTES
ROUTES += submissions.ROUTES
ROUTES += [*modules.ROUTES, *course_progress.ROUTES]
ROUTES += [*assignment_groups.ROUTES, *overrides.ROUTES, *assignments.ROUTES, *due_dates.ROUTES]
ROUTES += [*quizzes.ROUTES, *calendar_events.ROUTES]
ROUTES += [*content_migrations.ROUTES, *course_copy.ROUTES]
ROUTES += blueprints.ROUTES
