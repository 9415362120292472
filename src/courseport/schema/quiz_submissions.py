"""Quiz submissions: a student taking a classic quiz (core/coursework/quiz_attempts.py).

One `quiz_submissions` row per (quiz, user, preview): its id is the id clients see for every attempt, and
`attempt` is the latest attempt's number. Each attempt is a `quiz_attempts` row with its own state, token,
times and scores; `data` holds what the student gave: {"answers": {question id: answer}, "flagged": [question
ids], "scores": {question id: points or None while a person must grade it}}.

A grader's extensions for the student (core/coursework/quiz_extensions.py) live on the `quiz_submissions` row,
as Canvas keeps them: `extra_attempts` on top of the quiz's allowed attempts, `extra_time` minutes on top of
its time limit, and `manually_unlocked` to start it outside its dates. A row made for extensions alone, before
any attempt, has `attempt` 0.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from courseport.schema.base import Base, utcnow


class QuizSubmission(Base):
    __tablename__ = "quiz_submissions"
    __table_args__ = (UniqueConstraint("quiz_id", "user_id", "preview"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("content_items.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    preview: Mapped[bool] = mapped_column(Boolean, default=False)
    attempt: Mapped[int] = mapped_column(Integer, default=1)
    extra_attempts: Mapped[int | None] = mapped_column(Integer)
    extra_time: Mapped[int | None] = mapped_column(Integer)
    manually_unlocked: Mapped[bool | None] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class QuizAttempt(Base):
    __tablename__ = "quiz_attempts"
    __table_args__ = (UniqueConstraint("submission_id", "attempt"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("quiz_submissions.id", ondelete="CASCADE"))
    attempt: Mapped[int] = mapped_column(Integer)
    workflow_state: Mapped[str] = mapped_column(String(32), default="untaken")
    validation_token: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    end_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    score: Mapped[float | None] = mapped_column(Float)
    fudge_points: Mapped[float | None] = mapped_column(Float)
    data: Mapped[dict] = mapped_column(JSON, default=dict)
