"""Who is calling and what they may do: accounts (a tree), terms and roles, users and their logins,
communication channels and their notification preferences, settings, account
notifications (global announcements), account administrators, acting as another user, API tokens, OAuth client
credentials, scoped application tokens, the bookmarks users keep (`bookmarks`), D2L application and user keys,
data sources (named integrations), installation administration, and course rights (`permissions`), the
vocabulary every face asks by name.

`__all__` is the public face: the modules code outside this package may import (docs/conventions.md).
"""

__all__ = ["account_admins", "account_notifications", "account_users", "accounts", "admin", "bookmarks",
           "communication_channels", "d2l_apps", "data_sources", "logins", "masquerade", "notification_preferences",
           "oauth_clients", "permissions",
           "role_writes", "roles", "scoped_tokens", "sis_stickiness", "sub_accounts", "tenancy", "tenants", "terms",
           "tokens", "user_merges", "user_settings", "users"]
