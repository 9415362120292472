"""rustici-software-cloud-v2 5.0.0, unmodified, drives the Registration and Learner services against
the live server: create, exists, list with filters and `more`, launch link, progress before and
after a launch (the launch's runtime commits posted as the player's script posts them), instances,
launch history, tags, configuration, reset, postbacks and delete."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from rustici_software_cloud_v2 import (
    ApiClient,
    BatchTagsSchema,
    Configuration,
    CourseApi,
    CreateRegistrationSchema,
    LaunchLinkRequestSchema,
    LearnerApi,
    LearnerSchema,
    PostBackSchema,
    RegistrationApi,
    SettingsIndividualSchema,
    SettingsPostSchema,
    TagListSchema,
)
from rustici_software_cloud_v2.rest import ApiException

from tests import package_builders as pb
from tests.local_http import Answer, LocalHttp
from tests.scorm_app import ScormApp


def client(world) -> ApiClient:
    app_id, secret = world.scorm_app()
    cfg = Configuration()
    cfg.host, cfg.username, cfg.password = world.base_url + "/api/v2/", app_id, secret
    return ApiClient(cfg)


@pytest.fixture
def apis(world):
    scorm = ScormApp(world)
    assert scorm.imported(pb.scorm12(), "golf")["status"] == "COMPLETE"
    api = client(world)
    return RegistrationApi(api), LearnerApi(api), CourseApi(api)


MESSAGE = LaunchLinkRequestSchema(redirect_on_exit_url="message")


def registration(reg_id: str, learner_id: str = "ada", course_id: str = "golf", **kwargs) -> CreateRegistrationSchema:
    learner = LearnerSchema(id=learner_id, first_name="Ada", last_name="Lovelace", email=f"{learner_id}@example.com")
    return CreateRegistrationSchema(course_id=course_id, learner=learner, registration_id=reg_id, **kwargs)


def launch(world, link: str) -> tuple[dict, str]:
    """Open a launch link as a browser does: the player's launch configuration and its runtime URL."""
    page = httpx.get(link)
    assert page.status_code == 200, page.text
    config = json.loads(re.search(r'<script id="courseport-launch" type="application/json">(.*?)</script>',
                                  page.text, re.S).group(1))
    return config, config["runtimeUrl"]


def commit(url: str, event: str, sco: str, data: dict[str, str], session: int = 1) -> None:
    """One runtime commit, as web/static/scorm_runtime.js sends it (text/plain, like sendBeacon)."""
    answer = httpx.post(url, content=json.dumps({"event": event, "sco": sco, "session": session, "data": data}),
                        headers={"Content-Type": "text/plain"})
    assert answer.status_code == 204, answer.text


def test_registration_life(world, apis):
    regs, _, courses = apis
    tags = ["cohort-1"]
    regs.create_registration(registration("reg-1", registration_tags=tags, learner_tags=["vip"]))
    regs.get_registration("reg-1")  # HEAD: exists
    with pytest.raises(ApiException) as missing:
        regs.get_registration("nope")
    assert missing.value.status == 404
    with pytest.raises(ApiException) as twice:
        regs.create_registration(registration("reg-1"))
    assert (twice.value.status, json.loads(twice.value.body)) == (
        409, {"message": "Registration 'reg-1' already exists"})

    before = regs.get_registration_progress("reg-1")
    assert (before.id, before.instance, before.registration_completion, before.registration_success) == (
        "reg-1", 0, "UNKNOWN", "UNKNOWN")
    assert (before.course.id, before.course.version, before.learner.id, before.learner.first_name) == (
        "golf", 0, "ada", "Ada")
    assert before.score is None and before.first_access_date is None and before.tags == tags
    assert courses.get_course("golf", include_registration_count=True).registration_count == 1
    assert [c.registration_count for c in courses.get_courses(include_registration_count=True).courses] == [1]

    link = regs.build_registration_launch_link("reg-1", LaunchLinkRequestSchema(
        redirect_on_exit_url="message", culture="en-GB")).launch_link
    assert link.startswith(world.base_url + "/launch/")
    config, runtime = launch(world, link)
    sco = config["scos"][0]["id"]
    assert (config["learner"], config["resume"]) == ({"id": "ada", "name": "Lovelace, Ada"}, {})
    commit(runtime, "initialize", sco, {"cmi.core.lesson_status": "not attempted"})
    mid = regs.get_registration_progress("reg-1")
    assert (mid.registration_completion, mid.first_access_date is not None) == ("INCOMPLETE", True)
    commit(runtime, "commit", sco, {"cmi.core.lesson_status": "incomplete", "cmi.core.lesson_location": "page-3",
                                    "cmi.suspend_data": "seen=1,2,3", "cmi.core.exit": "suspend",
                                    "cmi.core.session_time": "0000:01:00"})
    # A second launch starts from what the first left, with entry "resume".
    again, runtime2 = launch(world, regs.build_registration_launch_link("reg-1", MESSAGE).launch_link)
    assert again["resume"][sco] == {"cmi.core.lesson_location": "page-3", "cmi.suspend_data": "seen=1,2,3",
                                    "cmi.core.lesson_status": "incomplete", "cmi.core.entry": "resume",
                                    "cmi.core.total_time": "0000:01:00.00"}
    commit(runtime2, "terminate", sco, {"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "85",
                                        "cmi.core.exit": "", "cmi.core.session_time": "0000:00:30",
                                        "cmi.interactions.0.id": "q1", "cmi.interactions.0.type": "choice",
                                        "cmi.interactions.0.student_response": "a",
                                        "cmi.interactions.0.result": "wrong",
                                        "cmi.interactions.0.correct_responses.0.pattern": "b",
                                        "cmi.interactions.0.objectives.0.id": "obj1",
                                        "cmi.objectives.0.id": "obj1", "cmi.objectives.0.status": "passed",
                                        "cmi.objectives.0.score.raw": "80"})

    after = regs.get_registration_progress("reg-1", include_child_results=True, include_runtime=True,
                                           include_interactions_and_objectives=True)
    assert (after.registration_completion, after.registration_success, after.score.scaled) == (
        "COMPLETED", "PASSED", 85.0)
    assert after.total_seconds_tracked == 90.0 and after.completed_date is not None
    leaf = after.activity_details.children[0]
    assert (leaf.id, leaf.activity_completion, leaf.activity_success, leaf.runtime.score_raw) == (
        sco, "COMPLETED", "PASSED", "85")
    assert leaf.runtime.completion_status == "passed"
    asked = leaf.runtime.runtime_interactions[0]
    assert (asked.id, asked.type, asked.learner_response, asked.result, asked.correct_responses, asked.objectives) == (
        "q1", "Choice", "a", "incorrect", ["b"], ["obj1"])
    objective = leaf.runtime.runtime_objectives[0]
    assert (objective.id, objective.score_raw, objective.runtime_objective_success_status,
            objective.runtime_objective_completion_status) == ("obj1", "80", "PASSED", "COMPLETED")
    plain = regs.get_registration_progress("reg-1", include_child_results=True, include_runtime=True)
    assert plain.activity_details.children[0].runtime.runtime_interactions is None
    history = regs.get_registration_launch_history("reg-1", include_history_log=True).launch_history
    assert [h.instance for h in history] == [0, 0]
    assert history[1].completion_status == "COMPLETED" and "terminate" in history[1].history_log
    assert history[1].exit_time is not None and history[0].exit_time is None
    statements = regs.api_client  # statements of the launch carry the registration's xAPI id
    found = CourseApi(statements).get_course_statements("golf").statements
    assert {s.context.registration for s in found} == {after.xapi_registration_id}
    assert {s.actor.account.name for s in found} == {"ada"}

    mine = regs.get_registration_statements("reg-1").statements
    assert [s.id for s in mine] == [s.id for s in found]
    assert [s.id for s in regs.get_registration_instance_statements("reg-1", 0).statements] == [s.id for s in mine]
    regs.create_registration(registration("reg-2"))  # the same learner on the same course: none of reg-1's
    assert regs.get_registration_statements("reg-2").statements == []
    regs.delete_registration_progress("reg-1")
    reset = regs.get_registration_progress("reg-1")
    assert (reset.registration_completion, reset.score, reset.total_seconds_tracked) == ("UNKNOWN", None, 0.0)
    regs.delete_registration_global_data("reg-1")
    regs.delete_registration("reg-1")
    with pytest.raises(ApiException) as gone:
        regs.get_registration_progress("reg-1")
    assert gone.value.status == 404


def test_progress_rolls_up_over_the_scos_of_a_course(world, apis):
    regs, _, _ = apis
    assert ScormApp(world).imported(pb.scorm2004("3rd"), "multi")["status"] == "COMPLETE"
    regs.create_registration(registration("multi-1", course_id="multi"))
    config, runtime = launch(world, regs.build_registration_launch_link("multi-1", MESSAGE).launch_link)
    assert [s["id"] for s in config["scos"]] == ["sco_1", "sco_2", "glossary"]
    started = httpx.post(config["navigationUrl"], json={"request": "start"})  # as the player starts a 2004 course
    assert started.json()["deliver"] == "sco_1", started.text
    commit(runtime, "terminate", "sco_1", {"cmi.completion_status": "completed", "cmi.score.scaled": "0.9",
                                           "cmi.session_time": "PT10S"})
    half = regs.get_registration_progress("multi-1", include_child_results=True)
    # SCORM 2004: the sequencer's rollup (SN's measure rollup counts every tracked child, the glossary too).
    assert (half.registration_completion, half.registration_success, half.score.scaled) == (
        "INCOMPLETE", "UNKNOWN", 22.5)
    # sco_2 reports a score under its scaled passing score (0.75) and no success: the LMS decides "failed".
    commit(runtime, "terminate", "sco_2", {"cmi.completion_status": "completed", "cmi.score.scaled": "0.5",
                                           "cmi.session_time": "PT5S"})
    done = regs.get_registration_progress("multi-1", include_child_results=True)
    assert (done.registration_completion, done.registration_success, done.score.scaled) == (
        "INCOMPLETE", "UNKNOWN", 35.0)  # the glossary (an asset) is not launched yet
    assert done.total_seconds_tracked == 15.0
    glossary = httpx.post(config["navigationUrl"], json={"request": "choice", "target": "glossary"})
    assert glossary.json()["deliver"] == "glossary", glossary.text  # delivered, an asset is done
    done = regs.get_registration_progress("multi-1", include_child_results=True)
    assert (done.registration_completion, done.score.scaled) == ("COMPLETED", 35.0)
    commit(runtime, "commit", "sco_2", {"cmi.completion_status": "incomplete", "cmi.location": "p4",
                                        "cmi.suspend_data": "{\"q\":[1,0]}", "cmi.exit": "suspend",
                                        "cmi.score.scaled": "0.5", "cmi.session_time": "PT5S"}, session=2)
    again, _ = launch(world, regs.build_registration_launch_link("multi-1", MESSAGE).launch_link)
    assert again["resume"]["sco_2"] == {
        "cmi.location": "p4", "cmi.suspend_data": "{\"q\":[1,0]}", "cmi.completion_status": "incomplete",
        "cmi.score.scaled": "0.5", "cmi.entry": "resume", "cmi.total_time": "PT10.00S"}
    assert again["resume"]["sco_1"]["cmi.entry"] == "" and "glossary" not in again["resume"]
    module = done.activity_details.children[0]
    assert [(c.id, c.activity_completion, c.activity_success) for c in module.children] == [
        ("sco_1", "COMPLETED", "PASSED"), ("sco_2", "COMPLETED", "FAILED")]  # SN: an ended attempt satisfies


def test_list_with_filters_and_more(world, apis, monkeypatch):
    regs, _, _ = apis
    from courseport.core.packages import registrations
    monkeypatch.setattr(registrations, "PAGE_SIZE", 2)
    start = datetime.now(UTC) - timedelta(seconds=1)
    for i, learner in enumerate(["ada", "ada", "bob", "cy", "ada"]):
        regs.create_registration(registration(f"r{i}", learner, registration_tags=["odd"] if i % 2 else []))
    first = regs.get_registrations(learner_id="ada")
    assert [r.id for r in first.registrations] == ["r0", "r1"] and first.more
    second = regs.get_registrations(more=first.more)
    assert [r.id for r in second.registrations] == ["r4"] and second.more is None
    assert [r.id for r in regs.get_registrations(tags=["odd"]).registrations] == ["r1", "r3"]
    found = regs.get_registrations(course_id="golf", filter="bob", filter_by="learner_id").registrations
    assert [r.id for r in found] == ["r2"]
    assert [r.id for r in regs.get_registrations(order_by="registration_id_desc", since=start,
                                                 datetime_filter="created").registrations] == ["r4", "r3"]
    assert regs.get_registrations(course_id="other").registrations == []
    assert regs.get_registrations(until=start).registrations == []
    with pytest.raises(ApiException) as bad:
        regs.get_registrations(order_by="sideways")
    assert bad.value.status == 400 and json.loads(bad.value.body)["message"].startswith("orderBy must be one of")


def test_instances_tags_and_configuration(world, apis):
    regs, learners, courses = apis
    regs.create_registration(registration("inst", initial_settings=SettingsPostSchema(settings=[
        SettingsIndividualSchema(setting_id="PlayerPreventRightClick", value="true")])))
    config, runtime = launch(world, regs.build_registration_launch_link("inst", MESSAGE).launch_link)
    commit(runtime, "terminate", config["scos"][0]["id"], {"cmi.core.lesson_status": "completed"})
    # A new version of the course: the next launch of a launched attempt starts a new instance.
    scorm = ScormApp(world)
    assert scorm.imported(pb.scorm12(title="Golf v2"), "golf", mayCreateNewVersion="True")["status"] == "COMPLETE"
    launch(world, regs.build_registration_launch_link("inst", MESSAGE).launch_link)
    instances = regs.get_registration_instances("inst").registrations
    assert [(i.instance, i.course.version, i.registration_completion) for i in instances] == [
        (0, 0, "COMPLETED"), (1, 1, "UNKNOWN")]
    regs.create_new_registration_instance("inst")
    assert regs.get_registration_progress("inst").instance == 2
    assert regs.get_registration_instance_progress("inst", 0).registration_completion == "COMPLETED"
    assert [h.instance for h in regs.get_registration_instance_launch_history("inst", 1).launch_history] == [1]
    regs.delete_registration_instance("inst", 0)
    assert [i.instance for i in regs.get_registration_instances("inst").registrations] == [1, 2]

    regs.put_registration_tags("inst", TagListSchema(tags=["a", "b"]))
    regs.delete_registration_tags("inst", TagListSchema(tags=["a"]))
    regs.create_registration(registration("other", "bob"))
    regs.put_registration_tags_batch(BatchTagsSchema(ids=["inst", "other"], tags=["c"]))
    assert regs.get_registration_tags("inst").tags == ["b", "c"]
    assert regs.get_registration_tags("other").tags == ["c"]

    courses.set_course_configuration("golf", SettingsPostSchema(settings=[
        SettingsIndividualSchema(setting_id="PlayerCaptureHistory", value="false")]))
    regs.set_registration_configuration("inst", SettingsPostSchema(settings=[
        SettingsIndividualSchema(setting_id="PlayerCommitFrequency", value="5000")]))
    regs.set_registration_instance_configuration("inst", 2, SettingsPostSchema(settings=[
        SettingsIndividualSchema(setting_id="PlayerCommitFrequency", value="2000")]))

    def effective(items, setting):
        found = next(s for s in items.setting_items if s.id == setting)
        return found.effective_value, found.effective_value_source, found.explicit_value

    mine = regs.get_registration_configuration("inst")
    assert effective(mine, "PlayerCommitFrequency") == ("5000", "registration", "5000")
    assert effective(mine, "PlayerCaptureHistory") == ("false", "course", None)
    assert effective(mine, "PlayerPreventRightClick") == ("true", "registration", "true")
    inst = regs.get_registration_instance_configuration("inst", 2)
    assert effective(inst, "PlayerCommitFrequency") == ("2000", "instance", "2000")
    regs.delete_registration_instance_configuration_setting("inst", 2, "PlayerCommitFrequency")
    regs.delete_registration_configuration_setting("inst", "PlayerCommitFrequency")
    assert effective(regs.get_registration_instance_configuration("inst", 2), "PlayerCommitFrequency")[1] == "default"


def test_learner_service(world, apis):
    regs, learners, courses = apis
    regs.create_registration(registration("l1", "ada", learner_tags=["new"]))
    regs.create_registration(registration("l2", "ada"))
    regs.create_registration(registration("l3", "bob"))
    learners.update_learner_info("ada", LearnerSchema(id="ada", first_name="Augusta", email="augusta@example.com"))
    assert {r.id: r.learner.first_name for r in regs.get_registrations().registrations} == {
        "l1": "Augusta", "l2": "Augusta", "l3": "Ada"}
    assert learners.get_learner_tags("ada").tags == ["new"]
    learners.put_learner_tags("ada", TagListSchema(tags=["x", "y"]))
    learners.delete_learner_tags("ada", TagListSchema(tags=["x"]))
    learners.put_learner_tags_batch(BatchTagsSchema(ids=["ada", "bob"], tags=["z"]))
    assert (learners.get_learner_tags("ada").tags, learners.get_learner_tags("bob").tags) == (["y", "z"], ["z"])
    learners.delete_all_learner_data("ada", "dpo@example.com")
    assert [r.id for r in regs.get_registrations().registrations] == ["l3"]
    assert learners.get_learner_tags("ada").tags == []
    with pytest.raises(ApiException) as gone:
        learners.update_learner_info("ada", LearnerSchema(id="ada", first_name="A"))
    assert gone.value.status == 404


def test_postbacks(world, apis, monkeypatch):
    regs, _, _ = apis
    with pytest.raises(ApiException) as private:
        regs.create_registration(registration("pb", post_back=PostBackSchema(url="http://10.0.0.5/hook")))
    assert private.value.status == 400
    assert json.loads(private.value.body)["message"].startswith("postBack.url may not point at 10.0.0.5")
    monkeypatch.setattr(world.services, "settings", world.services.settings.with_changes(outbound_allow=("127.0.0.1",)))
    with LocalHttp() as local:
        local.routes["/hook"] = Answer(200)
        local.routes["/broken"] = Answer(500)
        regs.test_registration_postback(PostBackSchema(url=f"{local.url}/hook", auth_type="HTTPBASIC",
                                                       user_name="u", password="p"))
        with pytest.raises(ApiException) as refused:
            regs.test_registration_postback(PostBackSchema(url=f"{local.url}/broken"))
        assert refused.value.status == 400
        regs.create_registration(registration("pb", post_back=PostBackSchema(url=f"{local.url}/hook")))
        config, runtime = launch(world, regs.build_registration_launch_link("pb", MESSAGE).launch_link)
        commit(runtime, "terminate", config["scos"][0]["id"], {"cmi.core.lesson_status": "passed",
                                                               "cmi.core.score.raw": "70"})
        world.run_jobs()
    posted = [json.loads(body) for method, path, body in local.received if path == "/hook"]
    assert posted[0]["id"] == "test-registration"
    assert posted[-1]["id"] == "pb" and posted[-1]["registrationCompletion"] == "COMPLETED"
    assert (posted[-1]["registrationSuccess"], posted[-1]["score"], posted[-1]["learner"]["id"]) == (
        "PASSED", {"scaled": 70.0}, "ada")
