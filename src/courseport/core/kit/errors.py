"""Domain errors. They carry no status code: each dialect maps them to its own error body once.

Errors name core fields (`course_code`, `end_at`); each dialect spells them as its API does through
its own table (`spelled`). A message that names fields other than at its start is a `FieldText`: a
template whose `{placeholders}` are core words (field names, enum values), so a table renames them
and nothing searches free text. Values the caller sent go in as values and are never renamed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Self


class FieldText:
    """A message naming core words as `{word}`; `values` fill the other placeholders as given."""

    def __init__(self, template: str, **values: Any):
        self.template, self.values = template, values

    def render(self, names: Mapping[str, str] | None = None) -> str:
        return self.template.format_map(_Words(names or {}, self.values))


class _Words(dict[str, Any]):
    def __init__(self, names: Mapping[str, str], values: Mapping[str, Any]):
        super().__init__(values)
        self.names = names

    def __missing__(self, word: str) -> str:
        return self.names.get(word, word)


class DomainError(Exception):
    def __init__(self, message: str | FieldText):
        self.text = message if isinstance(message, FieldText) else None
        self.message = message.render() if isinstance(message, FieldText) else message
        super().__init__(self.message)

    def spelled(self, names: Mapping[str, str]) -> Self:
        """This error with its core words spelled as a dialect's table (core word -> wire name) says.

        Renames in place and returns the error, for `raise exc.spelled(TABLE)`."""
        if self.text is not None:
            self.message = self.text.render(names)
            self.args = (self.message,)
        return self


class NotAuthenticated(DomainError):
    """No credentials, or credentials that do not identify a user."""

    def __init__(self, message: str = "user authorization required", *, invalid: bool = False,
                 challenge: bool = True):
        super().__init__(message)
        self.invalid = invalid  # credentials were given but are wrong or expired
        # False when the caller's own credentials were good and another's were refused (an as_user_id, an
        # observee's login): faces send no challenge then, so a client does not take its token for bad.
        self.challenge = challenge


class NotFound(DomainError):
    def __init__(self, what: str = "resource", message: str | None = None):
        super().__init__(message or f"The specified {what} does not exist.")
        self.what = what


class NotAllowed(DomainError):
    def __init__(self, message: str = "user not authorized to perform that action"):
        super().__init__(message)


class Conflict(DomainError):
    pass


class StoreBusy(DomainError):
    """The database refused a change for another one it was making: a deadlock, a serialization failure or a
    lock held longer than the wait allowed (SQLite's busy timeout, PostgreSQL's lock_timeout). Nothing of the
    change was written and the same call may succeed when made again: every face answers 503 with Retry-After."""

    def __init__(self, retry_after: int = 1):
        super().__init__("The service is busy with another change to the same data; nothing was changed. "
                         "Try again shortly.")
        self.retry_after = retry_after


class InvalidInput(DomainError):
    """Bad input; `field` names the core field (or the parameter as the caller sent it, when a
    dialect raises it); a plain message names it first, if at all, so `spelled` renames both."""

    def __init__(self, field: str, message: str | FieldText):
        super().__init__(message)
        self.field = field

    def spelled(self, names: Mapping[str, str]) -> Self:
        wire = names.get(self.field)
        if wire is None:
            return super().spelled(names)
        if self.text is None and _starts_with_word(self.message, self.field):
            self.message = wire + self.message[len(self.field):]
            self.args = (self.message,)
        self.field = wire
        return super().spelled(names)


def _starts_with_word(text: str, word: str) -> bool:
    after = text[len(word):len(word) + 1]
    return text.startswith(word) and not (after.isalnum() or after == "_")


@contextmanager
def spelled_as(names: Mapping[str, str]) -> Iterator[None]:
    """Domain errors raised inside name core words as `names` (a dialect's table) spells them."""
    try:
        yield
    except DomainError as exc:
        raise exc.spelled(names) from None
