"""Blueprint Courses over HTTP: exact bodies, vendor errors for invalid associations and a second
sync, locked edits refused by the content endpoints, paged change lists with no cap, rights."""

from __future__ import annotations

from courseport.core import content


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
