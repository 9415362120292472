"""Domain errors. They carry no status code: each dialect maps them to its own error body once."""

from __future__ import annotations


class DomainError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotAuthenticated(DomainError):
    """No credentials, or credentials that do not identify a user."""

    def __init__(self, message: str = "user authorization required", *, invalid: bool = False):
        super().__init__(message)
        self.invalid = invalid  # credentials were given but are wrong or expired


class NotFound(DomainError):
    def __init__(self, what: str = "resource", message: str | None = None):
        super().__init__(message or f"The specified {what} does not exist.")
        self.what = what


class NotAllowed(DomainError):
    def __init__(self, message: str = "user not authorized to perform that action"):
        super().__init__(message)


class Conflict(DomainError):
    pass


class InvalidInput(DomainError):
    """Bad input; `field` names the parameter as the caller sent it (dialects may rename)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
