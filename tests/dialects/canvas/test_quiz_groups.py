"""Canvas Quiz Question Groups API over raw HTTP: exact bodies, what is stored, how an attempt draws from a group,
and refusals (exact bodies, nothing stored)."""

from __future__ import annotations

from urllib.parse import urlencode

from sqlalchemy import select

from courseport.schema import ContentItem, QuizAttempt
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND

_FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def _setup(world):
    """A course with a teacher and a student, and an unpublished graded quiz with one 2-point question."""
    course = world.course()
    teacher, teacher_token = world.user_with_token(f"teacher{course.id}")
    world.enroll(teacher, course, "TeacherEnrollment")
    student, token = world.user_with_token(f"student{course.id}")
    world.enroll(student, course)
    with world.client(teacher_token) as c:
        quiz = c.post(f"/api/v1/courses/{course.id}/quizzes", data={"quiz[title]": "Unit"}).json()
        base = f"/api/v1/courses/{course.id}/quizzes/{quiz['id']}"
        alone = _question(c, base, "Alone", points=2)
    return course, quiz, base, alone, teacher_token, token


def _question(c, base, name, points=1, group_id=None):
    question = {"question_name": name, "question_type": "multiple_choice_question", "points_possible": points,
                "answers": [{"answer_text": "yes", "answer_weight": 100}, {"answer_text": "no", "answer_weight": 0}]}
    if group_id is not None:
        question["quiz_group_id"] = group_id
    r = c.post(f"{base}/questions", json={"question": question})
    assert r.status_code == 200, r.text
    return r.json()


def _stored(world, quiz_id):
    with world.tx() as db:
        item = db.get(ContentItem, quiz_id)
        assignment = db.get(ContentItem, item.ref_id)
        return item.data.get("quiz_groups"), item.points, item.data["question_count"], assignment.points


def _create(c, base, **fields):
    pairs = [(f"quiz_groups[][{k}]", v) for k, v in fields.items()]
    return c.post(f"{base}/groups", content=urlencode(pairs), headers=_FORM)


def _group(quiz, group_id=1, name="Pool", pick_count=2, question_points=3.0, position=2):
    return {"id": group_id, "quiz_id": quiz["id"], "name": name, "pick_count": pick_count,
            "question_points": question_points, "assessment_question_bank_id": None, "position": position}


def test_create_show_update_exact_bodies_and_the_quiz_points_follow(world):
    course, quiz, base, alone, teacher_token, _ = _setup(world)
    with world.client(teacher_token) as c:
        r = _create(c, base, name="Pool", pick_count=2, question_points=3)
        assert r.status_code == 201, r.text
        assert r.json() == {"quiz_groups": [_group(quiz)]}
        assert _stored(world, quiz["id"]) == ([{"id": 1, "name": "Pool", "pick_count": 2, "question_points": 3.0,
                                                "position": 2}], 8.0, 3, 8.0)
        member = _question(c, base, "Member", group_id=1)
        assert (member["quiz_group_id"], alone["quiz_group_id"]) == (1, None)
        assert c.get(f"{base}/groups/1").json() == _group(quiz)
        r = c.put(f"{base}/groups/1", json={"quiz_groups": [{"name": "Renamed", "pick_count": 1,
                                                              "question_points": 2.5, "position": 9}]})
        assert r.status_code == 200, r.text
        assert r.json() == {"quiz_groups": [_group(quiz, name="Renamed", pick_count=1, question_points=2.5)]}
        assert _stored(world, quiz["id"])[1:] == (4.5, 2, 4.5)
        # a second group comes after the first; defaults as Canvas's quiz editor starts a group
        assert _create(c, base, name="").json() == {"quiz_groups": [_group(quiz, 2, None, 1, 1.0, 3)]}
        assert c.get(f"{base}/groups").json() == {"quiz_groups": [
            _group(quiz, name="Renamed", pick_count=1, question_points=2.5), _group(quiz, 2, None, 1, 1.0, 3)]}
        # a question leaves its group with an empty quiz_group_id
        moved = c.put(f"{base}/questions/{member['id']}", data={"question[quiz_group_id]": ""}).json()
        assert moved["quiz_group_id"] is None
        assert _stored(world, quiz["id"])[1:] == (6.5, 4, 6.5)  # 2 + 1 + 1 x 2.5 + 1 x 1


def test_delete_removes_the_group_and_its_questions(world):
    course, quiz, base, alone, teacher_token, _ = _setup(world)
    with world.client(teacher_token) as c:
        _create(c, base, pick_count=1, question_points=4)
        member = _question(c, base, "Member", group_id=1)
        r = c.delete(f"{base}/groups/1")
        assert (r.status_code, r.content) == (204, b"")
        assert c.get(f"{base}/groups/1").status_code == 404
        assert [q["id"] for q in c.get(f"{base}/questions").json()] == [alone["id"]]
    with world.tx() as db:
        assert db.get(ContentItem, member["id"]).workflow_state == "deleted"
    assert _stored(world, quiz["id"]) == ([], 2.0, 1, 2.0)


def test_reorder_orders_the_groups_questions(world):
    course, quiz, base, _, teacher_token, _ = _setup(world)
    with world.client(teacher_token) as c:
        _create(c, base, name="Pool")
        a, b, d = (_question(c, base, n, group_id=1) for n in ("A", "B", "D"))
        pairs = [("order[][id]", d["id"]), ("order[][type]", "question"), ("order[][id]", a["id"])]
        r = c.post(f"{base}/groups/1/reorder", content=urlencode(pairs), headers=_FORM)
        assert (r.status_code, r.content) == (204, b"")
    with world.tx() as db:
        assert [db.get(ContentItem, q["id"]).position for q in (d, a, b)] == [1, 2, 3]


def test_an_attempt_keeps_the_questions_drawn_and_scores_them_with_question_points(world):
    course, quiz, base, alone, teacher_token, token = _setup(world)
    with world.client(teacher_token) as c:
        _create(c, base, pick_count=1, question_points=5)
        members = {q["id"]: q for q in (_question(c, base, n, group_id=1) for n in ("A", "B"))}
        c.put(base, data={"quiz[published]": "true"})
    with world.client(token) as c:
        qs = c.post(f"/api/v1/courses/{course.id}/quizzes/{quiz['id']}/submissions").json()["quiz_submissions"][0]
        assert qs["quiz_points_possible"] == 7.0
        shown = c.get(f"/api/v1/quiz_submissions/{qs['id']}/questions").json()["quiz_submission_questions"]
        assert [q["id"] for q in shown][0] == alone["id"]
        picked = shown[1]
        assert len(shown) == 2 and picked["id"] in members
        assert (picked["quiz_group_id"], picked["points_possible"], picked["question_name"]) == (
            1, 5.0, members[picked["id"]]["question_name"])
        undrawn = next(i for i in members if i != picked["id"])
        ticket = {"attempt": 1, "validation_token": qs["validation_token"]}
        r = c.post(f"/api/v1/quiz_submissions/{qs['id']}/questions", json={**ticket, "quiz_questions": [
            {"id": undrawn, "answer": members[undrawn]["answers"][0]["id"]}]})
        assert r.json() == {"quiz_submission_questions": []}  # a question not drawn for the attempt is skipped
        c.post(f"/api/v1/quiz_submissions/{qs['id']}/questions", json={**ticket, "quiz_questions": [
            {"id": picked["id"], "answer": members[picked["id"]]["answers"][0]["id"]}]})
        done = c.post(f"/api/v1/courses/{course.id}/quizzes/{quiz['id']}/submissions/{qs['id']}/complete",
                      data=ticket).json()["quiz_submissions"][0]
        assert done["score"] == 5.0
    with world.tx() as db:
        attempt = db.scalars(select(QuizAttempt)).one()
        assert attempt.data["picks"] == {"1": [picked["id"]]}
        assert attempt.data["scores"] == {str(alone["id"]): 0.0, str(picked["id"]): 5.0}


def test_refusals_store_nothing(world):
    course, quiz, base, _, teacher_token, token = _setup(world)
    with world.client(teacher_token) as c:
        _create(c, base, name="Pool", pick_count=2, question_points=3)
        member = _question(c, base, "Member", group_id=1)
    with world.client(token) as c:  # a student: the quiz is unpublished, so it is not found
        assert (c.get(f"{base}/groups/1").status_code, c.get(f"{base}/groups/1").json()) == (404, NOT_FOUND)
    with world.client(teacher_token) as c:
        c.put(base, data={"quiz[published]": "true"})
    before = _stored(world, quiz["id"])
    with world.client(token) as c:
        for r in (c.get(f"{base}/groups/1"), c.get(f"{base}/groups"), _create(c, base, name="Mine"),
                  c.put(f"{base}/groups/1", json={"quiz_groups": [{"name": "Mine"}]}), c.delete(f"{base}/groups/1"),
                  c.post(f"{base}/groups/1/reorder", json={"order": [{"id": member["id"]}]})):
            assert (r.status_code, r.json()) == (403, FORBIDDEN)
    with world.client(teacher_token) as c:
        for r in (c.get(f"{base}/groups/7"), c.put(f"{base}/groups/7", json={"quiz_groups": [{"name": "X"}]}),
                  c.delete(f"{base}/groups/7"), c.post(f"{base}/groups/7/reorder", json={"order": [{"id": 1}]}),
                  c.get(f"/api/v1/courses/{course.id}/quizzes/99999999/groups/1")):
            assert (r.status_code, r.json()) == (404, NOT_FOUND)
        refusals = [
            (_create(c, base, pick_count="two"), "quiz_groups[][pick_count]",
             "quiz_groups[][pick_count] must be an integer, got 'two'"),
            (_create(c, base, pick_count=-1), "quiz_groups[][pick_count]",
             "quiz_groups[][pick_count] must not be negative"),
            (c.put(f"{base}/groups/1", json={"quiz_groups": [{"question_points": -2}]}),
             "quiz_groups[][question_points]", "quiz_groups[][question_points] must not be negative"),
            (_create(c, base, assessment_question_bank_id=4), "quiz_groups[][assessment_question_bank_id]",
             "quiz_groups[][assessment_question_bank_id]: question banks are not supported"),
            (_create(c, base, name="x" * 256), "quiz_groups[][name]",
             "quiz_groups[][name] is too long (at most 255 characters)"),
            (c.post(f"{base}/groups", json={"name": "flat"}), "quiz_groups", "quiz_groups must be a list of hashes"),
            (c.post(f"{base}/groups/1/reorder", json={"order": [{"id": 12345}]}), "order[][id]",
             "order[][id] must name questions of this group"),
            (c.post(f"{base}/groups/1/reorder", json={"order": [{"id": member["id"], "type": "group"}]}),
             "order[][type]", "order[][type] must be question"),
            (c.post(f"{base}/questions", json={"question": {"question_name": "Q", "quiz_group_id": 7}}),
             "question[quiz_group_id]", "question[quiz_group_id] must name a question group of this quiz"),
        ]
        for r, field, message in refusals:
            assert (r.status_code, r.json()) == (400, {"errors": [{"message": message, "field": field}]}), field
        assert len(c.get(f"{base}/questions").json()) == 2
    assert _stored(world, quiz["id"]) == before
