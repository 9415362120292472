"""Announcement external feeds: RSS or Atom feeds a course's teachers attach so each new entry would become an
announcement. Only the subscription is kept: a feed is never fetched here, so it never has entries."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.courses.courses import readable_course
from courseport.core.kit.errors import InvalidInput, NotFound
from courseport.core.kit.outbound import check_url
from courseport.core.kit.paging import Slice, Window, fetch_window
from courseport.schema import ExternalFeed, User

VERBOSITIES = ("full", "truncate", "link_only")
_RIGHT = "create_announcement"  # who may post announcements lists, adds and removes their feeds (as Canvas)


@dataclass(frozen=True)
class NewFeed:
    url: str | None
    header_match: str | None = None
    verbosity: str | None = None


def display_name(feed: ExternalFeed) -> str:
    """A feed not yet pulled has no title of its own: its URL's scheme and host stand in (Canvas's rule)."""
    parts = urlsplit(feed.url)
    return f"{parts.scheme}://{parts.netloc} feed"


def list_feeds(db: Session, actor: User, course_ref: str | int, window: Window) -> Slice[ExternalFeed]:
    course, _ = readable_course(db, actor, course_ref, _RIGHT)
    return fetch_window(db, select(ExternalFeed).where(ExternalFeed.course_id == course.id)
                        .order_by(ExternalFeed.id), window)


def create_feed(db: Session, actor: User, course_ref: str | int, new: NewFeed) -> ExternalFeed:
    course, _ = readable_course(db, actor, course_ref, _RIGHT)
    url = check_url(new.url.strip() if new.url else None, "url")
    verbosity = new.verbosity or "full"
    if verbosity not in VERBOSITIES:
        raise InvalidInput("verbosity", f"verbosity must be one of {', '.join(VERBOSITIES)}")
    feed = ExternalFeed(course_id=course.id, user_id=actor.id, url=url,
                        header_match=(new.header_match or "").strip() or None, verbosity=verbosity)
    db.add(feed)
    db.flush()
    return feed


def delete_feed(db: Session, actor: User, course_ref: str | int, feed_id: int) -> ExternalFeed:
    course, _ = readable_course(db, actor, course_ref, _RIGHT)
    feed = db.get(ExternalFeed, feed_id)
    if feed is None or feed.course_id != course.id:
        raise NotFound("external_feed")
    db.delete(feed)
    db.flush()
    return feed
