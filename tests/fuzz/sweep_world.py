"""The store the route sweep runs against: the demo data (a course with assignments, a quiz, pages,
modules, topics, files, submissions, sections and people) plus a group set, a group, a blueprint synced to
a course, a SCORM package with a registration, grading standards, a gradebook column, overrides, and the
jobs each face polls (a course copy, a content export, a Valence copy and import, a Learn copy task, a
SCORM import), and each face's credentials and live ids for the path parameters its routes name."""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx
from sqlalchemy import text

from courseport.core.identity import accounts
from courseport.demo import seed_demo
from courseport.schema.users import User
from tests import package_builders as pb
from tests.scorm_app import ScormApp

# (table, filter) per id the sweep names; the first row in id order is taken.
_ROWS = {
    "account": ("accounts", "parent_account_id is not null"),
    "user": ("users", "id in (select user_id from logins where unique_id = 'demo.student1')"),
    # a student whose token the sweep does not send: terminating its sessions ends no sweeping role's
    "spare_user": ("users", "id in (select user_id from logins where unique_id = 'demo.student2')"),
    "course": ("courses", "sis_course_id = 'DEMO-BIO101'"),
    "other_course": ("courses", "sis_course_id = 'DEMO-MATH110'"),
    "section": ("sections", "course_id = (select id from courses where sis_course_id = 'DEMO-BIO101')"),
    "enrollment": ("enrollments", "type = 'StudentEnrollment'"),
    "term": ("terms", "true"),
    "login": ("logins", "unique_id like 'demo.student%'"),
    "role": ("roles", "true"),
    "channel": ("communication_channels", "user_id in (select user_id from logins where unique_id = 'demo.student1')"),
    "file": ("files", "true"),
    "folder": ("folders", "true"),
    "submission": ("submissions", "true"),
    "entry": ("discussion_entries", "true"),
    "group": ("course_groups", "true"),
    "category": ("group_categories", "true"),
    "quiz_submission": ("quiz_submissions", "true"),
    "template": ("blueprint_templates", "true"),
    "blueprint": ("courses", "sis_course_id = 'DEMO-BIO-BLUEPRINT'"),
    "job": ("jobs", "true"),
    "override": ("assignment_overrides", "true"),
    "migration": ("jobs", "kind = 'course_copy'"),
    "grading_period_set": ("grading_period_sets", "true"),
    "grading_period": ("grading_periods", "true"),
    "external_tool": ("external_tools", "true"),
    "external_feed": ("external_feeds", "true"),
    "conversation": ("conversations", "true"),
    "bookmark": ("bookmarks", "true"),
}
_ITEMS = ("assignment", "assignment_group", "quiz", "quiz_question", "discussion_topic", "page", "module",
          "module_item", "calendar_event", "outcome_group", "outcome", "rubric", "rubric_association")


@dataclass
class SweepWorld:
    ids: dict[str, str]
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    roles: dict[str, dict[str, str]] = field(default_factory=dict)  # a demo course role -> its bearer header


def _first(db, table: str, where: str) -> str:  # noqa: ANN001
    found = db.execute(text(f"select id from {table} where {where} order by id limit 1")).scalar()  # noqa: S608
    return str(found) if found is not None else "1"


def _owned_ids(db) -> dict[str, str]:  # noqa: ANN001
    """Ids of what _owned_content made, which course lookups do not find."""
    ids = {f"group_{item}": _first(db, "content_items", f"type = '{item}' and group_id is not null")
           for item in ("discussion_topic", "page")}
    ids["group_entry"] = _first(db, "discussion_entries", f"topic_id = {ids['group_discussion_topic']}")
    for owner, where in (("account", "account_id is not null"), ("global", "course_id is null and account_id is null")):
        for item in ("outcome_group", "outcome"):
            ids[f"{owner}_{item}"] = _first(db, "content_items", f"type = '{item}' and {where}")
    return ids | {"self": "self", "planner_note": _first(db, "planner_notes", "true"),
                  "planner_override": _first(db, "planner_overrides", "true")}


def build(world) -> SweepWorld:  # noqa: ANN001
    with world.tx() as db:
        demo = seed_demo(db, db.get(User, world.admin.id), enroll_me=True, blobs=world.services.blobs)
        accounts.ensure_root(db)
    canvas = world.client(world.admin_token)
    course = _canvas_extras(world, canvas)
    scorm = ScormApp(world)
    imported = scorm.imported(pb.scorm12(), "swept")
    made = scorm.http.post("/registrations", json={
        "courseId": "swept", "registrationId": "swept-reg", "learner": {"id": "learner-1"}})
    assert made.status_code == 204, made.text
    with world.tx() as db:
        ids = {name: _first(db, table, where) for name, (table, where) in _ROWS.items()}
        for item in _ITEMS:
            ids[item] = _first(db, "content_items", f"type = '{item}' and course_id = {course}")
        ids["org_unit"] = _first(db, "org_units", f"course_id = {course}")
        ids["other_org_unit"] = _first(db, "org_units", f"course_id = {ids['other_course']}")
        ids["group_org_unit"] = _first(db, "org_units", "group_id is not null")
        ids["section_org_unit"] = _first(db, "org_units", f"section_id = {ids['section']}")
        ids["observer"] = _first(db, "users", "id in (select user_id from logins where unique_id = 'demo.observer')")
        ids.update(_owned_ids(db))
    ids.update(feature="quizzes_next", scorm_course="swept", registration="swept-reg",
               scorm_import_job=imported["jobId"])
    ids.update(_job_extras(world, canvas, scorm, ids))
    headers = {"canvas": {"Authorization": f"Bearer {world.admin_token}"},
               "learn": {"Authorization": f"Bearer {world.blackboard_token()}"},
               "scorm": {"Authorization": httpx.BasicAuth(scorm.app_id, scorm.secret)._auth_header}}
    roles = {u.login: {"Authorization": f"Bearer {u.token}"} for u in demo.users
             if u.login in ("demo.teacher", "demo.ta", "demo.student1", "demo.observer")}
    return SweepWorld(ids, headers, roles)


def _canvas_extras(world, canvas) -> int:  # noqa: ANN001
    """What the demo lacks, made through the Canvas face: a group set with a group, an outcome group with an
    outcome, a rubric with its association, an assignment override, a course copy (a content migration),
    a blueprint course, an external tool, an announcement feed, a conversation, a bookmark, a planner note and
    override, and content owned by a group, an account and the installation; each call must work, or the sweep
    would test less than it says."""
    with world.tx() as db:
        course = db.execute(text("select id from courses where sis_course_id = 'DEMO-BIO101'")).scalar_one()
    category = canvas.post(f"/api/v1/courses/{course}/group_categories", json={"name": "Labs"}).json()
    canvas.post(f"/api/v1/group_categories/{category['id']}/groups", json={"name": "Lab 1"})
    root = canvas.get(f"/api/v1/courses/{course}/root_outcome_group").json()
    made = [canvas.post(f"/api/v1/courses/{course}/outcome_groups/{root['id']}/outcomes",
                        json={"title": "Cells", "mastery_points": 3})]
    rubric = canvas.post(f"/api/v1/courses/{course}/rubrics", json={"rubric": {"title": "R", "criteria": {
        "0": {"description": "C", "points": 5, "ratings": {"0": {"description": "A", "points": 5}}}}}})
    with world.tx() as db:
        assignment = db.execute(text("select min(id) from content_items where type = 'assignment' and course_id = "
                                     ":c"), {"c": course}).scalar_one()
        student = db.execute(text("select user_id from logins where unique_id = 'demo.student1'")).scalar_one()
        blueprint = db.execute(text("select id from courses where sis_course_id = 'DEMO-BIO-BLUEPRINT'")).scalar_one()
    made += [rubric, canvas.post(f"/api/v1/courses/{course}/rubric_associations", json={"rubric_association": {
        "rubric_id": rubric.json()["rubric"]["id"], "association_id": assignment, "association_type": "Assignment",
        "purpose": "grading"}}),
        canvas.post(f"/api/v1/courses/{course}/assignments/{assignment}/overrides", json={"assignment_override": {
            "student_ids": [student], "title": "One", "due_at": "2027-01-01T00:00:00Z"}}),
        canvas.post(f"/api/v1/courses/{course}/content_migrations", json={
            "migration_type": "course_copy_importer", "settings": {"source_course_id": blueprint}})]
    made += _grading_periods(canvas, course)
    made.append(canvas.post(f"/api/v1/courses/{course}/external_tools", json={
        "name": "Tool", "privacy_level": "public", "consumer_key": "k", "shared_secret": "s",
        "url": "https://tool.example.com/launch", "course_navigation": {"enabled": "true"}}))
    made.append(canvas.post(f"/api/v1/courses/{course}/external_feeds", json={"url": "https://feed.example.com/rss"}))
    made.append(canvas.post("/api/v1/conversations", json={"recipients": [str(student)], "body": "Hello"}))
    made.append(canvas.post("/api/v1/users/self/bookmarks", json={"name": "Course", "url": f"/courses/{course}"}))
    made += [canvas.post("/api/v1/planner_notes", json={"title": "Read", "todo_date": "2027-01-01T00:00:00Z"}),
             canvas.post("/api/v1/planner/overrides", json={"plannable_type": "assignment", "plannable_id": assignment,
                                                            "marked_complete": True})]
    made += _owned_content(canvas, category)
    assert all(answer.status_code in (200, 201) for answer in made), [(a.status_code, a.text[:200]) for a in made]
    canvas.get(f"/api/v1/courses/{blueprint}/blueprint_templates/default")
    return int(course)


def _owned_content(canvas, category: dict) -> list:  # noqa: ANN001
    """A group's own page and topic with an entry, and an outcome of the sub-account and of the installation."""
    group = canvas.get(f"/api/v1/group_categories/{category['id']}/groups").json()[0]["id"]
    topics = f"/api/v1/groups/{group}/discussion_topics"
    topic = canvas.post(topics, json={"title": "Plan", "message": "M"})
    made = [canvas.post(f"/api/v1/groups/{group}/pages", json={"wiki_page": {"title": "Notes", "body": "B"}}), topic,
            canvas.post(f"{topics}/{topic.json()['id']}/entries", json={"message": "E"})]
    sub_account = canvas.get("/api/v1/accounts/1/sub_accounts").json()[0]["id"]
    for owner in (f"accounts/{sub_account}", "global"):
        root = canvas.get(f"/api/v1/{owner}/root_outcome_group").json()
        made.append(canvas.post(f"/api/v1/{owner}/outcome_groups/{root['id']}/outcomes", json={"title": "Owned"}))
    return made


def _job_extras(world, canvas, scorm, ids: dict[str, str]) -> dict[str, str]:  # noqa: ANN001
    """Things with ids of their own that the demo does not make: grading standards, a gradebook column, a
    section's override, a content export, a blueprint sync with its subscription, a Valence copy and import,
    a Learn copy task, an xAPI credential, an account notification and a quiz report; each call must work."""
    course, blueprint, other = ids["course"], ids["blueprint"], ids["other_course"]
    scheme = {"title": "Letters", "grading_scheme_entry": [{"name": "A", "value": 90}, {"name": "F", "value": 0}]}
    made = {
        "standard": canvas.post(f"/api/v1/courses/{course}/grading_standards", json=scheme),
        "account_standard": canvas.post(f"/api/v1/accounts/{ids['account']}/grading_standards", json=scheme),
        "column": canvas.post(f"/api/v1/courses/{course}/custom_gradebook_columns", json={"column": {"title": "N"}}),
        "export": canvas.post(f"/api/v1/courses/{course}/content_exports", json={"export_type": "common_cartridge"}),
        "section_override": canvas.post(
            f"/api/v1/courses/{course}/assignments/{ids['assignment']}/overrides",
            json={"assignment_override": {"course_section_id": ids["section"], "due_at": "2027-01-01T00:00:00Z"}}),
        "associated": canvas.put(f"/api/v1/courses/{blueprint}/blueprint_templates/default/update_associations",
                                 json={"course_ids_to_add": [other]}),
        "blueprint_migration": canvas.post(f"/api/v1/courses/{blueprint}/blueprint_templates/default/migrations"),
        "xapi_credential": scorm.http.post("/xapi/credentials", json={"name": "swept", "enabled": True}),
        "d2l_copy": canvas.post(f"/d2l/api/le/1.7/import/{ids['org_unit']}/copy",
                                json={"SourceOrgUnitId": int(ids["other_org_unit"])}),
        "d2l_template": canvas.post("/d2l/api/lp/1.5/coursetemplates/", json={"Name": "Swept", "Code": "SWEPT-T"}),
        "account_notice": canvas.post(f"/api/v1/accounts/{ids['account']}/account_notifications", json={
            "account_notification": {"subject": "Swept", "message": "Hi", "start_at": "2026-01-01T00:00:00Z",
                                     "end_at": "2099-01-01T00:00:00Z"}}),
        "quiz_report": canvas.post(f"/api/v1/courses/{course}/quizzes/{ids['quiz']}/reports",
                                   data={"quiz_report[report_type]": "student_analysis"}),
        "d2l_import": canvas.post(f"/d2l/api/le/1.7/import/{ids['org_unit']}/imports",
                                  files={"file": ("package.zip", pb.scorm12(), "application/zip")}),
    }
    learn = httpx.Client(base_url=world.base_url, headers={"Authorization": f"Bearer {world.blackboard_token()}"})
    with learn:
        task = learn.post(f"/learn/api/public/v2/courses/_{course}_1/copy",
                          json={"targetCourse": {"courseId": "SWEPT-COPY"}})
        source = learn.post("/learn/api/public/v1/dataSources", json={"externalId": "swept-source"})
    assert all(a.status_code < 300 for a in [*made.values(), task, source]), [
        (name, a.status_code, a.text[:200]) for name, a in [*made.items(), ("task", task)] if a.status_code >= 300]
    found = {name: str(a.json().get("id") or a.json().get("JobToken") or "") for name, a in made.items()
             if a.content and isinstance(a.json(), dict)}
    found["xapi_credential"] = made["xapi_credential"].json()["result"]
    found["template_org_unit"] = str(made["d2l_template"].json()["Identifier"])
    found["learn_task"] = task.headers["Location"].rsplit("/", 1)[1]
    found["data_source"] = source.json()["id"]  # already in Learn's `_N_1` form
    world.run_jobs()  # the sync makes the subscription's migration; the copies and the export finish
    subscription = canvas.get(f"/api/v1/courses/{other}/blueprint_subscriptions").json()[0]["id"]
    found["subscription"] = str(subscription)
    synced = canvas.get(f"/api/v1/courses/{other}/blueprint_subscriptions/{subscription}/migrations").json()
    found["subscription_migration"] = str(synced[0]["id"]) if synced else "1"
    return found | {"tab": "files", "asset": f"course_{course}", "notification": "new_announcement",
                    "notification_category": "grading"}


def _grading_periods(canvas, course: int) -> list:  # noqa: ANN001
    """A grading period set on the root account for the demo course's term, with one period."""
    term = canvas.get(f"/api/v1/courses/{course}").json()["enrollment_term_id"]
    made = canvas.post("/api/v1/accounts/1/grading_period_sets", json={
        "grading_period_set": {"title": "Year"}, "enrollment_term_ids": [term]})
    return [made, canvas.patch(f"/api/v1/grading_period_sets/{made.json()['grading_period_set']['id']}/grading_periods/"
                               "batch_update", json={"grading_periods": [{
                                   "title": "Q1", "start_date": "2026-01-01T00:00:00Z",
                                   "end_date": "2026-04-01T00:00:00Z"}]})]
