"""Course include[] values backed by grading: needs_grading_count and total_scores, list and single course."""

from __future__ import annotations

import pytest


def _class(world, **course_fields):
    course = world.course("Chemistry", **course_fields)
    people = {}
    for login, etype in (("tina", "TeacherEnrollment"), ("ann", "StudentEnrollment"), ("bob", "StudentEnrollment")):
        user, token = world.user_with_token(f"{login}{course.id}")
        world.enroll(user, course, etype)
        people[login] = (user, token)
    return course, people


def _submit(world, course, assignment, token):
    with world.client(token) as c:
        r = c.post(f"/api/v1/courses/{course.id}/assignments/{assignment.id}/submissions",
                   data={"submission[submission_type]": "online_text_entry", "submission[body]": "work"})
    assert r.status_code == 201, r.text


def _grade(world, course, assignment, token, user, grade):
    with world.client(token) as c:
        r = c.put(f"/api/v1/courses/{course.id}/assignments/{assignment.id}/submissions/{user.id}",
                  data={"submission[posted_grade]": grade})
    assert r.status_code == 200, r.text


def _counts(world, token, course) -> tuple:
    with world.client(token) as c:
        single = c.get(f"/api/v1/courses/{course.id}", params={"include[]": "needs_grading_count"})
        listed = c.get("/api/v1/courses", params={"include[]": "needs_grading_count"})
    assert single.status_code == listed.status_code == 200
    [entry] = [x for x in listed.json() if x["id"] == course.id]
    return single.json().get("needs_grading_count", "absent"), entry.get("needs_grading_count", "absent")


def test_needs_grading_count_follows_submissions_and_grades(world):
    course, people = _class(world)
    (ann, ann_token), (bob, bob_token), tina_token = people["ann"], people["bob"], people["tina"][1]
    essay, lab = world.assignment(course, "Essay"), world.assignment(course, "Lab")
    extra = world.assignment(course, "Extra")
    assert _counts(world, tina_token, course) == (0, 0)
    _submit(world, course, essay, ann_token)
    _submit(world, course, essay, bob_token)
    _submit(world, course, lab, ann_token)
    _submit(world, course, extra, ann_token)
    assert _counts(world, tina_token, course) == (4, 4)
    for assignment, student in ((essay, ann), (essay, bob), (lab, ann), (extra, ann)):
        _grade(world, course, assignment, tina_token, student, "9")
    assert _counts(world, tina_token, course) == (0, 0)
    _submit(world, course, essay, ann_token)  # re-submitted after grading: needs grading again
    assert _counts(world, tina_token, course) == (1, 1)
    # students never see the count
    assert _counts(world, ann_token, course) == ("absent", "absent")


def test_needs_grading_count_skips_unpublished_assignments_and_inactive_students(world):
    course, people = _class(world)
    ann_token, tina_token = people["ann"][1], people["tina"][1]
    essay = world.assignment(course)
    _submit(world, course, essay, ann_token)
    carl, carl_token = world.user_with_token("carl")
    world.enroll(carl, course)
    _submit(world, course, essay, carl_token)
    assert _counts(world, tina_token, course) == (2, 2)
    with world.tx() as db:
        from courseport.core.content import content
        from courseport.schema import Enrollment
        from courseport.schema.content import ContentItem

        db.query(Enrollment).filter(Enrollment.user_id == carl.id).update({"workflow_state": "inactive"})
        assert content.update_item(db, db.get(ContentItem, essay.id), {"workflow_state": "unpublished"})
    assert _counts(world, tina_token, course) == (0, 0)


def _scores_course(world, *, weights: bool, standard: bool = False, hide: bool = False):
    fields = {"apply_assignment_group_weights": weights, "hide_final_grades": hide}
    if standard:
        fields["grading_standard_id"] = 0
    course, people = _class(world, **fields)
    homework, exams = world.assignment_group(course, "Homework", 40), world.assignment_group(course, "Exams", 60)
    hw1 = world.assignment(course, "HW1", group=homework, points=10)
    hw2 = world.assignment(course, "HW2", group=homework, points=10)
    exam = world.assignment(course, "Exam", group=exams, points=100)
    bonus = world.assignment(course, "Practice", group=exams, points=50, data={"omit_from_final_grade": True})
    (ann, _), tina_token = people["ann"], people["tina"][1]
    for assignment, grade in ((hw1, "9"), (exam, "70"), (bonus, "0")):
        _grade(world, course, assignment, tina_token, ann, grade)
    del hw2
    return course, people


def _student_enrollment(world, token, course, includes) -> dict:
    with world.client(token) as c:
        single = c.get(f"/api/v1/courses/{course.id}", params={"include[]": includes})
        listed = c.get("/api/v1/courses", params={"include[]": includes})
    [entry] = [x for x in listed.json() if x["id"] == course.id]
    assert single.json()["enrollments"] == entry["enrollments"]
    [enrollment] = single.json()["enrollments"]
    return {**enrollment, "course_has_grading_periods": single.json().get("has_grading_periods", "absent")}


def test_total_scores_with_group_weights(world):
    course, people = _scores_course(world, weights=True)
    ann, token = people["ann"]
    enrollment = _student_enrollment(world, token, course, ["total_scores"])
    # current: homework 9/10 = 90% (weight 40), exams 70% (60): 36 + 42 = 78
    # final: homework 9/20 = 45% -> 18, exams 70% -> 42: 60
    assert enrollment == {
        "type": "student", "role": "StudentEnrollment", "role_id": enrollment["role_id"], "user_id": ann.id,
        "enrollment_state": "active", "limit_privileges_to_course_section": False,
        "computed_current_score": 78.0, "computed_final_score": 60.0, "computed_current_grade": None,
        "computed_final_grade": None, "course_has_grading_periods": "absent"}


def test_total_scores_without_weights_and_with_a_grading_standard(world):
    course, people = _scores_course(world, weights=False, standard=True)
    token = people["ann"][1]
    enrollment = _student_enrollment(world, token, course, ["total_scores", "current_grading_period_scores"])
    # current: (9 + 70) / (10 + 100) = 71.82; final: 79 / 120 = 65.83
    expected = {"computed_current_score": 71.82, "computed_final_score": 65.83,
                "computed_current_grade": "C-", "computed_final_grade": "D"}
    assert {k: enrollment[k] for k in expected} == expected
    assert {k: enrollment[k] for k in enrollment if k.startswith("current_period")} == {
        k.replace("computed_", "current_period_computed_"): v for k, v in expected.items()}
    assert (enrollment["has_grading_periods"], enrollment["current_grading_period_id"],
            enrollment["course_has_grading_periods"]) == (False, None, False)


@pytest.mark.parametrize("includes", [["total_scores"], []])
def test_total_scores_absent_when_hidden_or_not_asked(world, includes):
    course, people = _scores_course(world, weights=True, hide=bool(includes))
    enrollment = _student_enrollment(world, people["ann"][1], course, includes or ["term"])
    assert "computed_current_score" not in enrollment


def test_teachers_enrollments_carry_no_scores_and_excused_work_does_not_count(world):
    course, people = _scores_course(world, weights=False)
    (ann, ann_token), tina_token = people["ann"], people["tina"][1]
    with world.client(tina_token) as c:
        teacher = c.get(f"/api/v1/courses/{course.id}", params={"include[]": "total_scores"}).json()
        hw2 = [a for a in _assignments(world, course) if a.title == "HW2"][0]
        c.put(f"/api/v1/courses/{course.id}/assignments/{hw2.id}/submissions/{ann.id}",
              data={"submission[excuse]": "true"})
    assert "computed_current_score" not in teacher["enrollments"][0]
    enrollment = _student_enrollment(world, ann_token, course, ["total_scores"])
    assert (enrollment["computed_current_score"], enrollment["computed_final_score"]) == (71.82, 71.82)


def _assignments(world, course):
    from sqlalchemy import select

    from courseport.schema.content import ContentItem

    with world.tx() as db:
        return list(db.scalars(select(ContentItem).where(ContentItem.course_id == course.id,
                                                         ContentItem.type == "assignment")))


def test_roster_enrollments_carry_the_same_totals(world):
    course, people = _scores_course(world, weights=True, standard=True)
    (ann, ann_token), tina_token = people["ann"], people["tina"][1]
    url = f"/api/v1/courses/{course.id}/users"
    with world.client(tina_token) as c:
        roster = c.get(url, params={"include[]": "enrollments", "enrollment_type[]": "student"})
    with world.client(ann_token) as c:
        own = c.get(f"{url}/{ann.id}", params={"include[]": "enrollments"})
    [ann_entry] = [u for u in roster.json() if u["id"] == ann.id]
    assert ann_entry["enrollments"][0]["grades"] == {
        "html_url": f"{world.base_url}/courses/{course.id}/grades/{ann.id}",
        "current_grade": "C+", "current_score": 78.0, "final_grade": "F", "final_score": 60.0,
        "unposted_current_score": 78.0, "unposted_current_grade": "C+", "unposted_final_score": 60.0,
        "unposted_final_grade": "F"}
    assert own.json()["enrollments"][0]["grades"] == {
        "html_url": f"{world.base_url}/courses/{course.id}/grades/{ann.id}",
        "current_grade": "C+", "current_score": 78.0, "final_grade": "F", "final_score": 60.0}
