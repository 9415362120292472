"""Isolation between tenants, table-driven: tenant A holds one of everything (made through its own
credentials on each face), and every read or list route of every face called with tenant B's
credentials finds nothing of it: 404 in that face's error shape, or a list without it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import requests

from tests.world import World

PACKAGE = Path(__file__).resolve().parents[1].parent / "shared" / "packages" / "RuntimeBasicCalls_SCORM12.zip"
LP, LE, LEARN = "/d2l/api/lp/1.4", "/d2l/api/le/1.5", "/learn/api/public"


def _tenant(world: World, name: str) -> dict[str, Any]:
    with world.client(world.admin_token) as c:
        made = c.post("/_courseport/tenants", json={"name": name})
    assert made.status_code == 201, made.text
    return made.json()


def _learn_token(world: World, creds: dict[str, Any]) -> str:
    with world.client() as c:
        answer = c.post(f"{LEARN}/v1/oauth2/token", data={"grant_type": "client_credentials"},
                        auth=(creds["blackboard"]["key"], creds["blackboard"]["secret"]))
    assert answer.status_code == 200, answer.text
    return answer.json()["access_token"]


def _d2l(creds: dict[str, Any], base_url: str):  # noqa: ANN202 - a d2lvalence user context
    from d2lvalence import auth as d2l_auth

    keys = creds["d2l"]
    props = {"host": base_url.split("://", 1)[1], "encrypt_requests": False, "server_skew": 0,
             "user_id": keys["user_id"], "user_key": keys["user_key"]}
    return d2l_auth.fashion_user_context(keys["app_id"], keys["app_key"], props)


def _ok(answer: Any) -> dict:
    assert answer.status_code in (200, 201), answer.text
    return answer.json()


def _fill_tenant_a(world: World, made: dict[str, Any]) -> dict[str, Any]:
    """One of everything, made through tenant A's own credentials; answers the ids to look for."""
    creds, root = made["credentials"], made["id"]
    ids: dict[str, Any] = {"root": root}
    with world.client(creds["canvas"]["token"]) as c:
        course = _ok(c.post(f"/api/v1/accounts/{root}/courses", data={
            "course[name]": "A course", "course[sis_course_id]": "A-COURSE", "offer": "true"}))
        ids["course"] = course["id"]
        source = _ok(c.post(f"/api/v1/accounts/{root}/courses", data={"course[name]": "A source"}))
        user = _ok(c.post(f"/api/v1/accounts/{root}/users", data={
            "user[name]": "Alice A", "pseudonym[unique_id]": "alice", "pseudonym[sis_user_id]": "A-USER"}))
        ids["user"] = user["id"]
        ids["section"] = _ok(c.post(f"/api/v1/courses/{course['id']}/sections", data={
            "course_section[name]": "A section", "course_section[sis_section_id]": "A-SEC"}))["id"]
        ids["enrollment"] = _ok(c.post(f"/api/v1/courses/{course['id']}/enrollments", data={
            "enrollment[user_id]": user["id"], "enrollment[type]": "StudentEnrollment",
            "enrollment[enrollment_state]": "active"}))["id"]
        _ok(c.post(f"/api/v1/courses/{course['id']}/pages", data={"wiki_page[title]": "A page"}))
        ids["topic"] = _ok(c.post(f"/api/v1/courses/{course['id']}/discussion_topics",
                                  data={"title": "A topic", "message": "hi"}))["id"]
        ids["event"] = _ok(c.post("/api/v1/calendar_events", data={
            "calendar_event[context_code]": f"course_{course['id']}", "calendar_event[title]": "A event",
            "calendar_event[start_at]": "2026-12-10T10:00:00Z"}))["id"]
        ids["folder"] = _ok(c.get(f"/api/v1/courses/{course['id']}/folders/root"))["id"]
        ids["assignment"] = _ok(c.post(f"/api/v1/courses/{course['id']}/assignments",
                                       data={"assignment[name]": "A assignment"}))["id"]
        migration = _ok(c.post(f"/api/v1/courses/{course['id']}/content_migrations", data={
            "migration_type": "course_copy_importer", "settings[source_course_id]": source["id"]}))
        ids["migration"], ids["progress"] = migration["id"], migration["progress_url"].rsplit("/", 1)[1]
    learn = {"Authorization": f"Bearer {_learn_token(world, creds)}"}
    with world.client() as c:
        ids["learn_course"] = _ok(c.post(f"{LEARN}/v3/courses", headers=learn,
                                         json={"courseId": "a-learn", "name": "A Learn course"}))["id"]
    with world.client() as c:
        job = _ok(c.post("/api/v2/courses/importJobs/upload", params={"courseId": "a-golf"},
                         auth=(creds["scorm_cloud"]["app_id"], creds["scorm_cloud"]["secret_key"]),
                         files={"file": ("golf.zip", PACKAGE.read_bytes(), "application/zip")}))
        ids["scorm_job"] = job["result"]
    world.run_jobs()
    d2l = _d2l(creds, world.base_url)
    ids["organization"] = _ok(requests.get(world.base_url + f"{LP}/organization/info", auth=d2l, timeout=30)
                              )["Identifier"]
    template = _ok(requests.post(world.base_url + f"{LP}/coursetemplates/", auth=d2l, timeout=30, json={
        "Name": "A template", "Code": "A-T", "Path": "", "ParentOrgUnitIds": [int(ids["organization"])]}))
    ids["template"] = template["Identifier"]
    found = _ok(requests.get(world.base_url + f"{LP}/orgstructure/", params={"exactOrgUnitName": "A course"},
                             auth=d2l, timeout=30))["Items"]
    ids["offering"] = found[0]["Identifier"]  # the Canvas course as a Valence course offering
    return ids


# (face, path, what B must see): "404", or the JSON keys whose lists must not hold A's things.
CANVAS = [
    ("/api/v1/courses/{course}", "404"),
    ("/api/v1/courses/sis_course_id:A-COURSE", "404"),
    ("/api/v1/courses/{learn_course}", "404"),
    ("/api/v1/courses/{course}/users", "404"),
    ("/api/v1/courses/{course}/enrollments", "404"),
    ("/api/v1/courses/{course}/sections", "404"),
    ("/api/v1/courses/{course}/sections/{section}", "404"),
    ("/api/v1/courses/{course}/pages", "404"),
    ("/api/v1/courses/{course}/assignments", "404"),
    ("/api/v1/courses/{course}/assignments/{assignment}", "404"),
    ("/api/v1/courses/{course}/modules", "404"),
    ("/api/v1/courses/{course}/discussion_topics", "404"),
    ("/api/v1/courses/{course}/discussion_topics/{topic}", "404"),
    ("/api/v1/calendar_events/{event}", "404"),
    ("/api/v1/calendar_events?all_events=true&context_codes[]=course_{course}", []),
    ("/api/v1/announcements?context_codes[]=course_{course}", "404"),
    ("/api/v1/folders/{folder}", "404"),
    ("/api/v1/folders/{folder}/files", "404"),
    ("/api/v1/courses/{course}/folders", "404"),
    ("/api/v1/courses/{course}/files", "404"),
    ("/api/v1/sections/{section}/enrollments", "404"),
    ("/api/v1/sections/sis_section_id:A-SEC/enrollments", "404"),
    ("/api/v1/courses/{course}/content_migrations", "404"),
    ("/api/v1/courses/{course}/content_migrations/{migration}", "404"),
    ("/api/v1/progress/{progress}", "404"),
    ("/api/v1/users/{user}", "404"),
    ("/api/v1/users/sis_user_id:A-USER", "404"),
    ("/api/v1/users/sis_login_id:alice", "404"),
    ("/api/v1/users/{user}/profile", "404"),
    ("/api/v1/users/{user}/enrollments", "404"),
    ("/api/v1/users/{user}/logins", "404"),
    ("/api/v1/users/{user}/courses", "404"),
    ("/api/v1/accounts/{root}", "404"),
    ("/api/v1/accounts/{root}/courses", "404"),
    ("/api/v1/accounts/{root}/users", "404"),
    ("/api/v1/accounts/{root}/terms", "404"),
    ("/api/v1/accounts/{root}/sub_accounts", "404"),
    ("/api/v1/accounts/{root}/logins", "404"),
    ("/api/v1/accounts/self/courses", []),
    ("/api/v1/accounts/self/users?search_term=alice", []),
    ("/api/v1/courses", []),
    ("/api/v1/accounts", "own"),
]
LEARN_ROUTES = [
    (f"{LEARN}/v3/courses/{{learn_course}}", "404"),
    (f"{LEARN}/v3/courses/courseId:a-learn", "404"),
    (f"{LEARN}/v3/courses/externalId:a-learn", "404"),
    (f"{LEARN}/v3/courses/_{{course}}_1", "404"),
    (f"{LEARN}/v1/courses/courseId:a-learn/users", "404"),
    (f"{LEARN}/v1/users/userName:alice", "404"),
    (f"{LEARN}/v1/users/_{{user}}_1", "404"),
    (f"{LEARN}/v1/users/externalId:A-USER", "404"),
    (f"{LEARN}/v1/users/_{{user}}_1/courses", "404"),
    (f"{LEARN}/v3/courses", "results"),
    (f"{LEARN}/v1/users", "results"),
]
SCORM = [
    ("/api/v2/courses/a-golf", "404"),
    ("/api/v2/courses/a-golf/versions", "404"),
    ("/api/v2/courses/a-golf/tags", "404"),
    ("/api/v2/courses/a-golf/configuration", "404"),
    ("/api/v2/courses/importJobs/{scorm_job}", "404"),
    ("/api/v2/courses", "courses"),
]
D2L = [
    (f"{LP}/courses/{{offering}}", "404"),
    (f"{LP}/orgstructure/{{offering}}", "404"),
    (f"{LP}/orgstructure/{{template}}", "404"),
    (f"{LP}/orgstructure/{{organization}}", "404"),
    (f"{LP}/orgstructure/{{organization}}/children/", "404"),
    (f"{LP}/orgstructure/?orgUnitCode=A-", "Items"),
    (f"{LP}/orgstructure/orphans/", "Items"),
    (f"{LP}/{{offering}}/sections/", "404"),
    (f"{LP}/coursetemplates/{{template}}", "404"),
    (f"{LP}/users/{{user}}", "404"),
    (f"{LP}/users/?userName=alice", "404"),
    (f"{LP}/enrollments/orgUnits/{{offering}}/users/", "404"),
    (f"{LP}/enrollments/users/{{user}}/orgUnits/", "404"),
    (f"{LE}/{{offering}}/content/root/", "404"),
]
ROUTES = ([("canvas", *r) for r in CANVAS] + [("learn", *r) for r in LEARN_ROUTES]
          + [("scorm", *r) for r in SCORM] + [("d2l", *r) for r in D2L])


@pytest.fixture
def two_tenants(world):
    a, b = _tenant(world, "A"), _tenant(world, "B")
    return _fill_tenant_a(world, a), a, b


def _call_as_b(world: World, b: dict[str, Any], face: str, path: str) -> Any:
    creds = b["credentials"]
    if face == "d2l":
        return requests.get(world.base_url + path, auth=_d2l(creds, world.base_url), timeout=30)
    with world.client() as c:
        if face == "canvas":
            return c.get(path, headers={"Authorization": f"Bearer {creds['canvas']['token']}"})
        if face == "learn":
            return c.get(path, headers={"Authorization": f"Bearer {_learn_token(world, creds)}"})
        return c.get(path, auth=(creds["scorm_cloud"]["app_id"], creds["scorm_cloud"]["secret_key"]))


def test_no_route_of_any_face_shows_one_tenant_to_another(world, two_tenants):
    ids, a, b = two_tenants
    a_names = {"A course", "A source", "Alice A", "A Learn course", "A template", "a-golf", "a-learn", "alice"}
    leaks = []
    for face, template, expected in ROUTES:
        path = template.format(**ids)
        answer = _call_as_b(world, b, face, path)
        if expected == "404":
            if answer.status_code != 404:
                leaks.append(f"{face} {path}: {answer.status_code} {answer.text[:200]}")
            continue
        if answer.status_code != 200:
            leaks.append(f"{face} {path}: {answer.status_code} {answer.text[:200]}")
            continue
        body = answer.json()
        if expected == []:
            if body != []:
                leaks.append(f"{face} {path}: {body!r:.200}")
            continue
        if expected == "own":
            if {item["id"] for item in body} != {b["id"]}:
                leaks.append(f"{face} {path}: {body!r:.200}")
            continue
        text = repr(body[expected])
        if any(name in text for name in a_names):
            leaks.append(f"{face} {path}: {text}")
    assert leaks == [], "\n".join(leaks)


def test_the_error_bodies_are_each_faces_own(world, two_tenants):
    ids, _, b = two_tenants
    canvas = _call_as_b(world, b, "canvas", f"/api/v1/courses/{ids['course']}")
    learn = _call_as_b(world, b, "learn", f"{LEARN}/v3/courses/courseId:a-learn")
    scorm = _call_as_b(world, b, "scorm", "/api/v2/courses/a-golf")
    assert canvas.json() == {"errors": [{"message": "The specified resource does not exist."}]}
    assert learn.json()["status"] == 404 and "message" in learn.json()
    assert scorm.json() == {"message": "Course 'a-golf' not found"}


def test_both_tenants_may_hold_the_same_keys(world, two_tenants):
    """Login ids, SCORM course ids and Learn course ids are unique per tenant, not per installation."""
    ids, a, b = two_tenants
    creds = b["credentials"]
    with world.client(creds["canvas"]["token"]) as c:
        user = c.post(f"/api/v1/accounts/{b['id']}/users", data={"user[name]": "Alice B",
                                                                  "pseudonym[unique_id]": "alice"})
        found = c.get("/api/v1/users/sis_login_id:alice")
    assert user.status_code == 200, user.text
    assert found.status_code == 200 and found.json()["id"] == user.json()["id"] != ids["user"]
    with world.client() as c:
        learn = c.post(f"{LEARN}/v3/courses", headers={"Authorization": f"Bearer {_learn_token(world, creds)}"},
                       json={"courseId": "a-learn", "name": "B's"})
        scorm = c.post("/api/v2/courses/importJobs/upload", params={"courseId": "a-golf"},
                       auth=(creds["scorm_cloud"]["app_id"], creds["scorm_cloud"]["secret_key"]),
                       files={"file": ("golf.zip", PACKAGE.read_bytes(), "application/zip")})
    assert learn.status_code == 201, learn.text
    assert scorm.status_code == 200, scorm.text
    world.run_jobs()
    status = _call_as_b(world, b, "scorm", f"/api/v2/courses/importJobs/{scorm.json()['result']}")
    assert status.json()["status"] == "COMPLETE", status.text


def _hold_the_same_sis_ids(world: World, made: dict[str, Any]) -> dict[str, Any]:
    """A sub-account, term, course, section and user with SIS id `SAME`, and a Learn course and user
    with externalId `same`, made through the tenant's own credentials; answers their ids."""
    root, token = made["id"], made["credentials"]["canvas"]["token"]
    with world.client(token) as c:
        account = _ok(c.post(f"/api/v1/accounts/{root}/sub_accounts",
                             data={"account[name]": "Sub", "account[sis_account_id]": "SAME"}))
        term = _ok(c.post(f"/api/v1/accounts/{root}/terms",
                          data={"enrollment_term[name]": "Term", "enrollment_term[sis_term_id]": "SAME"}))
        course = _ok(c.post(f"/api/v1/accounts/{root}/courses",
                            data={"course[name]": f"{made['name']} course", "course[sis_course_id]": "SAME"}))
        section = _ok(c.post(f"/api/v1/courses/{course['id']}/sections", data={
            "course_section[name]": "Section", "course_section[sis_section_id]": "SAME"}))
        user = _ok(c.post(f"/api/v1/accounts/{root}/users", data={
            "user[name]": f"{made['name']} user", "pseudonym[unique_id]": "same", "pseudonym[sis_user_id]": "SAME"}))
    learn = {"Authorization": f"Bearer {_learn_token(world, made['credentials'])}"}
    with world.client() as c:
        learn_course = _ok(c.post(f"{LEARN}/v3/courses", headers=learn,
                                  json={"courseId": "same", "externalId": "same", "name": "Learn course"}))
    return {"account": account["id"], "term": term["id"], "course": course["id"], "section": section["id"],
            "user": user["id"], "learn_course": learn_course["id"]}


def test_both_tenants_may_hold_the_same_sis_ids(world):
    """SIS ids (and Learn externalIds) are unique per tenant: each tenant reads back its own holder,
    on Canvas, Learn and Valence, and within a tenant a second holder is still refused."""
    a, b = _tenant(world, "A"), _tenant(world, "B")
    held = {t["id"]: _hold_the_same_sis_ids(world, t) for t in (a, b)}
    assert held[a["id"]]["course"] != held[b["id"]]["course"]
    for tenant in (a, b):
        mine = held[tenant["id"]]
        reads = {"account": "/api/v1/accounts/sis_account_id:SAME",
                 "term": f"/api/v1/accounts/{tenant['id']}/terms/sis_term_id:SAME",
                 "course": "/api/v1/courses/sis_course_id:SAME", "section": "/api/v1/sections/sis_section_id:SAME",
                 "user": "/api/v1/users/sis_user_id:SAME"}
        for kind, path in reads.items():
            answer = _call_as_b(world, tenant, "canvas", path)
            assert answer.status_code == 200 and answer.json()["id"] == mine[kind], (kind, answer.text)
        course = _call_as_b(world, tenant, "learn", f"{LEARN}/v3/courses/externalId:same")
        assert course.status_code == 200 and course.json()["id"] == mine["learn_course"], course.text
        user = _call_as_b(world, tenant, "learn", f"{LEARN}/v1/users/externalId:SAME")
        assert user.status_code == 200 and user.json()["id"] == f"_{mine['user']}_1", user.text
        valence = _call_as_b(world, tenant, "d2l", f"{LP}/users/?orgDefinedId=SAME")
        assert valence.status_code == 200, valence.text
        assert [u["UserId"] for u in valence.json()] == [mine["user"]], valence.text
    with world.client(a["credentials"]["canvas"]["token"]) as c:
        again = c.post(f"/api/v1/accounts/{a['id']}/courses",
                       data={"course[name]": "Again", "course[sis_course_id]": "SAME"})
    assert again.status_code == 400 and "is already in use" in again.text, again.text
    with world.client(a["credentials"]["canvas"]["token"]) as c:
        listed = _ok(c.get(f"/api/v1/accounts/{a['id']}/courses", params={"per_page": 100}))
    assert sorted(course["name"] for course in listed) == ["A course", "Learn course"]  # no "Again"
