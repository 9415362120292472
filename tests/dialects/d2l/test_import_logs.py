"""Import job logs over HTTP: what was imported, what was skipped and why, a failure, paging, rights."""

from __future__ import annotations

from courseport.core.jobs import jobs
from courseport.schema import Job
from tests.dialects.d2l.cartridge import cartridge
from tests.dialects.d2l.org_ids import ou

LE = "/d2l/api/le/unstable"


def test_logs_name_what_was_imported_and_skipped(world):
    target = world.course("Target")
    target_ou = ou(world, target)
    with world.client(world.admin_token) as http:
        token = http.post(f"{LE}/import/{target_ou}/imports/",
                          files={"file": ("c.imscc", cartridge())}).json()["JobToken"]
        assert http.get(f"{LE}/import/{target_ou}/imports/{token}/logs").json() == {
            "PagingInfo": {"Bookmark": None, "HasMoreItems": False}, "Items": []}
        world.run_jobs()
        answer = http.get(f"{LE}/import/{target_ou}/imports/{token}/logs")
    assert answer.status_code == 200
    messages = [o["Message"] for o in answer.json()["Items"]]
    assert answer.json()["PagingInfo"] == {"Bookmark": "6", "HasMoreItems": False}
    assert messages == [
        "Imported page 'Introduction' (resource r_page)",
        "Imported link 'Docs' (resource r_link)",
        "Imported discussion topic 'Say hello' (resource r_topic)",
        "Imported quiz 'Check' (resource r_quiz)",
        "Imported module 'Week 1' with 4 items",
        "Skipped: resource r_lti of type 'imsbasiclti_xmlv1p3' is not imported",
    ]


def test_a_failed_import_logs_why(world):
    target = world.course("Target")
    target_ou = ou(world, target)
    with world.client(world.admin_token) as http:
        token = http.post(f"{LE}/import/{target_ou}/imports/",
                          files={"file": ("x.imscc", b"not a zip")}).json()["JobToken"]
        world.run_jobs()
        [entry] = http.get(f"{LE}/import/{target_ou}/imports/{token}/logs/").json()["Items"]
    assert entry["Message"]


def test_logs_page_by_bookmark(world):
    target = world.course("Target")
    target_ou = ou(world, target)
    with world.tx() as db:
        job = jobs.enqueue(db, "course_import", {}, context_type="Course", context_id=target.id)
        job.state = "completed"
        job.result = {"log": [{"level": "info", "message": f"m{n}"} for n in range(130)]}
        token = job.id
    with world.client(world.admin_token) as http:
        path = f"/d2l/api/le/1.5/import/{target_ou}/imports/{token}/logs/"
        first = http.get(path).json()
        assert len(first["Items"]) == 100
        assert first["PagingInfo"] == {"Bookmark": "100", "HasMoreItems": True}
        rest = http.get(path, params={"bookmark": first["PagingInfo"]["Bookmark"]}).json()
    assert [o["Message"] for o in rest["Items"]] == [f"m{n}" for n in range(100, 130)]
    assert rest["PagingInfo"] == {"Bookmark": "130", "HasMoreItems": False}
    with world.tx() as db:
        assert db.get(Job, token).kind == "course_import"


def test_logs_errors_and_rights(world):
    target, other = world.course("Target"), world.course("Other")
    target_ou, other_ou = ou(world, target), ou(world, other)
    with world.client(world.admin_token) as http:
        token = http.post(f"{LE}/import/{target_ou}/imports/",
                          files={"file": ("c.imscc", cartridge())}).json()["JobToken"]
        assert http.get(f"{LE}/import/{other_ou}/imports/{token}/logs").status_code == 404
        assert http.get(f"{LE}/import/{target_ou}/imports/99999999/logs").status_code == 404
        assert http.get(f"/d2l/api/le/1.4/import/{target_ou}/imports/{token}/logs").status_code == 404
    _, token_b = world.user_with_token("outsider")
    with world.client(token_b) as http:
        assert http.get(f"{LE}/import/{target_ou}/imports/{token}/logs").status_code == 403
