"""Course import job logs (le unstable, and 1.5+): a paged result set (PagedResultSet: PagingInfo with
Bookmark and HasMoreItems, Items) of ImportCourseLog blocks, one per message the job recorded: each
resource imported, each one skipped and why, or why the job failed. Valence's reference returns "a
paged result set containing the resulting ImportCourseLog blocks for the segment following your bookmark
parameter", so the route pages like the other bookmark routes, not as an ObjectListPage."""

from __future__ import annotations

from courseport.core.courses import course_offerings
from courseport.core.packages import offering_imports
from courseport.core.packages.offering_imports import LogEntry
from courseport.dialects.d2l.import_jobs import BASE, OPT
from courseport.dialects.d2l.protocol import PAGE_SIZE, Call, get, route_id
from courseport.dialects.d2l.users import bookmark_offset


def render_log(entry: LogEntry) -> dict[str, str]:
    return {"Message": entry.message}


@get(BASE + "/{job_token:str}/logs", opt=OPT)  # Valence writes it .../logs/; either reaches it
def get_import_logs(call: Call, version: str, org_unit_id: str, job_token: str) -> dict:
    target_ou = route_id(org_unit_id, "target org unit")
    offset = bookmark_offset(call.bookmark())
    with call.read() as (db, me):
        target = course_offerings.offering_course_id(db, target_ou)
        entries = offering_imports.import_log(db, me, target, job_token)
    page = [render_log(e) for e in entries[offset:offset + PAGE_SIZE]]
    return call.paged(page, str(offset + len(page)) if page else None, len(entries) > offset + PAGE_SIZE)


ROUTES = [get_import_logs]
