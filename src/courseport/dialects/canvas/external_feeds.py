"""Canvas announcement external feeds of a course: list, add (the URL is checked, never fetched) and remove."""

from __future__ import annotations

from litestar import Response

from courseport.core.content import external_feeds
from courseport.dialects.canvas.external_feed_json import render_external_feed
from courseport.dialects.canvas.protocol import Call, delete, get, post


@get("/courses/{course_id:str}/external_feeds")
def list_external_feeds(call: Call, course_id: str) -> Response:
    window = call.window()
    with call.read() as (db, me):
        page = external_feeds.list_feeds(db, me, course_id, window)
        return call.paged([render_external_feed(f) for f in page.items], window, page)


@post("/courses/{course_id:str}/external_feeds", status_code=200)
def create_external_feed(call: Call, course_id: str) -> dict:
    new = external_feeds.NewFeed(url=call.str("url"), header_match=call.str("header_match"),
                                 verbosity=call.str("verbosity"))
    with call.write() as (db, me):
        return render_external_feed(external_feeds.create_feed(db, me, course_id, new))


@delete("/courses/{course_id:str}/external_feeds/{external_feed_id:int}")
def delete_external_feed(call: Call, course_id: str, external_feed_id: int) -> dict:
    with call.write() as (db, me):
        return render_external_feed(external_feeds.delete_feed(db, me, course_id, external_feed_id))


ROUTES = [list_external_feeds, create_external_feed, delete_external_feed]
