"""Every Canvas route, gathered from the resource modules."""

from courseport.dialects.canvas import courses, progress

ROUTES = [*courses.ROUTES, *progress.ROUTES]
