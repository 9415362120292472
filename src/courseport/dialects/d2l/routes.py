"""Every Valence route, gathered from the resource modules (mounted under /d2l)."""

from courseport.dialects.d2l import (
    auth,
    classlist,
    copy_jobs,
    courses,
    enrollments,
    groups,
    import_jobs,
    import_logs,
    orgstructure,
    outypes,
    profiles,
    roles,
    schemas,
    sections,
    templates,
    users,
    versions,
)

ROUTES = [*auth.ROUTES, *versions.ROUTES, *schemas.ROUTES, *courses.ROUTES, *templates.ROUTES, *copy_jobs.ROUTES,
          *import_jobs.ROUTES, *users.ROUTES, *roles.ROUTES, *enrollments.ROUTES,
          *import_logs.ROUTES, *orgstructure.ROUTES, *outypes.ROUTES, *sections.ROUTES, *classlist.ROUTES,
          *groups.ROUTES, *profiles.ROUTES]
