"""Who is calling and what they may do: accounts (a tree), terms and roles, users, API tokens, OAuth
client credentials, scoped application tokens, D2L application and user keys, installation
administration, and course rights (`permissions`), the vocabulary every face asks by name.

`__all__` is the public face: the modules code outside this package may import (docs/conventions.md).
"""

__all__ = ["accounts", "admin", "d2l_apps", "oauth_clients", "permissions", "scoped_tokens", "sub_accounts", "terms",
           "tokens", "users"]
