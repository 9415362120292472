"""The toolbox every other package stands on: domain errors, ids, paging windows, signing, time zones,
typed changes (UNSET), the one HTML sanitiser, the SSRF-guarded outbound client, hostile-input readers
(zip, XML), the blob lifecycle and the column-length check every ORM flush passes. It imports no other core
package: nothing here knows what a course is.

`__all__` is the public face: the modules code outside this package may import (docs/conventions.md).
"""

__all__ = ["blob_lifecycle", "changes", "column_limits", "errors", "html", "ids", "outbound", "paging", "safe_xml",
           "safe_zip", "signing", "time_zones", "uniqueness"]
