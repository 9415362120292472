"""canvasapi 3.6.0, unmodified, against the live server: a teacher builds a classic quiz with a question group,
a student takes it and sees pick_count questions drawn from the group, scored with the group's question_points;
a course copy and blueprint syncs keep each question in its group."""

from __future__ import annotations

import pytest
from canvasapi.exceptions import ResourceDoesNotExist

from courseport.schema import ContentItem, Submission


def _mc(quiz, name: str, group_id: int | None = None, points: float = 1):
    question = {"question_name": name, "question_type": "multiple_choice_question", "points_possible": points,
                "answers": [{"answer_text": f"{name} right", "answer_weight": 100},
                            {"answer_text": f"{name} wrong", "answer_weight": 0}]}
    if group_id is not None:
        question["quiz_group_id"] = group_id
    return quiz.create_question(question=question)


def test_a_group_is_built_taken_scored_and_deleted(world):
    course_row = world.course()
    cast = world.cast(course_row)
    teacher_course = world.canvas(cast["teacher"]).get_course(course_row.id)
    quiz = teacher_course.create_quiz({"title": "Capitals", "quiz_type": "assignment"})
    alone = _mc(quiz, "Alone", points=2)
    group = quiz.create_question_group([{"name": "Europe", "pick_count": 2, "question_points": 3}])
    assert (group.quiz_id, group.name, group.pick_count, group.question_points, group.position,
            group.assessment_question_bank_id, group.course_id) == (quiz.id, "Europe", 2, 3.0, 2, None, course_row.id)
    members = [_mc(quiz, name, group.id) for name in ("France", "Spain", "Italy")]
    assert [m.quiz_group_id for m in members] == [group.id] * 3
    assert alone.quiz_group_id is None
    refreshed = teacher_course.get_quiz(quiz.id)
    assert (refreshed.question_count, refreshed.points_possible) == (3, 8.0)  # 1 + 2 picked; 2 + 2 x 3
    assert teacher_course.get_assignment(refreshed.assignment_id).points_possible == 8.0

    fetched = quiz.get_quiz_group(group.id)
    assert (fetched.id, fetched.name, fetched.pick_count, fetched.question_points) == (group.id, "Europe", 2, 3.0)
    assert fetched.reorder_question_group([{"id": members[2].id, "type": "question"}, {"id": members[0].id}]) is True
    positions = {q.id: q.position for q in quiz.get_questions()}
    assert [positions[m.id] for m in (members[2], members[0], members[1])] == [1, 2, 3]
    assert fetched.update([{"name": "Western Europe", "question_points": 4}]) is True
    assert (fetched.name, fetched.pick_count, fetched.question_points) == ("Western Europe", 2, 4.0)
    refreshed = teacher_course.get_quiz(quiz.id)
    assert (refreshed.question_count, refreshed.points_possible) == (3, 10.0)
    assert teacher_course.get_assignment(refreshed.assignment_id).points_possible == 10.0
    quiz.edit(quiz={"published": True})

    student_quiz = world.canvas(cast["student"]).get_course(course_row.id).get_quiz(quiz.id)
    taking = student_quiz.create_submission()
    shown = taking.get_submission_questions()
    assert len(shown) == 3
    assert (shown[0].id, shown[0].quiz_group_id, shown[0].points_possible) == (alone.id, None, 2.0)
    drawn = shown[1:]
    by_id = {m.id: m for m in members}
    assert {q.id for q in drawn} < set(by_id)
    assert [(q.quiz_group_id, q.points_possible) for q in drawn] == [(group.id, 4.0)] * 2
    assert [q.id for q in taking.get_submission_questions()] == [q.id for q in shown]  # the same on every read
    with world.tx() as db:
        stored = db.get(ContentItem, quiz.id)
        assert stored.data["quiz_groups"][0]["pick_count"] == 2
    taking.answer_submission_questions(quiz_questions=[
        {"id": alone.id, "answer": alone.answers[0]["id"]},
        {"id": drawn[0].id, "answer": by_id[drawn[0].id].answers[0]["id"]},
        {"id": drawn[1].id, "answer": by_id[drawn[1].id].answers[1]["id"]}])
    done = taking.complete()
    assert (done.workflow_state, done.score) == ("complete", 6.0)  # 2 + 4 + 0
    with world.tx() as db:
        graded = db.query(Submission).filter_by(item_id=quiz.assignment_id).one()
        assert graded.score == 6.0

    assert fetched.delete() is True
    with pytest.raises(ResourceDoesNotExist):
        quiz.get_quiz_group(group.id)
    assert [q.id for q in quiz.get_questions()] == [alone.id]  # the group's questions went with it, as in Canvas
    refreshed = teacher_course.get_quiz(quiz.id)
    assert (refreshed.question_count, refreshed.points_possible) == (1, 2.0)
    assert teacher_course.get_assignment(refreshed.assignment_id).points_possible == 2.0


def test_a_course_copy_keeps_questions_in_their_group(world):
    source, target = world.course("Source"), world.course("Target")
    canvas = world.canvas()
    quiz = canvas.get_course(source.id).create_quiz({"title": "Grouped"})
    group = quiz.create_question_group([{"name": "Pool", "pick_count": 1, "question_points": 5}])
    _mc(quiz, "In", group.id)
    _mc(quiz, "Out")
    course = canvas.get_course(target.id)
    course.create_content_migration("course_copy_importer", settings={"source_course_id": source.id})
    assert world.run_jobs() == 1
    copy = course.get_quizzes()[0]
    assert copy.id != quiz.id
    assert (copy.question_count, copy.points_possible) == (2, 6.0)
    copied_group = copy.get_quiz_group(group.id)
    assert (copied_group.quiz_id, copied_group.name, copied_group.pick_count, copied_group.question_points) == (
        copy.id, "Pool", 1, 5.0)
    assert {q.question_name: q.quiz_group_id for q in copy.get_questions()} == {"In": group.id, "Out": None}


def test_blueprint_syncs_carry_groups_and_their_questions(world):
    canvas = world.canvas()  # the site admin
    account = canvas.get_account(1)
    bp = account.create_course(course={"name": "Blueprint"})
    bp.update(course={"blueprint": True})
    quiz = canvas.get_course(bp.id).create_quiz({"title": "Grouped"})
    group = quiz.create_question_group([{"name": "Pool", "pick_count": 1, "question_points": 5}])
    _mc(quiz, "First", group.id)
    section = account.create_course(course={"name": "Section"})
    template = canvas.get_course(bp.id).get_blueprint()
    template.update_associated_courses(course_ids_to_add=[section.id])
    template.associated_course_migration()
    world.run_jobs()
    copy = canvas.get_course(section.id).get_quizzes()[0]
    assert {q.question_name: q.quiz_group_id for q in copy.get_questions()} == {"First": group.id}
    assert copy.get_quiz_group(group.id).question_points == 5.0

    _mc(quiz, "Second", group.id)
    group.update([{"pick_count": 2, "question_points": 2}])
    template.associated_course_migration()
    world.run_jobs()
    copy = canvas.get_course(section.id).get_quiz(copy.id)
    assert (copy.question_count, copy.points_possible) == (2, 4.0)
    copied_group = copy.get_quiz_group(group.id)
    assert (copied_group.pick_count, copied_group.question_points) == (2, 2.0)
    assert {q.question_name: q.quiz_group_id for q in copy.get_questions()} == {"First": group.id,
                                                                               "Second": group.id}
