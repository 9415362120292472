"""The Learn entitlements each route asks of the calling application, as Learn's reference names them
(a call passes when the application holds any one of a route's; the user's own rights apply besides).
Applications hold every entitlement unless given a list (core/identity/oauth_clients.py)."""

from __future__ import annotations

USER_VIEW = ("system.user.VIEW", "user.VIEW")
USER_READ = ("user.VIEW", "system.user.properties.MODIFY", "system.useradmin.generic.VIEW", "system.user.VIEW")
USER_CREATE = ("system.user.CREATE",)
USER_MODIFY = ("system.user.properties.MODIFY",)
SELF_MODIFY = ("self.user.MODIFY", "system.user.properties.MODIFY")
USER_DELETE = ("system.user.DELETE",)
EMAIL_SEARCH = ("system.user.properties.MODIFY",)  # without it, contact.email is ignored in a user search
MEMBERS_VIEW = ("course.user.VIEW", "system.user.course.enrollment.VIEW", "system.courseuserlist.VIEW",
                "system.user.org.enrollment.VIEW", "system.orguserlist.VIEW")
USER_MEMBERSHIPS_VIEW = ("system.user.course.enrollment.VIEW", "system.user.org.enrollment.VIEW")
MEMBER_CREATE = ("system.enrollment.CREATE", "org.enrollment.CREATE")
MEMBER_MODIFY = ("course.user.MODIFY", "org.user.MODIFY")
MEMBER_DELETE = ("system.enrollment.DELETE", "course.user.DELETE", "org.enrollment.DELETE")
TERM_MODIFY = ("system.term.MODIFY",)
COURSE_CREATE = ("system.course.CREATE", "system.org.CREATE")
COURSE_MODIFY = ("system.course.properties.MODIFY", "system.org.properties.MODIFY",
                 "course.configure-properties.EXECUTE")
COURSE_DELETE = ("system.course.DELETE", "system.org.DELETE")
COURSE_COPY = ("system.course.copy.EXECUTE", "system.org.copy.EXECUTE")
COPY_TASK_VIEW = ("system.course.copy.EXECUTE",)
GROUP_CREATE = ("course.groups.CREATE",)
GROUP_MODIFY = ("course.group.MODIFY",)
GROUP_DELETE = ("course.group.DELETE",)
GROUP_USER_MANAGE = ("course.group-user.manage.EXECUTE",)
SYSTEM_ROLE_VIEW = ("system.systemrole.manager.VIEW",)
INSTITUTION_ROLE_VIEW = ("system.institutionrole.VIEW",)
OBSERVERS_VIEW = ("observer.associations.VIEW",)
OBSERVER_CREATE = ("system.observer_user.CREATE",)
OBSERVER_DELETE = ("system.observer_user.DELETE",)
DATA_SOURCE_MANAGE = ("system.datasource.manager.VIEW",)
