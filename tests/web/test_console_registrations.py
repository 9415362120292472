"""The console's registrations over raw HTTP: a package's page lists its registrations (paged, with the
learner and the progress SCORM Cloud's API reports) and a registration's page shows its progress per SCO,
the runtime data the SCO committed, its instances and its launch history. A teacher is refused both, as
every package page refuses them."""

from __future__ import annotations

import re

import pytest

from courseport.core.packages import registrations
from courseport.schema import AttemptLaunch, Registration
from tests import package_builders as pb
from tests.clients.test_scorm_cloud_registrations import MESSAGE, client, commit, launch, registration
from tests.scorm_app import ScormApp
from tests.web.test_console_auth import console, count, sign_in

ROW = re.compile(r"<tr>\s*<td data-label=\"Learner\">([^<]*)</td>\s*<td data-label=\"Registration id\">"
                 r"<a href=\"/console/registrations/([^\"]+)\">")


def facts(html: str, section: str) -> dict[str, str]:
    part = html.split(f'id="{section}"', 1)[1].split("</dl>", 1)[0]
    return dict(re.findall(r"<dt>([^<]+)</dt><dd>(?:<time[^>]*>)?([^<]*)", part))


def cells(row_html: str) -> dict[str, str]:
    return {k: re.sub(r"<[^>]+>", "", v).strip()
            for k, v in re.findall(r'<td data-label="([^"]+)">(.*?)</td>', row_html, re.S)}


@pytest.fixture
def regs(world):
    from rustici_software_cloud_v2 import RegistrationApi

    assert ScormApp(world).imported(pb.scorm12(), "golf")["status"] == "COMPLETE"
    return RegistrationApi(client(world))


def passed_once(world, regs, reg_id: str) -> None:  # noqa: ANN001
    """A registration whose one launch passed its SCO with a raw score of 85 after 30 seconds."""
    regs.create_registration(registration(reg_id))
    config, runtime = launch(world, regs.build_registration_launch_link(reg_id, MESSAGE).launch_link)
    commit(runtime, "terminate", config["scos"][0]["id"], {
        "cmi.core.lesson_status": "passed", "cmi.core.score.raw": "85", "cmi.core.score.min": "0",
        "cmi.core.score.max": "100", "cmi.core.lesson_location": "page-9", "cmi.core.session_time": "0000:00:30"})


def test_a_package_lists_its_registrations_and_a_registration_shows_its_progress(world, regs):
    passed_once(world, regs, "reg-done")
    regs.create_registration(registration("reg-new", learner_id="bob"))
    api = regs.get_registration_progress("reg-done")
    assert (api.registration_completion, api.registration_success) == ("COMPLETED", "PASSED")
    with console(world) as c:
        assert sign_in(c, access_token=world.admin_token).status_code == 303
        package = c.get("/console/packages/golf")
        page = c.get("/console/registrations/reg-done")
        missing = c.get("/console/registrations/nope")
    assert package.status_code == 200, package.text
    table = package.text.split('id="registrations"', 1)[1].split("</table>", 1)[0]
    assert ROW.findall(table) == [("Ada Lovelace (bob)", "reg-new"), ("Ada Lovelace (ada)", "reg-done")]
    done = cells(table.split("reg-done", 1)[1].split("</tr>", 1)[0])
    assert (done["Completion"], done["Success"], done["Score"]) == ("Completed", "Passed",
                                                                   f"{api.score.scaled:g}%")
    assert done["Total time"] == "0000:00:30.00" and "2 in all" in package.text
    assert page.status_code == 200, page.text
    shown = facts(page.text, "progress")
    assert (shown["Learner"], shown["Completion"], shown["Success"], shown["Score"]) == (
        "Ada Lovelace (ada)", "Completed", "Passed", f"{api.score.scaled:g}%")
    assert "<td data-label=\"Value\">page-9</td>" in page.text  # the SCO's runtime data
    assert "85% (raw 85)" in page.text  # the SCO's own score
    launches = page.text.split('id="launches"', 1)[1].split("</table>", 1)[0]
    assert launches.count("<tr>") == 2 and "Passed" in launches  # header row and the one launch
    assert count(world, AttemptLaunch) == 1
    assert "Instance 0" in page.text.split('id="instances"', 1)[1]
    assert missing.status_code == 404 and "not found" in missing.text


def test_registrations_are_paged_by_core_pages(world, regs, monkeypatch):
    monkeypatch.setattr(registrations, "PAGE_SIZE", 2)
    for n in range(3):
        regs.create_registration(registration(f"reg-{n}", learner_id=f"l{n}"))
    with console(world) as c:
        assert sign_in(c, access_token=world.admin_token).status_code == 303
        first, second = c.get("/console/packages/golf"), c.get("/console/packages/golf?registrations=2")
    ids = [[key for _, key in ROW.findall(p.text)] for p in (first, second)]
    assert ids == [["reg-2", "reg-1"], ["reg-0"]]
    assert 'href="/console/packages/golf?registrations=2"' in first.text and "3 in all" in first.text
    assert count(world, Registration) == 3


def test_a_teacher_cannot_read_registrations(world, regs):
    passed_once(world, regs, "reg-done")
    teacher, token = world.user_with_token("alan")
    world.enroll(teacher, world.course("Mine"), "TeacherEnrollment")
    with console(world) as c:
        assert sign_in(c, access_token=token).status_code == 303
        package, page = c.get("/console/packages/golf"), c.get("/console/registrations/reg-done")
    assert package.status_code == 403 and page.status_code == 403
    assert "Ada" not in page.text and "page-9" not in page.text
