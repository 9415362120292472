"""SCORM Cloud's names for the fields core names in snake_case: the one table, and where errors are renamed.

Core's package functions name their own fields (`course_id`, `fetch_url`, `order_by`) and begin an
error's sentence with that name. A route runs its core calls inside `scorm_fields()`, which gives
such an error SCORM Cloud's name for the field, at the head of the sentence too (`courseId is
required`), so the client reads the name it sent.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from courseport.core.kit.errors import InvalidInput

FIELDS = {
    "course_id": "courseId", "postback_url": "postbackUrl", "content_type": "contentType",
    "datetime_filter": "datetimeFilter", "filter_by": "filterBy", "order_by": "orderBy",
    "css_url": "cssUrl", "start_sco": "startSco",
    "fetch_url": "fetchUrl", "relative_path": "relativePath", "update_policy": "updateAssetPolicy",
    "setting_id": "settingId", "launch_auth.type": "launchAuth.type", "launch_auth.expiry": "launchAuth.options.expiry",
    "launch_auth.sliding_expiry": "launchAuth.options.slidingExpiry",
}


@contextmanager
def scorm_fields() -> Iterator[None]:
    """Core's field names in InvalidInput as SCORM Cloud's (FIELDS); other errors pass unchanged."""
    try:
        yield
    except InvalidInput as exc:
        name = FIELDS.get(exc.field)
        if name is None:
            raise
        message = name + exc.message[len(exc.field):] if exc.message.startswith(exc.field) else exc.message
        raise InvalidInput(name, message) from None
