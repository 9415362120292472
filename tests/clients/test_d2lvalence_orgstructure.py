"""d2lvalence 1.2.3, unmodified, signs what an integration does first: whoami, organization/info, a
template parented to the organization that call named (no guessed id), an offering in it, every kind of
org unit resolved by its one id, and descendants and a search paged by bookmark over more than 100."""

from __future__ import annotations

from courseport.core.identity import accounts
from tests.clients.test_d2lvalence import SignedSession

LP = "/d2l/api/lp/1.4"


def _all_pages(api, path, **params):
    """Every item of a PagedResultSet, following PagingInfo.Bookmark; and how many pages it took."""
    items, bookmark, pages = [], None, 0
    while True:
        page = api.get(path, params={**params, **({"bookmark": bookmark} if bookmark else {})})
        assert page.status_code == 200, page.text
        body = page.json()
        items += body["Items"]
        pages += 1
        if not body["PagingInfo"]["HasMoreItems"]:
            return items, pages
        bookmark = body["PagingInfo"]["Bookmark"]


def test_an_integration_finds_its_org_units_signed_by_d2lvalence(world):
    api = SignedSession(world.base_url, world.d2l())
    assert api.get(f"{LP}/users/whoami").json()["Identifier"] == str(world.admin.id)
    org = api.get(f"{LP}/organization/info").json()
    assert set(org) == {"Identifier", "Name", "TimeZone"}

    types = {t["Code"]: t["Id"] for t in api.get(f"{LP}/outypes/").json()}
    dept = api.post(f"{LP}/orgstructure/", json={"Type": types["Department"], "Name": "Arts", "Code": "ART",
                                                 "Parents": [int(org["Identifier"])]}).json()
    sem = api.post(f"{LP}/orgstructure/", json={"Type": types["Semester"], "Name": "Fall", "Code": "FA",
                                                "Parents": [int(org["Identifier"])]}).json()
    template = api.post(f"{LP}/coursetemplates/", json={"Name": "Drawing", "Code": "DRAW", "Path": "",
                                                        "ParentOrgUnitIds": [int(org["Identifier"])]})
    assert template.status_code == 200, template.text
    tid = template.json()["Identifier"]
    offering = api.post(f"{LP}/courses/", json={
        "Name": "Drawing 1", "Code": "DRAW-1", "Path": "", "CourseTemplateId": int(tid),
        "SemesterId": int(sem["Identifier"]), "StartDate": None, "EndDate": None, "LocaleId": None,
        "ForceLocale": False, "ShowAddressBook": False}).json()
    section = api.post(f"{LP}/{offering['Identifier']}/sections/", json={"Name": "Studio", "Code": "ST"}).json()

    made = {"Organization": org["Identifier"], "Department": dept["Identifier"], "Semester": sem["Identifier"],
            "Course Template": tid, "Course Offering": offering["Identifier"], "Section": str(section["SectionId"])}
    assert len(set(made.values())) == len(made)
    for code, ou in made.items():
        got = api.get(f"{LP}/orgstructure/{ou}").json()
        assert (got["Identifier"], got["Type"]["Code"], got["Type"]["Id"]) == (ou, code, types[code])
    assert [p["Identifier"] for p in api.get(f"{LP}/orgstructure/{tid}/parents/").json()] == [org["Identifier"]]

    with world.tx() as db:  # more org units than one page holds
        for n in range(110):
            accounts.create_account(db, f"Dept {n:03}", accounts.ROOT_ACCOUNT_ID, sis_account_id=f"DEPT-{n:03}")
    below, pages = _all_pages(api, f"{LP}/orgstructure/{org['Identifier']}/descendants/paged/")
    ids = [u["Identifier"] for u in below]
    # 111 departments, a semester, a template, an offering, a section
    assert pages == 2 and len(ids) == len(set(ids)) == 115
    assert set(made.values()) - {org["Identifier"]} <= set(ids)
    found, pages = _all_pages(api, f"{LP}/orgstructure/", orgUnitType=types["Department"], orgUnitCode="DEPT-")
    assert pages == 2 and sorted(u["Code"] for u in found) == [f"DEPT-{n:03}" for n in range(110)]
    assert all(set(u) == {"Identifier", "Name", "Code", "Path", "Type"} for u in found)
