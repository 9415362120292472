"""What a student turns in, checked as Canvas checks it (submissions.submit): the type is one the assignment
takes, the parameter the type needs is there and valid (a URL, files of allowed extensions)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.kit.errors import InvalidInput
from courseport.core.kit.ids import is_id, store_id
from courseport.schema import Course, File, User
from courseport.schema.content import ContentItem

SUBMISSION_TYPES: dict[str, str] = {  # type -> the submission[...] parameter it requires
    "online_text_entry": "body", "online_url": "url", "online_upload": "file_ids",
    "media_recording": "media_comment_id", "basic_lti_launch": "url", "student_annotation": "annotatable_attachment_id",
}


@dataclass(frozen=True)
class SubmissionEntry:
    """What a student turns in; only the field its type requires is used."""

    submission_type: str | None
    body: str | None = None
    url: str | None = None
    file_ids: tuple[str, ...] = ()
    media_comment_id: str | None = None
    annotatable_attachment_id: str | None = None
    comment: str | None = None


def checked_entry(db: Session, course: Course, assignment: ContentItem, actor: User, entry: SubmissionEntry
                  ) -> list[File]:
    """Canvas's checks, in its order: the type is allowed, its parameter is present and valid."""
    allowed = (assignment.data or {}).get("submission_types") or ["none"]
    if entry.submission_type not in SUBMISSION_TYPES or entry.submission_type not in allowed:
        raise InvalidInput("submission[submission_type]", "Invalid submission[submission_type] given")
    needed = SUBMISSION_TYPES[entry.submission_type]
    value = getattr(entry, needed)
    if not value or (needed == "body" and not str(value).strip()):
        raise InvalidInput(f"submission[{needed}]", f"Invalid parameters for submission_type "
                                                    f"{entry.submission_type}. Required: submission[{needed}]")
    if needed == "url":
        normalised_url(entry.url)
    if needed != "file_ids":
        return []
    ids = [store_id(i) for i in entry.file_ids if is_id(i)]
    files = list(db.scalars(select(File).where(
        File.id.in_(ids), File.workflow_state != "deleted",
        (File.course_id == course.id) | (File.user_id == actor.id)).order_by(File.id))) if ids else []
    if not files:
        raise InvalidInput("submission[file_ids]", "No valid file ids given")
    extensions = [e.lower().lstrip(".") for e in (assignment.data or {}).get("allowed_extensions") or []]
    if extensions and any(f.display_name.rpartition(".")[2].lower() not in extensions for f in files):
        raise InvalidInput("submission[file_ids]", f"Invalid file type; allowed: {', '.join(extensions)}")
    return files


def normalised_url(url: str | None) -> str:
    text = (url or "").strip()
    if "://" not in text:
        text = "http://" + text
    if not text.lower().startswith(("http://", "https://")) or len(text) <= len("http://"):
        raise InvalidInput("submission[url]", "submission[url] must be an http or https URL")
    return text
