"""Valence org structure over HTTP: one org unit id namespace across every kind, the tree routes with
their exact blocks, search and paging by bookmark, creation, parent links, org unit types and errors."""

from __future__ import annotations

from sqlalchemy import select

from courseport.core.identity import accounts
from courseport.schema import Account, Course, CourseTemplate, Section, Term
from tests.dialects.d2l.org_ids import ref

LP = "/d2l/api/lp/1.4"
TYPES = {"organization": (1, "Organization"), "template": (2, "Course Template"), "offering": (3, "Course Offering"),
         "semester": (5, "Semester"), "department": (101, "Department"), "section": (102, "Section")}


def typed(kind):
    type_id, name = TYPES[kind]
    return {"Id": type_id, "Code": name, "Name": name}


def unit(identifier, name, code, kind, path=""):
    return {"Identifier": str(identifier), "Name": name, "Code": code, "Path": path, "Type": typed(kind)}


def build(http):
    """Organization -> department -> template -> offering (in a semester) -> section; their org unit ids."""
    org = http.get(f"{LP}/organization/info").json()
    dept = http.post(f"{LP}/orgstructure/", json={"Type": 101, "Name": "Science", "Code": "SCI",
                                                  "Parents": [int(org["Identifier"])]})
    assert dept.status_code == 200, dept.text
    sem = http.post(f"{LP}/orgstructure/", json={"Type": 5, "Name": "Fall", "Code": "F14", "Parents": []}).json()
    tpl = http.post(f"{LP}/coursetemplates/", json={"Name": "Biology", "Code": "BIO", "Path": "/bio/",
                                                    "ParentOrgUnitIds": [int(dept.json()["Identifier"])]}).json()
    off = http.post(f"{LP}/courses/", json={"Name": "Biology 1", "Code": "BIO-1", "Path": "/bio1/",
                                            "CourseTemplateId": int(tpl["Identifier"]),
                                            "SemesterId": int(sem["Identifier"])}).json()
    sec = http.post(f"{LP}/{off['Identifier']}/sections/", json={"Name": "Lab A", "Code": "LAB-A",
                                                                   "Description": {"Content": "", "Type": "Text"}})
    assert sec.status_code == 200, sec.text
    return {"organization": org["Identifier"], "department": dept.json()["Identifier"], "semester": sem["Identifier"],
            "template": tpl["Identifier"], "offering": off["Identifier"], "section": str(sec.json()["SectionId"])}


def test_every_kind_resolves_by_its_one_id(world):
    with world.client(world.admin_token) as http:
        ids = build(http)
        assert len(set(ids.values())) == 6  # one namespace: no two org units share an id
        org = http.get(f"{LP}/organization/info").json()
        assert org == {"Identifier": ids["organization"], "Name": "courseport", "TimeZone": "UTC"}
        expected = {"organization": unit(ids["organization"], "courseport", None, "organization"),
                    "department": unit(ids["department"], "Science", "SCI", "department"),
                    "semester": unit(ids["semester"], "Fall", "F14", "semester"),
                    "template": unit(ids["template"], "Biology", "BIO", "template", "/bio/"),
                    "offering": unit(ids["offering"], "Biology 1", "BIO-1", "offering", "/bio1/"),
                    "section": unit(ids["section"], "Lab A", "LAB-A", "section")}
        for kind, block in expected.items():
            assert http.get(f"{LP}/orgstructure/{ids[kind]}").json() == block, kind
        o = ids["offering"]
        # in id order: the semester was made before the template
        assert http.get(f"{LP}/orgstructure/{o}/parents/").json() == [expected["semester"], expected["template"]]
        assert [u["Identifier"] for u in http.get(f"{LP}/orgstructure/{o}/ancestors/").json()] == sorted(
            [ids[k] for k in ("organization", "department", "semester", "template")], key=int)
        assert http.get(f"{LP}/orgstructure/{o}/children/").json() == [expected["section"]]
        below = http.get(f"{LP}/orgstructure/{ids['department']}/descendants/").json()
        assert [u["Identifier"] for u in below] == sorted([ids[k] for k in ("template", "offering", "section")],
                                                          key=int)
        only = http.get(f"{LP}/orgstructure/{ids['department']}/descendants/", params={"ouTypeId": 3}).json()
        assert only == [expected["offering"]]
        kids = http.get(f"{LP}/orgstructure/{ids['organization']}/children/paged/").json()
        assert kids["PagingInfo"]["HasMoreItems"] is False
        assert {u["Identifier"] for u in kids["Items"]} == {ids["department"], ids["semester"]}
    dept_id, term_id = ref(world, ids["department"]), ref(world, ids["semester"])
    tpl_id, course_id, section_id = ref(world, ids["template"]), ref(world, ids["offering"]), ref(world, ids["section"])
    with world.tx() as db:  # each is the row every face sees
        assert db.get_one(Account, dept_id).parent_account_id == accounts.ROOT_ACCOUNT_ID
        assert db.get_one(Term, term_id).sis_term_id == "F14"
        assert db.get_one(CourseTemplate, tpl_id).account_id == dept_id
        course = db.get_one(Course, course_id)
        assert (course.course_template_id, course.enrollment_term_id, course.account_id) == (tpl_id, term_id, dept_id)
        assert db.get_one(Section, section_id).course_id == course_id
    with world.client(world.admin_token) as http:  # Canvas keeps its own ids for the same rows
        assert http.get(f"/api/v1/courses/{course_id}").json()["name"] == "Biology 1"
        assert http.get(f"/api/v1/sections/{section_id}").json()["name"] == "Lab A"


def test_search_childless_orphans_and_paging_over_more_than_a_page(world):
    with world.tx() as db:
        for n in range(120):
            accounts.create_account(db, f"Dept {n:03}", accounts.ROOT_ACCOUNT_ID, sis_account_id=f"D{n:03}")
    with world.client(world.admin_token) as http:
        seen, bookmark, pages = [], None, 0
        while True:
            page = http.get(f"{LP}/orgstructure/", params={"orgUnitType": 101, **({"bookmark": bookmark}
                                                                                   if bookmark else {})}).json()
            seen += [u["Code"] for u in page["Items"]]
            pages += 1
            if not page["PagingInfo"]["HasMoreItems"]:
                break
            bookmark = page["PagingInfo"]["Bookmark"]
        assert (pages, sorted(seen), len(seen)) == (2, [f"D{n:03}" for n in range(120)], 120)
        assert [u["Code"] for u in http.get(f"{LP}/orgstructure/", params={"orgUnitCode": "d11"}).json()["Items"]] \
            == [f"D11{n}" for n in range(10)]
        exact = http.get(f"{LP}/orgstructure/", params={"exactOrgUnitName": "Dept 007"}).json()["Items"]
        assert [u["Code"] for u in exact] == ["D007"]
        assert http.get(f"{LP}/orgstructure/", params={"exactOrgUnitCode": "d007"}).json()["Items"] == []
        assert len(http.get(f"{LP}/orgstructure/childless/", params={"orgUnitName": "Dept"}).json()["Items"]) == 100
        [orphan] = http.get(f"{LP}/orgstructure/orphans/").json()["Items"]
        assert orphan["Type"] == typed("organization")
        org = http.get(f"{LP}/organization/info").json()["Identifier"]
        first = http.get(f"{LP}/orgstructure/{org}/descendants/paged/").json()
        assert (len(first["Items"]), first["PagingInfo"]["HasMoreItems"]) == (100, True)
        rest = http.get(f"{LP}/orgstructure/{org}/descendants/paged/",
                        params={"bookmark": first["PagingInfo"]["Bookmark"]}).json()
        assert (len(rest["Items"]), rest["PagingInfo"]["HasMoreItems"]) == (20, False)
        assert http.get(f"{LP}/orgstructure/", params={"bookmark": "x"}).json()["detail"].startswith("bookmark")


def test_links_move_an_offering_between_semesters(world):
    with world.client(world.admin_token) as http:
        ids = build(http)
        spring = http.post(f"{LP}/orgstructure/", json={"Type": 5, "Name": "Spring", "Code": "S15"}).json()
        o = ids["offering"]
        assert http.post(f"{LP}/orgstructure/{o}/parents/", json=int(spring["Identifier"])).status_code == 200
        assert http.get(f"{LP}/courses/{o}").json()["Semester"]["Identifier"] == spring["Identifier"]
        assert http.delete(f"{LP}/orgstructure/{spring['Identifier']}/children/{o}").status_code == 200
        assert http.get(f"{LP}/courses/{o}").json()["Semester"] is None
        refused = http.post(f"{LP}/orgstructure/{ids['section']}/parents/", json=int(ids["department"]))
        assert refused.status_code == 400 and refused.json()["detail"].startswith("A department cannot")
        assert http.delete(f"{LP}/orgstructure/{o}/parents/{ids['template']}").status_code == 400
    course_id = ref(world, o)
    with world.tx() as db:
        course = db.get_one(Course, course_id)
        assert course.enrollment_term_id == accounts.default_term(db, 1).id


def test_sections_of_an_offering(world):
    student = world.user("sam")
    with world.client(world.admin_token) as http:
        ids = build(http)
        o = ids["offering"]
        section = int(ids["section"])
        course_id, section_id = ref(world, o), ref(world, section)
        with world.tx() as db:
            course = db.get_one(Course, course_id)
        world.enroll(student, course, section_id=section_id)
        expected = {"SectionId": section, "Name": "Lab A", "Code": "LAB-A", "Description": {"Text": "", "Html": ""},
                    "Enrollments": [student.id]}
        assert http.get(f"{LP}/{o}/sections/").json() == [expected]
        assert http.get(f"{LP}/{o}/sections/{section}").json() == expected
        changed = http.put(f"{LP}/{o}/sections/{section}", json={"Name": "Lab B", "Code": "LAB-B"})
        assert changed.json() == {**expected, "Name": "Lab B", "Code": "LAB-B"}
        assert http.put(f"{LP}/{o}/sections/{section}", json={"Name": "Lab B"}).json()["detail"] == "Code is required."
        assert http.post(f"{LP}/{o}/sections/", json={"Name": "X", "Code": "LAB-B"}).status_code == 400
        assert http.get(f"{LP}/{ids['template']}/sections/").status_code == 404
        assert http.get(f"{LP}/{o}/sections/{ids['semester']}").status_code == 404
        assert http.delete(f"{LP}/{o}/sections/{section}").status_code == 400  # it has an enrollment
        other = http.post(f"{LP}/{o}/sections/", json={"Name": "Empty", "Code": "E"}).json()["SectionId"]
        assert http.delete(f"{LP}/{o}/sections/{other}").status_code == 200
        assert http.get(f"{LP}/{o}/sections/{other}").status_code == 404
    with world.tx() as db:
        names = set(db.scalars(select(Section.name).where(Section.course_id == course_id,
                                                          Section.workflow_state == "active")))
    assert names == {"Biology 1", "Lab B"}  # the default section stays; it is the offering itself


def test_a_user_of_the_offering_joins_a_section(world):
    student, outsider = world.user("sam"), world.user("otto")
    _, teacher_token = world.user_with_token("tess")
    with world.client(world.admin_token) as http:
        ids = build(http)
        o, section = ids["offering"], int(ids["section"])
        assert http.post(f"{LP}/enrollments/", json={"OrgUnitId": int(o), "UserId": student.id,
                                                     "RoleId": 3}).status_code == 200
        joined = http.post(f"{LP}/{o}/sections/{section}/enrollments/", json={"UserId": student.id})
        again = http.post(f"{LP}/{o}/sections/{section}/enrollments/", json={"UserId": student.id})
        not_member = http.post(f"{LP}/{o}/sections/{section}/enrollments/", json={"UserId": outsider.id})
        no_user = http.post(f"{LP}/{o}/sections/{section}/enrollments/", json={})
        not_section = http.post(f"{LP}/{o}/sections/{ids['semester']}/enrollments/", json={"UserId": student.id})
        listed = http.get(f"{LP}/{o}/sections/{section}").json()
        canvas = http.get(f"/api/v1/sections/{ref(world, section)}/enrollments").json()
        members = http.get(f"{LP}/enrollments/orgUnits/{o}/users/").json()["Items"]
        units = http.get(f"{LP}/enrollments/users/{student.id}/orgUnits/").json()["Items"]
        # A new role through Valence keeps the section membership, in that role.
        assert http.post(f"{LP}/enrollments/", json={"OrgUnitId": int(o), "UserId": student.id,
                                                     "RoleId": 5}).status_code == 200
        retyped = http.get(f"/api/v1/sections/{ref(world, section)}/enrollments").json()
        one = http.get(f"{LP}/enrollments/orgUnits/{o}/users/{student.id}").json()
    with world.client(teacher_token) as http:
        refused = http.post(f"{LP}/{o}/sections/{section}/enrollments/", json={"UserId": student.id})
    assert (joined.status_code, joined.content) == (200, b"") and again.status_code == 200
    assert listed["Enrollments"] == [student.id]
    assert [(e["user_id"], e["type"], e["enrollment_state"]) for e in canvas] == [
        (student.id, "StudentEnrollment", "active")]
    assert [m["User"]["Identifier"] for m in members] == [str(student.id)]  # one member, two enrollments
    assert [u["OrgUnit"]["Id"] for u in units] == [int(o)]
    assert [(e["user_id"], e["type"]) for e in retyped] == [(student.id, "TaEnrollment")]
    assert one["RoleId"] == 5
    def problem(status: int, title: str, detail: str) -> tuple[int, dict]:
        return status, {"type": "about:blank", "title": title, "status": status, "detail": detail}
    assert [(r.status_code, r.json()) for r in (not_member, no_user, not_section, refused)] == [
        problem(400, "Bad Request", "UserId must name a user enrolled in the course before a section of it"),
        problem(400, "Bad Request", "UserId is required."),
        problem(404, "Not Found", "Could not resolve section to a known org unit."),
        problem(403, "Forbidden", "No permission to perform this action.")]


def test_outypes_and_errors(world):
    with world.client(world.admin_token) as http:
        types = http.get(f"{LP}/outypes/").json()
        assert [(t["Id"], t["Code"]) for t in types] == [(1, "Organization"), (2, "Course Template"),
                                                         (3, "Course Offering"), (5, "Semester"),
                                                         (101, "Department"), (102, "Section"), (4, "Group")]
        assert http.get(f"{LP}/outypes/5").json()["Permissions"] == {"CanCreate": True, "CanEdit": True,
                                                                     "CanDelete": True}
        assert http.get(f"{LP}/outypes/77").status_code == 404
        missing = http.get(f"{LP}/orgstructure/999999")
        assert (missing.status_code, missing.json()["detail"]) == (
            404, "Could not resolve org unit to a known org unit.")
        bad = http.post(f"{LP}/orgstructure/", json={"Type": 3, "Name": "X", "Code": "X"})
        assert bad.status_code == 400 and bad.json()["detail"].startswith("Only departments, semesters")
        assert http.post(f"{LP}/orgstructure/", json={"Type": 101, "Code": "X"}).json()["detail"] == "Name is required."
        http.post(f"{LP}/orgstructure/", json={"Type": 101, "Name": "A", "Code": "SAME"})
        again = http.post(f"{LP}/orgstructure/", json={"Type": 101, "Name": "B", "Code": "SAME"})
        assert again.status_code == 400
        assert http.get(f"{LP}/orgstructure/", params={"orgUnitType": "x"}).status_code == 400
    _, token = world.user_with_token("nobody")
    with world.client(token) as http:
        assert http.get(f"{LP}/orgstructure/").status_code == 403
        assert http.post(f"{LP}/orgstructure/", json={"Type": 101, "Name": "N", "Code": "N"}).status_code == 403
    with world.tx() as db:
        assert db.scalar(select(Account.id).where(Account.sis_account_id == "N")) is None
        assert len(db.scalars(select(Account.id).where(Account.sis_account_id == "SAME")).all()) == 1


def test_a_department_admin_reads_the_department_but_not_the_tree(world):
    with world.client(world.admin_token) as http:
        ids = build(http)
        other = http.post(f"{LP}/orgstructure/", json={"Type": 101, "Name": "Other", "Code": "OTH"}).json()
    dean, token = world.user_with_token("dean")
    dept_id = ref(world, ids["department"])
    with world.tx() as db:
        accounts.make_admin(db, dean.id, dept_id)
    with world.client(token) as http:
        assert http.get(f"{LP}/orgstructure/{ids['department']}").json()["Name"] == "Science"
        assert http.get(f"{LP}/orgstructure/{ids['template']}").json()["Name"] == "Biology"
        assert http.get(f"{LP}/orgstructure/{ids['offering']}").json()["Name"] == "Biology 1"
        assert http.get(f"{LP}/orgstructure/{other['Identifier']}").status_code == 403
        assert http.get(f"{LP}/orgstructure/{ids['semester']}").status_code == 403
        assert http.get(f"{LP}/orgstructure/{ids['department']}/children/").status_code == 403


def test_put_renames_every_kind_through_its_own_row(world):
    with world.client(world.admin_token) as http:
        ids = build(http)
        for kind, type_kind in (("department", "department"), ("semester", "semester"), ("template", "template"),
                                ("offering", "offering"), ("section", "section")):
            answer = http.put(f"{LP}/orgstructure/{ids[kind]}", json={
                "Identifier": ids[kind], "Name": f"New {kind}", "Code": f"N-{kind}", "Path": f"/{kind}/",
                "Type": typed(type_kind)})
            assert answer.status_code == 200, (kind, answer.text)
            path = f"/{kind}/" if kind in ("template", "offering") else ""
            assert answer.json() == unit(ids[kind], f"New {kind}", f"N-{kind}", type_kind, path)
            assert http.get(f"{LP}/orgstructure/{ids[kind]}").json() == answer.json()
        taken = http.put(f"{LP}/orgstructure/{ids['department']}", json={"Name": "X", "Code": "N-template"})
        assert taken.status_code == 200  # codes are unique per kind: a template's code is not a department's
        clash = http.post(f"{LP}/orgstructure/", json={"Type": 101, "Name": "Y", "Code": "Z"}).json()
        refused = http.put(f"{LP}/orgstructure/{clash['Identifier']}", json={"Name": "Y", "Code": "N-template"})
        assert refused.status_code == 400
        assert http.put(f"{LP}/orgstructure/{ids['semester']}", json={"Name": " ", "Code": "C"}).status_code == 400
    dept_id, course_id = ref(world, ids["department"]), ref(world, ids["offering"])
    with world.tx() as db:
        assert (db.get_one(Account, dept_id).name, db.get_one(Account, dept_id).sis_account_id) == ("X", "N-template")
        course = db.get_one(Course, course_id)
        assert (course.name, course.course_code, course.content_path) == ("New offering", "N-offering", "/offering/")
    _, token = world.user_with_token("nobody")
    with world.client(token) as http:
        assert http.put(f"{LP}/orgstructure/{ids['department']}", json={"Name": "Z", "Code": "Z"}).status_code == 403


def test_a_section_keeps_its_description(world):
    """SectionData's Description: plain text is kept escaped, HTML sanitised; a replace without it keeps it."""
    with world.client(world.admin_token) as http:
        o = build(http)["offering"]
        made = http.post(f"{LP}/{o}/sections/", json={"Name": "Lab C", "Code": "LAB-C", "Description": {
            "Content": "Meets <b>Tuesdays</b>\nRoom 4 & 5", "Type": "Text"}})
        assert made.status_code == 200, made.text
        section = made.json()["SectionId"]
        assert made.json()["Description"] == {"Text": "Meets <b>Tuesdays</b>\nRoom 4 & 5",
                                              "Html": "Meets &lt;b&gt;Tuesdays&lt;/b&gt;<br>Room 4 &amp; 5"}
        html = {"Content": "<p>Lab <script>alert(1)</script><em>two</em></p>", "Type": "Html"}
        changed = http.put(f"{LP}/{o}/sections/{section}", json={"Name": "Lab C", "Code": "LAB-C", "Description": html})
        assert changed.json()["Description"] == {"Text": "Lab two", "Html": "<p>Lab <em>two</em></p>"}
        kept = http.put(f"{LP}/{o}/sections/{section}", json={"Name": "Lab D", "Code": "LAB-C"}).json()
        assert (kept["Name"], kept["Description"]["Html"]) == ("Lab D", "<p>Lab <em>two</em></p>")
        assert http.get(f"{LP}/{o}/sections/{section}").json()["Description"]["Text"] == "Lab two"
        bad = http.put(f"{LP}/{o}/sections/{section}", json={"Name": "Lab D", "Code": "LAB-C",
                                                              "Description": "plain words"})
        assert bad.status_code == 400 and "Description must be a RichTextInput" in bad.text
    with world.tx() as db:
        assert db.get_one(Section, ref(world, section)).description == "<p>Lab <em>two</em></p>"
