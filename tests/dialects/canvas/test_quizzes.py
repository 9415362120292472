"""Canvas Quizzes and Quiz Questions API over raw HTTP: exact bodies, the graded quiz's assignment,
question totals, rights and errors."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from courseport.schema import ContentItem
from tests.dialects.canvas.errors import FORBIDDEN, NOT_FOUND


def _quiz_body(q, origin: str, course_id: int, **overrides):
    """The Quiz JSON of a new quiz with Canvas's defaults, as a teacher sees it."""
    base = f"{origin}/courses/{course_id}/quizzes/{q['id']}"
    api = f"{origin}/api/v1/courses/{course_id}/quizzes/{q['id']}"
    body = {
        "id": q["id"], "title": "Unit quiz", "html_url": base, "mobile_url": f"{base}?force_user=1&persist_headless=1",
        "description": "", "quiz_type": "assignment", "time_limit": None, "shuffle_answers": False,
        "show_correct_answers": True, "scoring_policy": "keep_highest", "allowed_attempts": 1,
        "one_question_at_a_time": False, "question_count": 0, "points_possible": None, "cant_go_back": False,
        "ip_filter": None, "due_at": None, "lock_at": None, "unlock_at": None, "published": False,
        "locked_for_user": False, "hide_results": None, "show_correct_answers_at": None,
        "hide_correct_answers_at": None, "can_update": True, "require_lockdown_browser": False,
        "require_lockdown_browser_for_results": False, "require_lockdown_browser_monitor": False,
        "lockdown_browser_monitor_data": None,
        "permissions": {"read": True, "submit": False, "create": True, "manage": True, "read_statistics": True,
                        "review_grades": True, "update": True},
        "quiz_reports_url": f"{api}/reports", "quiz_statistics_url": f"{api}/statistics",
        "message_students_url": f"{api}/submission_users/message", "assignment_id": q["assignment_id"],
        "one_time_results": False, "assignment_group_id": q["assignment_group_id"],
        "show_correct_answers_last_attempt": False, "version_number": 1, "question_types": [],
        "has_access_code": False, "post_to_sis": False, "access_code": None, "unpublishable": True,
        "can_unpublish": True, "only_visible_to_overrides": False,
    }
    body.update(overrides)
    return body


def _item(world, item_id: int) -> ContentItem:
    with world.tx() as db:
        return db.get(ContentItem, item_id)


def _create(c, course_id: int, **fields):
    data = {f"quiz[{k}]": v for k, v in {"title": "Unit quiz", **fields}.items()}
    r = c.post(f"/api/v1/courses/{course_id}/quizzes", data=data)
    assert r.status_code == 200, r.text
    return r.json()


def test_create_graded_quiz_exact_body_and_its_assignment(world):
    course = world.course()
    with world.client(world.admin_token) as c:
        r = c.post(f"/api/v1/courses/{course.id}/quizzes", data={
            "quiz[title]": "Unit quiz", "quiz[description]": "<p>Read</p><script>x()</script>",
            "quiz[time_limit]": "30", "quiz[due_at]": "2030-03-01T12:00:00+02:00", "quiz[allowed_attempts]": "-1"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body == _quiz_body(body, world.base_url, course.id, description="<p>Read</p>", time_limit=30,
                              due_at="2030-03-01T10:00:00Z", allowed_attempts=-1)
    quiz = _item(world, body["id"])
    assert (quiz.type, quiz.workflow_state, quiz.body, quiz.ref_id) == ("quiz", "unpublished", "<p>Read</p>",
                                                                       body["assignment_id"])
    assignment = _item(world, body["assignment_id"])
    assert (assignment.type, assignment.title, assignment.workflow_state, assignment.parent_id) == (
        "assignment", "Unit quiz", "unpublished", body["assignment_group_id"])
    assert assignment.due_at == quiz.due_at
    assert assignment.data["quiz"] is True and assignment.data["submission_types"] == ["online_quiz"]
    assert _item(world, body["assignment_group_id"]).title == "Assignments"


def test_practice_quiz_has_no_assignment_until_it_is_graded(world):
    course = world.course()
    with world.client(world.admin_token) as c:
        body = _create(c, course.id, quiz_type="practice_quiz")
        assert (body["assignment_id"], body["assignment_group_id"]) == (None, None)
        graded = c.put(f"/api/v1/courses/{course.id}/quizzes/{body['id']}",
                       data={"quiz[quiz_type]": "graded_survey", "quiz[published]": "true"}).json()
        assert graded["assignment_id"] is not None
        assert graded["anonymous_submissions"] is False
        assignment = _item(world, graded["assignment_id"])
        assert assignment.workflow_state == "published"
        back = c.put(f"/api/v1/courses/{course.id}/quizzes/{body['id']}", data={"quiz[quiz_type]": "survey"})
        assert back.json()["assignment_id"] is None
    assert _item(world, graded["assignment_id"]).workflow_state == "deleted"
    assert _item(world, body["id"]).ref_id is None


def test_edit_keeps_the_assignment_in_step(world):
    course = world.course()
    with world.client(world.admin_token) as c:
        body = _create(c, course.id)
        group = c.post(f"/api/v1/courses/{course.id}/assignment_groups", data={"name": "Quizzes"}).json()
        r = c.put(f"/api/v1/courses/{course.id}/quizzes/{body['id']}", data={
            "quiz[title]": "Renamed", "quiz[published]": "true", "quiz[points_possible]": "12.5",
            "quiz[lock_at]": "2030-05-01T00:00:00Z", "quiz[assignment_group_id]": str(group["id"])})
    assert r.status_code == 200, r.text
    assert r.json() == _quiz_body(body, world.base_url, course.id, title="Renamed", published=True,
                                  points_possible=12.5, lock_at="2030-05-01T00:00:00Z",
                                  assignment_group_id=group["id"])
    assignment = _item(world, body["assignment_id"])
    assert (assignment.title, assignment.points, assignment.workflow_state, assignment.parent_id) == (
        "Renamed", 12.5, "published", group["id"])
    assert assignment.lock_at.isoformat() == "2030-05-01T00:00:00+00:00"


def test_delete_returns_the_quiz_and_removes_it_with_its_assignment(world):
    course = world.course()
    with world.client(world.admin_token) as c:
        body = _create(c, course.id, published="true")
        r = c.delete(f"/api/v1/courses/{course.id}/quizzes/{body['id']}")
        assert r.status_code == 200
        assert r.json() == _quiz_body(body, world.base_url, course.id,
                                      permissions={**body["permissions"], "submit": False})
        assert c.get(f"/api/v1/courses/{course.id}/quizzes/{body['id']}").json() == NOT_FOUND
        assert c.get(f"/api/v1/courses/{course.id}/quizzes").json() == []
        assert c.delete(f"/api/v1/courses/{course.id}/quizzes/{body['id']}").status_code == 404
    assert _item(world, body["assignment_id"]).workflow_state == "deleted"


def test_list_orders_by_lock_date_then_title_pages_and_searches(world):
    course = world.course()
    with world.client(world.admin_token) as c:
        for title, lock in (("Beta", None), ("Alpha", None), ("Gamma", "2030-01-01T00:00:00Z")):
            _create(c, course.id, title=title, **({"lock_at": lock} if lock else {}))
        r = c.get(f"/api/v1/courses/{course.id}/quizzes", params={"per_page": 2})
        assert [q["title"] for q in r.json()] == ["Gamma", "Alpha"]
        assert 'rel="next"' in r.headers["Link"]
        nxt = c.get(f"/api/v1/courses/{course.id}/quizzes", params={"per_page": 2, "page": 2})
        assert [q["title"] for q in nxt.json()] == ["Beta"]
        found = c.get(f"/api/v1/courses/{course.id}/quizzes", params={"search_term": "AM"})
        assert [q["title"] for q in found.json()] == ["Gamma"]
        short = c.get(f"/api/v1/courses/{course.id}/quizzes", params={"search_term": "a"})
        assert (short.status_code, short.json()) == (400, {"errors": [{
            "field": "search_term", "message": "search_term of 2 or more characters is required"}]})


def test_students_see_published_quizzes_only_and_cannot_write(world):
    course = world.course()
    cast = world.cast(course)
    with world.client(world.admin_token) as c:
        hidden = _create(c, course.id, title="Hidden")
        shown = _create(c, course.id, title="Shown", published="true", unlock_at="2099-01-01T00:00:00Z")
    with world.client(cast["student"]) as s:
        listed = s.get(f"/api/v1/courses/{course.id}/quizzes").json()
        assert [q["id"] for q in listed] == [shown["id"]]
        seen = listed[0]
        assert seen["locked_for_user"] is True and seen["lock_explanation"] == "This quiz is locked."
        assert "access_code" not in seen and "unpublishable" not in seen
        assert seen["permissions"] == {"read": True, "submit": True, "create": False, "manage": False,
                                       "read_statistics": False, "review_grades": False, "update": False}
        assert s.get(f"/api/v1/courses/{course.id}/quizzes/{hidden['id']}").json() == NOT_FOUND
        for call in (lambda: s.post(f"/api/v1/courses/{course.id}/quizzes", data={"quiz[title]": "Mine"}),
                     lambda: s.put(f"/api/v1/courses/{course.id}/quizzes/{shown['id']}", data={"quiz[title]": "X"}),
                     lambda: s.delete(f"/api/v1/courses/{course.id}/quizzes/{shown['id']}")):
            r = call()
            assert (r.status_code, r.json()) == (403, FORBIDDEN)
    with world.client(cast["outsider"]) as o:
        assert o.get(f"/api/v1/courses/{course.id}/quizzes").status_code == 403
    for role in ("teacher", "ta", "designer"):
        with world.client(cast[role]) as staff:
            assert staff.post(f"/api/v1/courses/{course.id}/quizzes", data={"quiz[title]": role}).status_code == 200
    assert _item(world, shown["id"]).title == "Shown"


@pytest.mark.parametrize("field, value, message", [
    ("quiz_type", "exam", "quiz[quiz_type] must be one of: practice_quiz, assignment, graded_survey, survey"),
    ("time_limit", "-5", "quiz[time_limit] must not be negative"),
    ("time_limit", "soon", "quiz[time_limit] must be an integer, got 'soon'"),
    ("allowed_attempts", "-2", "quiz[allowed_attempts] must be -1 (unlimited) or at least 1"),
    ("points_possible", "many", "quiz[points_possible] must be a number, got 'many'"),
    ("hide_results", "sometimes", "quiz[hide_results] must be one of: always, until_after_last_attempt"),
    ("scoring_policy", "keep_best", "quiz[scoring_policy] must be one of: keep_highest, keep_latest, keep_average"),
    ("due_at", "tomorrow", "quiz[due_at] must be an ISO 8601 date, got 'tomorrow'"),
    ("shuffle_answers", "perhaps", "quiz[shuffle_answers] must be a boolean (true or false), got 'perhaps'"),
    ("assignment_group_id", "999999", "quiz[assignment_group_id] must name an assignment group of this course"),
])
def test_bad_quiz_field_is_400_naming_it_and_writes_nothing(world, field, value, message):
    course = world.course()
    with world.client(world.admin_token) as c:
        existing = _create(c, course.id)
        created = c.post(f"/api/v1/courses/{course.id}/quizzes", data={"quiz[title]": "New", f"quiz[{field}]": value})
        assert (created.status_code, created.json()) == (400, {"errors": [{"field": f"quiz[{field}]",
                                                                           "message": message}]})
        updated = c.put(f"/api/v1/courses/{course.id}/quizzes/{existing['id']}",
                        data={"quiz[title]": "Changed", f"quiz[{field}]": value})
        assert (updated.status_code, updated.json()) == (400, created.json())
        assert [q["title"] for q in c.get(f"/api/v1/courses/{course.id}/quizzes").json()] == ["Unit quiz"]


def test_lock_before_unlock_and_hide_results_need_their_partners(world):
    course = world.course()
    with world.client(world.admin_token) as c:
        r = c.post(f"/api/v1/courses/{course.id}/quizzes", data={
            "quiz[title]": "Q", "quiz[unlock_at]": "2030-02-01T00:00:00Z", "quiz[lock_at]": "2030-01-01T00:00:00Z"})
        assert r.json() == {"errors": [{"field": "quiz[lock_at]",
                                        "message": "quiz[lock_at] must not be before unlock_at"}]}
        r = c.post(f"/api/v1/courses/{course.id}/quizzes", data={
            "quiz[title]": "Q", "quiz[hide_results]": "until_after_last_attempt"})
        assert r.status_code == 400 and r.json()["errors"][0]["field"] == "quiz[hide_results]"
        ok = c.post(f"/api/v1/courses/{course.id}/quizzes", data={
            "quiz[title]": "Q", "quiz[hide_results]": "until_after_last_attempt", "quiz[allowed_attempts]": "3"})
        assert ok.json()["hide_results"] == "until_after_last_attempt"


# --- questions -------------------------------------------------------------------------------------

def _question_body(q, **overrides):
    body = {
        "id": q["id"], "quiz_id": q["quiz_id"], "quiz_group_id": None, "assessment_question_id": None,
        "position": 1, "question_name": "Capital", "question_type": "multiple_choice_question",
        "question_text": "<p>Capital of France?</p>", "points_possible": 2.0, "correct_comments": "",
        "incorrect_comments": "", "neutral_comments": "", "correct_comments_html": "", "incorrect_comments_html": "",
        "neutral_comments_html": "",
        "answers": [
            {"id": 1, "text": "Paris", "html": "", "comments": "", "comments_html": "", "weight": 100.0},
            {"id": 2, "text": "Lyon", "html": "", "comments": "Close", "comments_html": "", "weight": 0.0},
        ],
        "variables": None, "formulas": None, "matches": None, "matching_answer_incorrect_matches": None,
    }
    body.update(overrides)
    return body


_MC = [("question[question_name]", "Capital"), ("question[question_type]", "multiple_choice_question"),
       ("question[question_text]", "<p>Capital of France?</p><img src=x onerror=alert(1)>"),
       ("question[points_possible]", "2"),
       ("question[answers][][answer_text]", "Paris"), ("question[answers][][answer_weight]", "100"),
       ("question[answers][][answer_text]", "Lyon"), ("question[answers][][answer_weight]", "0"),
       ("question[answers][][answer_comments]", "Close")]


def _form(pairs) -> str:
    from urllib.parse import urlencode
    return urlencode(pairs)


def _post_question(c, course_id, quiz_id, pairs=_MC):
    return c.post(f"/api/v1/courses/{course_id}/quizzes/{quiz_id}/questions", content=_form(pairs),
                  headers={"Content-Type": "application/x-www-form-urlencoded"})


def test_create_question_exact_body_and_quiz_totals(world):
    course = world.course()
    with world.client(world.admin_token) as c:
        quiz = _create(c, course.id)
        r = _post_question(c, course.id, quiz["id"])
        assert r.status_code == 200, r.text
        body = r.json()
        assert body == _question_body(body, question_text='<p>Capital of France?</p><img src="x">',
                                      quiz_id=quiz["id"])
        second = c.post(f"/api/v1/courses/{course.id}/quizzes/{quiz['id']}/questions", json={"question": {
            "question_name": "Essay", "question_type": "essay_question", "points_possible": 3.5,
            "answers": [{"answer_text": "ignored"}]}}).json()
        assert (second["position"], second["answers"], second["question_text"]) == (2, [], "Question text")
        got = c.get(f"/api/v1/courses/{course.id}/quizzes/{quiz['id']}").json()
        assert (got["question_count"], got["points_possible"]) == (2, 5.5)
        assert got["question_types"] == ["essay_question", "multiple_choice_question"]
        listed = c.get(f"/api/v1/courses/{course.id}/quizzes/{quiz['id']}/questions").json()
        assert [q["id"] for q in listed] == [body["id"], second["id"]]
    assert _item(world, quiz["assignment_id"]).points == 5.5
    stored = _item(world, body["id"])
    assert (stored.type, stored.parent_id, stored.points, stored.title) == ("quiz_question", quiz["id"], 2.0,
                                                                            "Capital")
    assert stored.data["answers"] == body["answers"]


def test_first_answer_is_correct_when_none_is_and_ids_are_kept(world):
    course = world.course()
    with world.client(world.admin_token) as c:
        quiz = _create(c, course.id)
        r = c.post(f"/api/v1/courses/{course.id}/quizzes/{quiz['id']}/questions", json={"question": {
            "question_type": "true_false_question",
            "answers": [{"id": 7, "answer_text": "True"}, {"id": 7, "answer_text": "False"}]}})
        body = r.json()
        assert [(a["id"], a["text"], a["weight"]) for a in body["answers"]] == [(7, "True", 100.0), (8, "False", 0.0)]
        assert (body["question_name"], body["points_possible"]) == ("Question", 0.0)


def test_matching_and_numerical_answers(world):
    course = world.course()
    with world.client(world.admin_token) as c:
        quiz = _create(c, course.id)
        matching = c.post(f"/api/v1/courses/{course.id}/quizzes/{quiz['id']}/questions", json={"question": {
            "question_type": "matching_question", "matching_answer_incorrect_matches": "Oslo\nParis",
            "answers": [{"answer_match_left": "France", "answer_match_right": "Paris"},
                        {"answer_match_left": "Italy", "answer_match_right": "Rome"}]}}).json()
        assert matching["answers"] == [
            {"id": 1, "text": "France", "left": "France", "right": "Paris", "comments": "", "comments_html": "",
             "match_id": 3},
            {"id": 2, "text": "Italy", "left": "Italy", "right": "Rome", "comments": "", "comments_html": "",
             "match_id": 4}]
        assert matching["matches"] == [{"match_id": 3, "text": "Paris"}, {"match_id": 4, "text": "Rome"},
                                       {"match_id": 5, "text": "Oslo"}]
        numerical = c.post(f"/api/v1/courses/{course.id}/quizzes/{quiz['id']}/questions", json={"question": {
            "question_type": "numerical_question", "answers": [
                {"numerical_answer_type": "exact_answer", "answer_exact": "42", "answer_error_margin": "0.5"},
                {"numerical_answer_type": "range_answer", "answer_range_start": 1, "answer_range_end": 3}]}}).json()
        assert [{k: a[k] for k in ("numerical_answer_type", "exact", "margin") if k in a}
                for a in numerical["answers"]][0] == {"numerical_answer_type": "exact_answer", "exact": 42.0,
                                                      "margin": 0.5}
        assert (numerical["answers"][1]["start"], numerical["answers"][1]["end"]) == (1.0, 3.0)


def test_update_question_changes_given_fields_and_delete_is_204(world):
    course = world.course()
    with world.client(world.admin_token) as c:
        quiz = _create(c, course.id)
        body = _post_question(c, course.id, quiz["id"]).json()
        url = f"/api/v1/courses/{course.id}/quizzes/{quiz['id']}/questions/{body['id']}"
        r = c.put(url, data={"question[points_possible]": "4", "question[question_name]": "Renamed"})
        assert r.status_code == 200
        assert r.json() == _question_body(body, question_text=body["question_text"], points_possible=4.0,
                                          question_name="Renamed")
        assert c.get(url).json() == r.json()
        assert c.get(f"/api/v1/courses/{course.id}/quizzes/{quiz['id']}").json()["points_possible"] == 4.0
        deleted = c.delete(url)
        assert (deleted.status_code, deleted.content) == (204, b"")
        assert c.get(url).json() == NOT_FOUND
        assert c.delete(url).status_code == 404
        after = c.get(f"/api/v1/courses/{course.id}/quizzes/{quiz['id']}").json()
        assert (after["question_count"], after["points_possible"]) == (0, 0.0)
    with world.tx() as db:
        assert db.scalar(select(ContentItem.workflow_state).where(ContentItem.id == body["id"])) == "deleted"


def test_questions_are_for_quiz_managers_only(world):
    course = world.course()
    cast = world.cast(course)
    with world.client(world.admin_token) as c:
        shown = _create(c, course.id, published="true")
        hidden = _create(c, course.id)
        question = _post_question(c, course.id, shown["id"]).json()
    base = f"/api/v1/courses/{course.id}/quizzes"
    with world.client(cast["student"]) as s:
        for r in (s.get(f"{base}/{shown['id']}/questions"), s.get(f"{base}/{shown['id']}/questions/{question['id']}"),
                  _post_question(s, course.id, shown["id"]),
                  s.put(f"{base}/{shown['id']}/questions/{question['id']}", data={"question[points_possible]": "9"}),
                  s.delete(f"{base}/{shown['id']}/questions/{question['id']}")):
            assert (r.status_code, r.json()) == (403, FORBIDDEN)
        assert s.get(f"{base}/{hidden['id']}/questions").json() == NOT_FOUND
    with world.client(cast["observer"]) as o:
        assert o.get(f"{base}/{shown['id']}/questions").status_code == 403
    with world.client(cast["ta"]) as ta:
        answers = ta.get(f"{base}/{shown['id']}/questions").json()[0]["answers"]
        assert [a["weight"] for a in answers] == [100.0, 0.0]
    assert _item(world, question["id"]).points == 2.0


def test_question_of_another_quiz_is_404(world):
    course = world.course()
    with world.client(world.admin_token) as c:
        a, b = _create(c, course.id), _create(c, course.id)
        question = _post_question(c, course.id, a["id"]).json()
        r = c.get(f"/api/v1/courses/{course.id}/quizzes/{b['id']}/questions/{question['id']}")
        assert (r.status_code, r.json()) == (404, NOT_FOUND)


@pytest.mark.parametrize("question, field, message", [
    ({"question_type": "essay"}, "question[question_type]", "question[question_type] must be one of: "
     "calculated_question, essay_question, file_upload_question, fill_in_multiple_blanks_question, "
     "matching_question, multiple_answers_question, multiple_choice_question, multiple_dropdowns_question, "
     "numerical_question, short_answer_question, text_only_question, true_false_question"),
    ({"points_possible": -1}, "question[points_possible]", "question[points_possible] must not be negative"),
    ({"points_possible": "lots"}, "question[points_possible]",
     "question[points_possible] must be a number, got 'lots'"),
    ({"position": 0}, "question[position]", "question[position] must be at least 1"),
    ({"answers": "Paris"}, "question[answers]", "question[answers] must be a list of answer objects"),
    ({"answers": [{"answer_text": "A", "answer_weight": "heavy"}]}, "question[answers]",
     "question[answers] answer_weight must be a number, got 'heavy'"),
    ({"question_type": "numerical_question", "answers": [{"numerical_answer_type": "guess"}]}, "question[answers]",
     "question[answers] numerical_answer_type must be one of: exact_answer, range_answer, precision_answer"),
])
def test_bad_question_is_400_naming_the_field(world, question, field, message):
    course = world.course()
    with world.client(world.admin_token) as c:
        quiz = _create(c, course.id)
        r = c.post(f"/api/v1/courses/{course.id}/quizzes/{quiz['id']}/questions",
                   json={"question": {"question_type": "multiple_choice_question", **question}})
        assert (r.status_code, r.json()) == (400, {"errors": [{"field": field, "message": message}]})
        assert c.get(f"/api/v1/courses/{course.id}/quizzes/{quiz['id']}/questions").json() == []
