"""Every Learn route, gathered from the resource modules (mounted under /learn/api/public)."""

from courseport.dialects.blackboard import courses, oauth, system

ROUTES = [*oauth.ROUTES, *system.ROUTES, *courses.ROUTES]
