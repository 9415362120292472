"""Every Learn route, gathered from the resource modules (mounted under /learn/api/public)."""

from courseport.dialects.blackboard import (
    course_copy,
    courses,
    data_sources,
    groups,
    memberships,
    oauth,
    observers,
    roles,
    system,
    tasks,
    terms,
    users,
)

ROUTES = [*oauth.ROUTES, *system.ROUTES, *courses.ROUTES, *course_copy.ROUTES, *tasks.ROUTES, *users.ROUTES,
          *terms.ROUTES, *memberships.ROUTES, *groups.ROUTES,
          *roles.ROUTES, *observers.ROUTES, *data_sources.ROUTES]
