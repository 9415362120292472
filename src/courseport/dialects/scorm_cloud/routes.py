"""Every SCORM Cloud route, gathered from the resource modules (mounted under /api/v2)."""

from courseport.dialects.scorm_cloud import (
          about,
          assets,
          configuration,
          courses,
          import_jobs,
          learners,
          previews,
          registration_instances,
          registrations,
          statements,
          tags,
          xapi_credentials,
)

ROUTES = [*about.ROUTES, *import_jobs.ROUTES, *tags.ROUTES, *configuration.ROUTES, *courses.ROUTES,
          *previews.ROUTES, *statements.ROUTES, *assets.ROUTES,
          *registrations.ROUTES, *registration_instances.ROUTES, *learners.ROUTES,
          *xapi_credentials.ROUTES]
