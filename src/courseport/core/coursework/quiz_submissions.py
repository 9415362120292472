"""Quiz submissions, read: a student's attempts at a classic quiz, the kept score, and the questions of an
attempt with the answers given so far (the writes, taking and grading, are `quiz_attempts.py`).

One submission per (quiz, student) keeps its id across attempts (schema/quiz_submissions.py); a view shows
one attempt of it. Graders (manage_grades or view_all_grades) read every student's; a student reads their
own: while an attempt is under way only that one, else every finished attempt. An attempt shows the quiz's
questions outside question groups and the ones drawn for it from each group when it started. An untaken attempt past
its `end_at` is overdue: it takes no more answers and is graded when next written to (completed, or
another attempt started). A row a grader's extensions made before any attempt (`attempt` 0) is no
submission yet: it is neither listed nor found.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.courses.courses import readable_course
from courseport.core.coursework import quiz_groups, quizzes, submission_views
from courseport.core.coursework.quiz_groups import Drawn
from courseport.core.identity.permissions import CourseRights
from courseport.core.kit.errors import NotAllowed, NotFound
from courseport.core.kit.ids import store_id
from courseport.core.kit.paging import Slice, Window
from courseport.schema import ContentItem, Course, QuizAttempt, QuizSubmission, Submission, User
from courseport.schema.base import utcnow

OPEN_STATES = frozenset({"untaken", "preview"})
FINISHED_STATES = frozenset({"complete", "pending_review"})


@dataclass(frozen=True)
class AttemptView:
    submission: QuizSubmission
    attempt: QuizAttempt
    quiz: ContentItem
    kept_score: float | None
    assignment_submission_id: int | None
    owner: bool  # the viewer took it: only they see its validation token
    now: datetime

    @property
    def overdue(self) -> bool:
        return is_overdue(self.attempt, self.now)

    @property
    def attempts_left(self) -> int:
        allowed = (self.quiz.data or {}).get("allowed_attempts", 1)
        if allowed is None or allowed < 0:
            return -1
        return max(0, allowed + (self.submission.extra_attempts or 0) - self.submission.attempt)

    @property
    def time_spent(self) -> int | None:
        a = self.attempt
        return None if a.finished_at is None else max(0, int((a.finished_at - a.started_at).total_seconds()))


@dataclass(frozen=True)
class Related:
    """What may be read beside quiz submissions (Canvas's include[]): the takers' submissions to the quiz's
    assignment, the quiz, and the takers."""

    submissions: list[submission_views.SubmissionView]
    quizzes: list[quizzes.QuizView]
    users: list[User]


@dataclass(frozen=True)
class QuestionView:
    question: ContentItem
    answer: Any
    flagged: bool
    points: float  # as the attempt scores it: a question group's question_points for a question drawn from one
    group_id: int | None


def is_overdue(attempt: QuizAttempt, now: datetime) -> bool:
    return attempt.workflow_state in OPEN_STATES and attempt.end_at is not None and now > attempt.end_at


def quiz_in(db: Session, actor: User, course_ref: str | int, quiz_id: str) -> tuple[Course, CourseRights,
                                                                                   ContentItem]:
    course, rights = readable_course(db, actor, course_ref)
    return course, rights, quizzes.visible_quiz(db, course.id, rights, quiz_id)


def takes_part(db: Session, course: Course, rights: CourseRights, actor: User) -> bool:
    """The actor takes quizzes of the course for a grade: an enrolled student."""
    return rights.can("participate_as_student") and bool(submission_views.student_ids(db, course.id, [actor.id]))


def latest(db: Session, row: QuizSubmission, *, for_update: bool = False) -> QuizAttempt:
    """The submission's latest attempt; `for_update` locks it (PostgreSQL) so concurrent answers queue."""
    stmt = select(QuizAttempt).where(QuizAttempt.submission_id == row.id, QuizAttempt.attempt == row.attempt)
    return db.scalars(stmt.with_for_update() if for_update else stmt).one()


def finished_attempts(db: Session, row: QuizSubmission) -> list[QuizAttempt]:
    return list(db.scalars(select(QuizAttempt).where(
        QuizAttempt.submission_id == row.id, QuizAttempt.workflow_state.in_(FINISHED_STATES))
        .order_by(QuizAttempt.attempt)))


def kept_score(quiz: ContentItem, attempts: list[QuizAttempt]) -> float | None:
    """The score that counts, by the quiz's scoring_policy, over the finished attempts (by number)."""
    scores = [a.score or 0.0 for a in attempts if a.workflow_state in FINISHED_STATES]
    if not scores:
        return None
    policy = (quiz.data or {}).get("scoring_policy") or "keep_highest"
    if policy == "keep_latest":
        return scores[-1]
    if policy == "keep_average":
        return round(sum(scores) / len(scores), 2)
    return max(scores)


def views(db: Session, quiz: ContentItem, pairs: list[tuple[QuizSubmission, QuizAttempt]], actor: User
          ) -> list[AttemptView]:
    rows = {row.id: row for row, _ in pairs}
    finished: dict[int, list[QuizAttempt]] = {i: [] for i in rows}
    if rows:
        for a in db.scalars(select(QuizAttempt).where(QuizAttempt.submission_id.in_(rows),
                                                      QuizAttempt.workflow_state.in_(FINISHED_STATES))
                            .order_by(QuizAttempt.attempt)):
            finished[a.submission_id].append(a)
    graded: dict[int, int] = {}
    if quiz.ref_id is not None and rows:
        graded = {user_id: sub_id for user_id, sub_id in db.execute(select(Submission.user_id, Submission.id).where(
            Submission.item_id == quiz.ref_id, Submission.user_id.in_({r.user_id for r in rows.values()})))}
    now = utcnow()
    return [AttemptView(row, attempt, quiz, kept_score(quiz, finished[row.id]),
                        None if row.preview else graded.get(row.user_id), row.user_id == actor.id, now)
            for row, attempt in pairs]


def list_submissions(db: Session, actor: User, course_ref: str | int, quiz_id: str, window: Window
                     ) -> Slice[AttemptView]:
    """Graders: each student's submission (its latest attempt), by id. A student: their own attempts."""
    course, rights, quiz = quiz_in(db, actor, course_ref, quiz_id)
    if submission_views.reads_all(rights):
        students = submission_views.students_stmt(course.id)
        stmt = (select(QuizSubmission, QuizAttempt).join(QuizAttempt, (QuizAttempt.submission_id == QuizSubmission.id)
                                                        & (QuizAttempt.attempt == QuizSubmission.attempt))
                .where(QuizSubmission.quiz_id == quiz.id, QuizSubmission.preview.is_(False),
                       QuizSubmission.user_id.in_(students)).order_by(QuizSubmission.id))
        found = db.execute(stmt.offset(window.offset).limit(window.limit + 1)).tuples().all()
        return Slice(views(db, quiz, list(found[:window.limit]), actor), len(found) > window.limit)
    if not takes_part(db, course, rights, actor):
        raise NotAllowed()
    row = _own(db, quiz, actor)
    if row is None:
        return Slice([], False)
    current = latest(db, row)
    attempts = [current] if current.workflow_state in OPEN_STATES else finished_attempts(db, row)
    page = attempts[window.offset:window.offset + window.limit]
    return Slice(views(db, quiz, [(row, a) for a in page], actor), len(attempts) > window.offset + window.limit)


def own_submission(db: Session, actor: User, course_ref: str | int, quiz_id: str) -> list[AttemptView]:
    """The actor's own submission (its latest attempt), if they have one; students only."""
    course, rights, quiz = quiz_in(db, actor, course_ref, quiz_id)
    if not takes_part(db, course, rights, actor):
        raise NotAllowed()
    row = _own(db, quiz, actor)
    return [] if row is None else views(db, quiz, [(row, latest(db, row))], actor)


def get_submission(db: Session, actor: User, course_ref: str | int, quiz_id: str, submission_id: str,
                   attempt: int | None = None) -> AttemptView:
    """One submission: its latest attempt, or the attempt asked for; for its taker and graders."""
    course, rights, quiz = quiz_in(db, actor, course_ref, quiz_id)
    row = readable_submission(db, actor, rights, quiz, submission_id)
    chosen = latest(db, row) if attempt is None else db.scalar(select(QuizAttempt).where(
        QuizAttempt.submission_id == row.id, QuizAttempt.attempt == attempt))
    if chosen is None:
        raise NotFound("quiz submission")
    return views(db, quiz, [(row, chosen)], actor)[0]


def related(db: Session, actor: User, shown: list[AttemptView], *, submissions: bool = False, quiz: bool = False,
            users: bool = False) -> Related:
    """The records asked for beside views the actor was shown (all of one quiz): each once, in the views' order."""
    if not shown:
        return Related([], [], [])
    item = shown[0].quiz
    course, rights = readable_course(db, actor, item.course_id)
    found: list[submission_views.SubmissionView] = []
    ids = list(dict.fromkeys(v.assignment_submission_id for v in shown if v.assignment_submission_id is not None))
    assignment = db.get(ContentItem, item.ref_id) if submissions and ids and item.ref_id else None
    if assignment is not None:
        rows = {s.id: s for s in db.scalars(select(Submission).where(Submission.id.in_(ids)))}
        found = submission_views.views(db, course, [(assignment, rows[i]) for i in ids if i in rows],
                                       grader=submission_views.reads_all(rights))
    takers = list(dict.fromkeys(v.submission.user_id for v in shown)) if users else []
    people = {u.id: u for u in db.scalars(select(User).where(User.id.in_(takers)))} if takers else {}
    return Related(found, quizzes.quiz_views(db, rights, [item]) if quiz else [],
                   [people[i] for i in takers if i in people])


def readable_submission(db: Session, actor: User, rights: CourseRights, quiz: ContentItem,
                        submission_id: str | int) -> QuizSubmission:
    row = db.get(QuizSubmission, store_id(submission_id) or 0)
    if row is None or row.quiz_id != quiz.id or row.attempt == 0:
        raise NotFound("quiz submission")
    if row.user_id != actor.id and (row.preview or not submission_views.reads_all(rights)):
        raise NotAllowed()
    return row


def submission_by_id(db: Session, actor: User, submission_id: str) -> tuple[Course, CourseRights, ContentItem,
                                                                             QuizSubmission]:
    """A submission named by id alone (/quiz_submissions/:id/...): its course, the actor's rights and its quiz."""
    row = db.get(QuizSubmission, store_id(submission_id) or 0)
    if row is None:
        raise NotFound("quiz submission")
    course, rights, quiz = quiz_in(db, actor, row.course_id, str(row.quiz_id))
    return course, rights, quiz, readable_submission(db, actor, rights, quiz, row.id)


def questions_of(db: Session, quiz: ContentItem) -> list[ContentItem]:
    return list(db.scalars(select(ContentItem).where(
        ContentItem.parent_id == quiz.id, ContentItem.type == "quiz_question",
        ContentItem.workflow_state != "deleted").order_by(ContentItem.position, ContentItem.id)))


def attempt_questions(db: Session, quiz: ContentItem, attempt: QuizAttempt) -> list[Drawn]:
    """The questions the attempt shows: the quiz's live questions outside groups and those drawn for it from
    each question group when it started (`picks`)."""
    return quiz_groups.drawn(quiz, questions_of(db, quiz), (attempt.data or {}).get("picks") or {})


def question_views(attempt: QuizAttempt, questions: list[Drawn]) -> list[QuestionView]:
    data = attempt.data or {}
    answers, flagged = data.get("answers") or {}, set(data.get("flagged") or [])
    return [QuestionView(d.item, answers.get(str(d.item.id)), d.item.id in flagged, d.points, d.group_id)
            for d in questions]


def submission_questions(db: Session, actor: User, submission_id: str) -> list[QuestionView]:
    """The attempt's questions with the latest attempt's answers and flags."""
    _, _, quiz, row = submission_by_id(db, actor, submission_id)
    current = latest(db, row)
    return question_views(current, attempt_questions(db, quiz, current))


def time_left(db: Session, actor: User, course_ref: str | int, quiz_id: str, submission_id: str
              ) -> tuple[datetime | None, int | None]:
    """The latest attempt's end and the seconds left until it (negative once past); None without a limit."""
    view = get_submission(db, actor, course_ref, quiz_id, submission_id)
    end_at = view.attempt.end_at
    return end_at, None if end_at is None else round((end_at - view.now).total_seconds())


def _own(db: Session, quiz: ContentItem, actor: User) -> QuizSubmission | None:
    return db.scalar(select(QuizSubmission).where(QuizSubmission.quiz_id == quiz.id,
                                                  QuizSubmission.user_id == actor.id,
                                                  QuizSubmission.preview.is_(False), QuizSubmission.attempt > 0))
