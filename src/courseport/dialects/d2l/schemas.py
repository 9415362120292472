"""The parent org unit constraints of course offerings and of course templates (SchemaElement lists)."""

from __future__ import annotations

from courseport.core.courses import org_units
from courseport.dialects.d2l.course_json import render_schema
from courseport.dialects.d2l.protocol import Call, get


@get("/api/lp/{version:str}/courses/schema", opt={"since": "1.1"})
def offering_schema(call: Call, version: str) -> list:
    with call.read():
        return render_schema(org_units.OFFERING_PARENTS)


@get("/api/lp/{version:str}/coursetemplates/schema", opt={"since": "1.1"})
def template_schema(call: Call, version: str) -> list:
    with call.read():
        return render_schema(org_units.TEMPLATE_PARENTS)


ROUTES = [offering_schema, template_schema]
