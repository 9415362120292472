"""Demo course content: what the demo courses hold, so todo, activity, grades and progress show
something at once: weighted assignment groups, assignments due around the first seed, a front page,
modules with completion requirements, a graded quiz, an announcement, a discussion with an entry, a
calendar event, an uploaded file and a few submissions (one graded, one waiting for a grade).

Everything is made through the core functions the APIs call, as the course's teacher or students,
so the same rules apply. Items are found by type and title first, so seeding again adds nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.blobs import BlobStore
from courseport.core.content import calendar_events, file_uploads, module_items, modules, pages
from courseport.core.content.pages import PageChanges
from courseport.core.courses import courses
from courseport.core.coursework import (
    assignment_groups,
    assignments,
    discussion_entries,
    discussions,
    quiz_questions,
    quizzes,
    submissions,
)
from courseport.core.coursework.assignment_groups import GroupChanges
from courseport.core.coursework.assignments import AssignmentChanges
from courseport.core.coursework.discussions import TopicChanges
from courseport.core.coursework.submissions import GradeChange, SubmissionEntry
from courseport.schema import ContentItem, Course, DiscussionEntry, File, Submission, User
from courseport.schema.base import utcnow

DAY = timedelta(days=1)
SYLLABUS = b"BIO 101 syllabus\n\nWeek 1: cells. Week 2: membranes. Labs every Thursday.\n"
# (group, title, points, due in days from the first seed): one past due, the rest within the next week.
BIO_ASSIGNMENTS = (
    ("Homework", "Cell structure worksheet", 10.0, -3),
    ("Labs", "Osmosis lab report", 20.0, 3),
    ("Homework", "Reading reflection: the cell membrane", 5.0, 6),
)
BIO_GROUPS = (("Homework", 40.0), ("Labs", 60.0))


def seed_course_content(db: Session, by_sis: dict[str, Course], people: dict[str, User], actor: User,
                        blobs: BlobStore | None) -> None:
    """Give the demo courses their content; `blobs` None leaves out the uploaded file."""
    _seed_biology(db, by_sis["DEMO-BIO101"], people, actor, blobs)
    _seed_calculus(db, by_sis["DEMO-MATH110"], people["demo.teacher2"])


def _find(db: Session, course: Course, item_type: str, title: str) -> ContentItem | None:
    return db.scalar(select(ContentItem).where(
        ContentItem.course_id == course.id, ContentItem.type == item_type, ContentItem.title == title,
        ContentItem.workflow_state != "deleted").order_by(ContentItem.id).limit(1))


def _seed_biology(db: Session, course: Course, people: dict[str, User], actor: User,
                  blobs: BlobStore | None) -> None:
    teacher, now = people["demo.teacher"], utcnow()
    if not assignment_groups.live_groups(db, course.id):
        courses.update_course(db, actor, course.id, courses.CourseChanges(
            apply_assignment_group_weights=True,
            syllabus_body="<p>Cells, membranes and labs. Bring a lab coat on Thursdays.</p>"))
    groups = {name: _group(db, course, teacher, name, weight) for name, weight in BIO_GROUPS}
    work = {title: _assignment(db, course, teacher, groups[group], title, points, now + days * DAY)
            for group, title, points, days in BIO_ASSIGNMENTS}
    front = _page(db, course, teacher, "Welcome to BIO 101", "<p>Start with the Week 1 module.</p>", front=True)
    _page(db, course, teacher, "Lab safety rules", "<p>Goggles on. No food in the lab.</p>")
    quiz = _quiz(db, course, teacher, now + 5 * DAY)
    topic = _topic(db, course, teacher, "Introduce yourself", "<p>Tell us where you are from.</p>")
    _topic(db, course, teacher, "Welcome, everyone", "<p>Our first lab is on Thursday.</p>", announcement=True)
    _event(db, course, teacher, "Lab safety briefing", (now + 2 * DAY).replace(hour=14, minute=0, second=0,
                                                                               microsecond=0))
    syllabus = _file(db, course, teacher, blobs) if blobs is not None else None
    _module(db, course, teacher, "Week 1: Cells", [
        ("Page", front, "must_view"), ("File", syllabus, "must_view"),
        ("Assignment", work["Cell structure worksheet"], "must_submit"), ("Quiz", quiz, "must_submit")])
    _module(db, course, teacher, "Week 2: Membranes", [
        ("Assignment", work["Osmosis lab report"], "must_submit"), ("Discussion", topic, "must_contribute"),
        ("Assignment", work["Reading reflection: the cell membrane"], "must_submit")])
    worksheet = work["Cell structure worksheet"]
    _submit(db, course, people["demo.student1"], worksheet, "<p>Nucleus, mitochondria, ribosomes.</p>")
    _submit(db, course, people["demo.student2"], worksheet, "<p>The cell wall and the membrane.</p>")
    _grade(db, course, teacher, worksheet, people["demo.student1"], "9")
    _entry(db, course, people["demo.student1"], topic, "<p>Hello from Houston!</p>")


def _seed_calculus(db: Session, course: Course, teacher: User) -> None:
    group = _group(db, course, teacher, "Problem sets", 100.0)
    _assignment(db, course, teacher, group, "Problem set 1: limits", 10.0, utcnow() + 2 * DAY)


def _group(db: Session, course: Course, teacher: User, name: str, weight: float) -> ContentItem:
    return _find(db, course, "assignment_group", name) or assignment_groups.create_group(
        db, teacher, course.id, GroupChanges(name=name, group_weight=weight))


def _assignment(db: Session, course: Course, teacher: User, group: ContentItem, title: str, points: float,
                due_at: datetime) -> ContentItem:
    found = _find(db, course, "assignment", title)
    if found is not None:
        return found
    _, item = assignments.create_assignment(db, teacher, course.id, AssignmentChanges(fields={
        "name": title, "description": f"<p>{title}: see the module for details.</p>", "points_possible": points,
        "due_at": due_at, "assignment_group_id": group.id, "published": True,
        "submission_types": ["online_text_entry", "online_upload"]}))
    return item


def _page(db: Session, course: Course, teacher: User, title: str, body: str, *, front: bool = False
          ) -> ContentItem:
    found = _find(db, course, "page", title)
    return found or pages.create_page(db, teacher, course.id, PageChanges(
        title=title, body=body, published=True, front_page=front)).item


def _quiz(db: Session, course: Course, teacher: User, due_at: datetime) -> ContentItem:
    found = _find(db, course, "quiz", "Cell biology check")
    if found is not None:
        return found
    quiz = quizzes.create_quiz(db, teacher, course.id, {
        "title": "Cell biology check", "description": "<p>Two questions on Week 1.</p>", "quiz_type": "assignment",
        "due_at": due_at, "time_limit": 10, "published": True}).item
    for name, text, answers in (
            ("Powerhouse", "<p>Which organelle makes most of the cell's ATP?</p>", ("Mitochondrion", "Ribosome")),
            ("Membrane", "<p>What is the cell membrane mostly made of?</p>", ("Phospholipids", "Cellulose"))):
        quiz_questions.create_question(db, teacher, course.id, str(quiz.id), {
            "question_name": name, "question_text": text, "question_type": "multiple_choice_question",
            "points_possible": 1.0,
            "answers": [{"answer_text": a, "answer_weight": 100 if i == 0 else 0} for i, a in enumerate(answers)]})
    return quiz


def _topic(db: Session, course: Course, teacher: User, title: str, message: str, *,
           announcement: bool = False) -> ContentItem:
    found = _find(db, course, "announcement" if announcement else "discussion_topic", title)
    return found or discussions.create_topic(db, teacher, course.id, TopicChanges(
        title=title, message=message, published=True, is_announcement=announcement,
        discussion_type="threaded")).item


def _event(db: Session, course: Course, teacher: User, title: str, start_at: datetime) -> None:
    if _find(db, course, "calendar_event", title) is None:
        calendar_events.create_event(db, teacher, calendar_events.EventChanges(
            context_code=f"course_{course.id}", title=title, start_at=start_at,
            end_at=start_at + timedelta(hours=1), location_name="Lab 2"))


def _file(db: Session, course: Course, teacher: User, blobs: BlobStore) -> File:
    found = db.scalar(select(File).where(File.course_id == course.id, File.display_name == "syllabus.txt",
                                         File.workflow_state != "deleted").limit(1))
    return found or file_uploads.add_file(db, teacher, course.id, "syllabus.txt", SYLLABUS, blobs,
                                   folder_path="handouts", content_type="text/plain")


def _module(db: Session, course: Course, teacher: User, name: str,
            entries: list[tuple[str, ContentItem | File | None, str]]) -> ContentItem:
    found = _find(db, course, "module", name)
    if found is not None:
        return found
    module = modules.create_module(db, teacher, course.id, modules.ModuleChanges(name=name, published=True)).module
    for kind, target, requirement in entries:
        if target is not None:
            module_items.create_module_item(db, teacher, course.id, str(module.id), module_items.ModuleItemChanges(
                type=kind, content_id=target.id, completion_requirement={"type": requirement}))
    return module


def _submission(db: Session, assignment: ContentItem, student: User) -> Submission | None:
    return db.scalar(select(Submission).where(Submission.item_id == assignment.id, Submission.user_id == student.id))


def _submit(db: Session, course: Course, student: User, assignment: ContentItem, body: str) -> None:
    found = _submission(db, assignment, student)
    if found is None or found.submitted_at is None:
        submissions.submit(db, student, course.id, str(assignment.id),
                           SubmissionEntry(submission_type="online_text_entry", body=body))


def _grade(db: Session, course: Course, teacher: User, assignment: ContentItem, student: User, grade: str) -> None:
    found = _submission(db, assignment, student)
    if found is not None and found.score is None:
        submissions.grade(db, teacher, course.id, str(assignment.id), str(student.id),
                          GradeChange(posted_grade=grade, comment="Good work: name the cell wall too."))


def _entry(db: Session, course: Course, student: User, topic: ContentItem, message: str) -> None:
    posted = db.scalar(select(DiscussionEntry.id).where(DiscussionEntry.topic_id == topic.id,
                                                        DiscussionEntry.user_id == student.id).limit(1))
    if posted is None:
        discussion_entries.post_entry(db, student, course.id, str(topic.id), message)
