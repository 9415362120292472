"""d2lvalence 1.2.3, unmodified, signs every call of a course's life: template, offering, update,
read, copy with selected components, import of a cartridge, deletes; tampered and stale calls fail."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import requests
from sqlalchemy import select

from courseport.core.content import content
from courseport.core.identity import d2l_apps
from courseport.schema import ContentItem
from tests.dialects.d2l.cartridge import cartridge
from tests.dialects.d2l.org_ids import ou, ref

LP, LE = "/d2l/api/lp/1.4", "/d2l/api/le/1.5"


class SignedSession(requests.Session):
    """requests with the d2lvalence context as auth; remembers every URL it sent."""

    def __init__(self, base_url: str, ctx):
        super().__init__()
        self.base_url, self.auth, self.sent = base_url, ctx, []
        self.hooks["response"].append(lambda r, *a, **k: self.sent.append(r.request.url))

    def request(self, method, path, **kwargs):  # noqa: ANN001, ANN201
        return super().request(method, self.base_url + path, **kwargs)


def test_course_life_signed_by_d2lvalence(world):
    source = world.course("Source")
    world.assignment(source, "Essay")
    with world.tx() as db:
        content.create_item(db, source.id, "page", {"title": "Notes", "slug": "notes", "workflow_state": "published"})
    api = SignedSession(world.base_url, world.d2l())

    org = int(api.get(f"{LP}/organization/info").json()["Identifier"])  # found, never guessed
    template = api.post(f"{LP}/coursetemplates/", json={"Name": "Chemistry", "Code": "CHEM", "Path": "",
                                                        "ParentOrgUnitIds": [org]})
    assert template.status_code == 200, template.text
    tid = template.json()["Identifier"]
    offering = api.post(f"{LP}/courses/", json={
        "Name": "Chemistry 1", "Code": "CHEM-1", "Path": "", "CourseTemplateId": int(tid), "SemesterId": None,
        "StartDate": None, "EndDate": None, "LocaleId": None, "ForceLocale": False, "ShowAddressBook": False})
    cid = offering.json()["Identifier"]
    assert offering.json()["CourseTemplate"] == {"Identifier": tid, "Name": "Chemistry", "Code": "CHEM"}
    assert api.put(f"{LP}/courses/{cid}", json={"Name": "Chemistry I", "Code": "CHEM-1", "StartDate": None,
                                                "EndDate": "2015-06-30T00:00:00.000Z", "IsActive": True}).ok
    read = api.get(f"{LP}/courses/{cid}").json()
    assert (read["Name"], read["EndDate"], read["IsActive"]) == ("Chemistry I", "2015-06-30T00:00:00.000Z", True)

    job = api.post(f"{LE}/import/{cid}/copy/", json={"SourceOrgUnitId": ou(world, source), "Components": ["Content"],
                                                     "CallbackUrl": None})
    assert job.status_code == 202
    token = job.json()["JobToken"]
    assert api.get(f"{LE}/import/{cid}/copy/{token}").json() == {"Status": "PENDING"}
    world.run_jobs()
    assert api.get(f"{LE}/import/{cid}/copy/{token}").json() == {"Status": "COMPLETE"}

    imported = api.post(f"/d2l/api/le/unstable/import/{cid}/imports/", files={"file": ("c.imscc", cartridge())})
    assert imported.status_code == 200, imported.text
    world.run_jobs()
    status = api.get(f"/d2l/api/le/unstable/import/{cid}/imports/{imported.json()['JobToken']}").json()
    assert status["Status"] == "COMPLETED"
    course_id = ref(world, cid)  # the Canvas course behind the offering's org unit id
    with world.tx() as db:
        titles = set(db.scalars(select(ContentItem.title).where(ContentItem.course_id == course_id,
                                                               ContentItem.type == "page")))
    assert titles == {"Notes", "Introduction"}  # copied page (Content only, no assignment) + imported page

    assert api.delete(f"{LP}/courses/{cid}").status_code == 200
    assert api.delete(f"{LP}/coursetemplates/{tid}").status_code == 200
    assert api.get(f"{LP}/courses/{cid}").status_code == 404
    assert api.get(f"{LP}/coursetemplates/{tid}").status_code == 404
    assert len(api.sent) == 14
    for url in api.sent:  # every call carried the five ID-key parameters
        assert set(parse_qs(urlsplit(url).query, keep_blank_values=True)) >= {"x_a", "x_b", "x_c", "x_d", "x_t"}


def test_tampered_and_stale_calls_get_the_documented_bodies(world):
    ctx = world.d2l()
    url = ctx.create_authenticated_url(f"{LP}/courses/schema")
    assert requests.get(url).status_code == 200
    tampered = url.replace("x_c=", "x_c=AA", 1)
    assert (requests.get(tampered).status_code, requests.get(tampered).text) == (403, "Invalid Token")
    ctx.set_new_skew(-2 * d2l_apps.TIMESTAMP_WINDOW * 1000)
    stale = requests.get(ctx.create_authenticated_url(f"{LP}/courses/schema"))
    assert stale.status_code == 403
    assert stale.text.startswith("Timestamp out of range\r\n") and stale.text.split("\r\n")[1].isdigit()
