"""Blueprint Courses over HTTP: exact bodies, vendor errors for invalid associations and a second
sync, locked edits refused by the content and Files endpoints, file changes synced, paged change
lists with no cap, rights."""

from __future__ import annotations

from sqlalchemy import select

from courseport.core.content import content
from courseport.schema import BlueprintLock
from tests.dialects.canvas.test_files import upload


def _blueprint(world, http):
    bp = world.course("Blueprint", blueprint=True)
    kids = [world.course(f"Section {n}") for n in range(2)]
    answer = http.put(f"/api/v1/courses/{bp.id}/blueprint_templates/default/update_associations",
                      data={"course_ids_to_add[]": [str(k.id) for k in kids]})
    assert (answer.status_code, answer.json()) == (200, {"success": True})
    return bp, kids


def test_template_and_associations_bodies(world):
    with world.client(world.admin_token) as http:
        bp, kids = _blueprint(world, http)
        answer = http.get(f"/api/v1/courses/{bp.id}/blueprint_templates/default")
        template = answer.json()
        assert answer.status_code == 200
        assert template == {"id": template["id"], "course_id": bp.id, "last_export_completed_at": None,
                            "associated_course_count": 2, "latest_migration": None}
        assert http.get(f"/api/v1/courses/{bp.id}/blueprint_templates/{template['id'] + 1}").status_code == 404
        page = http.get(f"/api/v1/courses/{bp.id}/blueprint_templates/default/associated_courses",
                        params={"per_page": 1})
        assert page.json() == [{"id": kids[0].id, "name": "Section 0", "course_code": "Section 0",
                                "sis_course_id": None, "term_name": "Default Term", "teachers": []}]
        assert 'rel="next"' in page.headers["Link"]
        plain = world.course("Plain")
        assert http.get(f"/api/v1/courses/{plain.id}/blueprint_templates/default").status_code == 404


def test_invalid_associations_are_refused_whole(world):
    with world.client(world.admin_token) as http:
        bp, kids = _blueprint(world, http)
        other_bp = world.course("Other blueprint", blueprint=True)
        url = f"/api/v1/courses/{bp.id}/blueprint_templates/default/update_associations"
        cases = {"999999": "invalid courses: 999999", str(bp.id): f"invalid courses: {bp.id}",
                 str(other_bp.id): f"cannot associate blueprint courses: {other_bp.id}"}
        for ref, message in cases.items():
            answer = http.put(url, data={"course_ids_to_add[]": [ref]})
            assert (answer.status_code, answer.json()) == (400, {"errors": [
                {"message": message, "field": "course_ids_to_add"}]})
        http.put(f"/api/v1/courses/{other_bp.id}/blueprint_templates/default/update_associations",
                 data={"course_ids_to_remove[]": [str(kids[0].id)]})
        answer = http.put(f"/api/v1/courses/{other_bp.id}/blueprint_templates/default/update_associations",
                          data={"course_ids_to_add[]": [str(kids[0].id)]})
        assert answer.json()["errors"][0]["message"] == (
            f"cannot add courses already associated with other blueprints: {kids[0].id}")
        teacher, token = world.user_with_token("teacher")
        world.enroll(teacher, bp, "TeacherEnrollment")
        with world.client(token) as mine:
            assert mine.put(url, data={"course_ids_to_add[]": [str(kids[0].id)]}).status_code == 403


def test_second_sync_refused_while_one_runs_and_locked_edit_refused(world):
    with world.client(world.admin_token) as http:
        bp, kids = _blueprint(world, http)
        page = world.assignment(bp, "Essay")
        base = f"/api/v1/courses/{bp.id}/blueprint_templates/default"
        assert http.put(f"{base}/restrict_item", data={"content_type": "assignment", "content_id": page.id,
                                                       "restricted": "true"}).json() == {"success": True}
        first = http.post(f"{base}/migrations", data={"comment": "go", "copy_settings": "false"})
        body = first.json()
        assert first.status_code == 200
        assert body == {"id": body["id"], "template_id": body["template_id"], "user_id": world.admin.id,
                        "workflow_state": "queued", "created_at": body["created_at"], "exports_started_at": None,
                        "imports_queued_at": None, "imports_completed_at": None, "comment": "go"}
        second = http.post(f"{base}/migrations")
        assert (second.status_code, second.json()) == (400, {"errors": [
            {"message": "Cannot queue a migration while one is currently running"}]})
        world.run_jobs()
        copy = http.get(f"/api/v1/courses/{kids[0].id}/assignments").json()[0]
        answer = http.put(f"/api/v1/courses/{kids[0].id}/assignments/{copy['id']}",
                          data={"assignment[name]": "Mine"})
        assert (answer.status_code, answer.json()) == (400, {"errors": [
            {"message": "cannot change column(s): title - locked by Master Course", "field": "base"}]})
        assert http.delete(f"/api/v1/courses/{kids[0].id}/assignments/{copy['id']}").status_code == 400
        assert http.get(f"/api/v1/courses/{kids[0].id}/assignments/{copy['id']}").json()["name"] == "Essay"


def test_change_lists_page_without_a_cap(world):
    with world.client(world.admin_token) as http:
        bp, kids = _blueprint(world, http)
        with world.tx() as db:
            for n in range(160):
                content.create_item(db, bp.id, "page", {"title": f"P{n}", "slug": f"p{n}", "data": {}})
        base = f"/api/v1/courses/{bp.id}/blueprint_templates/default"
        migration = http.post(f"{base}/migrations").json()
        world.run_jobs()
        seen, url = [], f"{base}/migrations/{migration['id']}/details?per_page=100"
        while url:
            answer = http.get(url)
            seen += answer.json()
            nxt = [p for p in answer.headers["Link"].split(",") if 'rel="next"' in p]
            url = nxt[0].split(">")[0].strip("<") if nxt else None
        assert len(seen) == 160 and {r["change_type"] for r in seen} == {"created"}
        assert seen[0]["html_url"].endswith(f"/courses/{bp.id}/pages/{seen[0]['asset_id']}")
        subs = http.get(f"/api/v1/courses/{kids[1].id}/blueprint_subscriptions").json()
        imported = http.get(f"/api/v1/courses/{kids[1].id}/blueprint_subscriptions/default/migrations").json()
        assert [m["subscription_id"] for m in imported] == [subs[0]["id"]]
        assert http.get(f"/api/v1/courses/{kids[1].id}/blueprint_subscriptions/default/migrations/"
                        f"{migration['id'] + 1}").status_code == 404


def test_attachment_locks_refuse_changes_of_file_copies_through_the_files_api(world):
    with world.client(world.admin_token) as http:
        bp, kids = _blueprint(world, http)
        base = f"/api/v1/courses/{bp.id}/blueprint_templates/default"
        locked = upload(http, bp.id, "syllabus.pdf", b"%PDF-", parent_folder_path="handouts")
        free = upload(http, bp.id, "notes.txt", b"notes")
        answer = http.put(f"{base}/restrict_item", data={
            "content_type": "attachment", "content_id": locked["id"], "restricted": "true",
            "restrictions[content]": "true", "restrictions[settings]": "true"})
        assert (answer.status_code, answer.json()) == (200, {"success": True})
        assert http.post(f"{base}/migrations").status_code == 200
        world.run_jobs()
        copies = {f["display_name"]: f for f in http.get(f"/api/v1/courses/{kids[0].id}/files").json()}
        copy, other = copies["syllabus.pdf"], copies["notes.txt"]
        root = http.get(f"/api/v1/courses/{kids[0].id}/folders/root").json()
        refusals = [({"name": "mine.pdf"}, "display_name"), ({"parent_folder_id": root["id"]}, "folder_id")]
        for data, column in refusals:
            answer = http.put(f"/api/v1/files/{copy['id']}", data=data)
            assert (answer.status_code, answer.json()) == (400, {"errors": [
                {"message": f"cannot change column(s): {column} - locked by Master Course", "field": "base"}]})
        answer = http.delete(f"/api/v1/files/{copy['id']}")
        assert (answer.status_code, answer.json()) == (400, {"errors": [
            {"message": "cannot change column(s): file_state - locked by Master Course", "field": "base"}]})
        assert http.put(f"/api/v1/files/{copy['id']}", data={"hidden": "true"}).status_code == 200  # state: free
        shown = http.get(f"/api/v1/files/{copy['id']}").json()
        assert (shown["display_name"], shown["folder_id"]) == ("syllabus.pdf", copy["folder_id"])
        assert http.put(f"/api/v1/files/{other['id']}", data={"name": "mine.txt"}).json()["display_name"] == \
            "mine.txt"  # not locked
        assert http.put(f"/api/v1/files/{locked['id']}", data={"name": "outline.pdf"}).status_code == 200
        assert http.delete(f"/api/v1/files/{free['id']}").status_code == 200  # the blueprint's own files are free
        assert http.post(f"{base}/migrations").status_code == 200
        world.run_jobs()
        details = http.get(f"{base}/migrations").json()[0]
        records = http.get(f"{base}/migrations/{details['id']}/details").json()
        assert sorted((r["asset_id"], r["asset_type"], r["asset_name"], r["change_type"], r["locked"],
                       r["html_url"], r["exceptions"]) for r in records) == sorted([
            (locked["id"], "attachment", "outline.pdf", "updated", True,
             f"{world.base_url}/courses/{bp.id}/files/{locked['id']}", []),
            (free["id"], "attachment", "notes.txt", "deleted", False,
             f"{world.base_url}/courses/{bp.id}/files/{free['id']}",
             [{"course_id": kids[0].id, "conflicting_changes": ["content"]}])])
        assert http.get(f"/api/v1/files/{copy['id']}").json()["display_name"] == "outline.pdf"
        assert http.get(f"/api/v1/files/{other['id']}").json()["display_name"] == "mine.txt"  # edited: kept


def test_restrict_item_accepts_every_canvas_content_type(world):
    with world.client(world.admin_token) as http:
        bp, _ = _blueprint(world, http)
        url = f"/api/v1/courses/{bp.id}/blueprint_templates/default/restrict_item"
        for content_type in ("external_tool", "lti-quiz"):
            answer = http.put(url, data={"content_type": content_type, "content_id": "7", "restricted": "true"})
            assert (answer.status_code, answer.json()) == (200, {"success": True})
        assert http.put(url, data={"content_type": "attachment", "content_id": "999999",
                                   "restricted": "true"}).status_code == 404
        answer = http.put(url, data={"content_type": "rubric", "content_id": "7", "restricted": "true"})
        assert (answer.status_code, answer.json()) == (400, {"errors": [{
            "message": "content_type must be one of assignment, attachment, discussion_topic, external_tool, "
                       "lti-quiz, quiz, wiki_page", "field": "content_type"}]})
    with world.tx() as db:
        stored = db.execute(select(BlueprintLock.kind, BlueprintLock.item_id, BlueprintLock.restricted)
                            .order_by(BlueprintLock.id)).all()
    assert [tuple(r) for r in stored] == [("external_tool", 7, True), ("lti-quiz", 7, True)]
