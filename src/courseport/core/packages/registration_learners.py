"""Learners of registrations (SCORM Cloud's Learner Service): update a learner's names and email on
every registration, learner tags, and deleting everything held about a learner."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from courseport.core.kit.errors import InvalidInput, NotFound
from courseport.core.packages.registrations import Learner, add_learner_tags, check_learner
from courseport.core.packages.scorm_courses import require_app_admin
from courseport.core.packages.tags import clean_tags
from courseport.schema import LearnerTag, Registration, User, XapiStatement
from courseport.schema.base import utcnow


def _known(db: Session, learner_id: str) -> None:
    if db.scalar(select(Registration.id).where(Registration.learner_id == learner_id).limit(1)) is None and \
            db.scalar(select(LearnerTag.tag).where(LearnerTag.learner_id == learner_id).limit(1)) is None:
        raise NotFound("learner", f"Learner '{learner_id}' not found")


def update_learner(db: Session, actor: User, learner_id: str, learner: Learner) -> int:
    """Set the names and email the learner's registrations carry; how many were updated."""
    require_app_admin(db, actor)
    check_learner(Learner(learner.id or learner_id, learner.email, learner.first_name, learner.last_name))
    if learner.id and learner.id != learner_id:
        raise InvalidInput("learner_id", "the learner's id cannot be changed")
    _known(db, learner_id)
    values = {k: v for k, v in (("learner_email", learner.email), ("learner_first_name", learner.first_name),
                                ("learner_last_name", learner.last_name)) if v is not None}
    if not values:
        return 0
    result = db.execute(update(Registration).where(Registration.learner_id == learner_id)
                        .values(**values, updated_at=utcnow()))
    return int(getattr(result, "rowcount", 0) or 0)


def get_tags(db: Session, actor: User, learner_id: str) -> list[str]:
    require_app_admin(db, actor)
    return list(db.scalars(select(LearnerTag.tag).where(LearnerTag.learner_id == learner_id).order_by(LearnerTag.tag)))


def set_tags(db: Session, actor: User, learner_id: str, tags: list[str] | None) -> None:
    wanted = clean_tags(tags)
    require_app_admin(db, actor)
    db.execute(delete(LearnerTag).where(LearnerTag.learner_id == learner_id))
    add_learner_tags(db, learner_id, wanted)


def remove_tags(db: Session, actor: User, learner_id: str, tags: list[str] | None) -> None:
    unwanted = clean_tags(tags)
    require_app_admin(db, actor)
    db.execute(delete(LearnerTag).where(LearnerTag.learner_id == learner_id, LearnerTag.tag.in_(unwanted)))


def tag_learners(db: Session, actor: User, learner_ids: list[str] | None, tags: list[str] | None) -> None:
    wanted, ids = clean_tags(tags), clean_tags(learner_ids, "ids")
    require_app_admin(db, actor)
    for learner_id in ids:
        add_learner_tags(db, learner_id, wanted)


def delete_learner_data(db: Session, actor: User, learner_id: str) -> None:
    """Everything held about a learner: registrations (their attempts, launches, settings, tags),
    learner tags and the xAPI statements about them."""
    require_app_admin(db, actor)
    _known(db, learner_id)
    for row in db.scalars(select(Registration).where(Registration.learner_id == learner_id)):
        db.delete(row)
    db.execute(delete(LearnerTag).where(LearnerTag.learner_id == learner_id))
    db.execute(delete(XapiStatement).where(XapiStatement.learner_id == learner_id))
    db.flush()
