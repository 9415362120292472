"""canvasapi's account and global outcome calls against the live server: an account's root group, subgroups,
outcomes made and linked there by its admin, listed in the account, read by the people of its courses and
linked read-only into a course; global groups read by everyone and written by site admins only; refusals as
canvasapi raises them, and the stored rows after each step."""

from __future__ import annotations

import pytest
from canvasapi.account import Account
from canvasapi.exceptions import Forbidden
from canvasapi.outcome import OutcomeGroup, OutcomeLink
from sqlalchemy import select

from courseport.core.identity import accounts
from courseport.schema import ContentItem

_RATINGS = [{"description": "Mastered", "points": 4}, {"description": "Not yet", "points": 0}]


@pytest.fixture
def school(world):
    """Science, a sub-account administered by dean, holds Physics, taught by tina; sam belongs nowhere."""
    with world.tx() as db:
        science = accounts.create_account(db, "Science", accounts.ROOT_ACCOUNT_ID)
    dean, dean_token = world.user_with_token("dean")
    with world.tx() as db:
        accounts.make_admin(db, dean.id, science.id)
    course = world.course("Physics", account_id=science.id)
    tina, tina_token = world.user_with_token("tina")
    world.enroll(tina, course, "TeacherEnrollment")
    _, sam_token = world.user_with_token("sam")
    return science, course, {"dean": dean_token, "tina": tina_token, "sam": sam_token}


def _account(world, token: str, account_id: int) -> Account:
    canvas = world.canvas(token)
    return Account(canvas._Canvas__requester, {"id": account_id})  # noqa: SLF001 - no GET needed to use it


def _owned(world, kind: str) -> list[tuple]:
    with world.tx() as db:
        return [(i.title, i.course_id, i.account_id) for i in db.scalars(select(ContentItem).where(
            ContentItem.type == kind, ContentItem.workflow_state != "deleted").order_by(ContentItem.id))]


def test_account_outcomes_through_canvasapi(world, school):
    science, course, tokens = school
    acct = world.canvas(tokens["dean"]).get_account(science.id)
    top = acct.get_root_outcome_group()
    assert (top.title, top.context_type, top.context_id, top.parent_outcome_group, top.can_edit) == (
        "Science", "Account", science.id, None, True)
    energy = top.create_subgroup("Energy", vendor_guid="SCI.E")
    assert (energy.context_type, energy.parent_outcome_group["id"]) == ("Account", top.id)
    link = energy.link_new("Explain energy", ratings=_RATINGS, mastery_points=4)
    assert isinstance(link, OutcomeLink)
    assert (link.context_type, link.outcome["context_type"], link.outcome["context_id"], link.outcome["can_edit"]) == (
        "Account", "Account", science.id, True)
    outcome_id = link.outcome["id"]
    assert [g.id for g in acct.get_outcome_groups_in_context()] == [top.id, energy.id]
    assert [x.outcome_group["id"] for x in acct.get_all_outcome_links_in_context()] == [energy.id]
    assert acct.get_outcome_group(energy.id).title == "Energy"
    assert energy.update(title="Energy and work") is True
    assert _owned(world, "outcome") == [("Explain energy", None, science.id)]
    assert _owned(world, "outcome_group") == [("Science", None, science.id), ("Energy and work", None, science.id)]

    # A teacher of one of the account's courses reads the account's outcomes but writes nothing there ...
    seen = _account(world, tokens["tina"], science.id).get_root_outcome_group()
    assert (seen.id, seen.can_edit) == (top.id, False)
    with pytest.raises(Forbidden):
        seen.create_subgroup("Mine")
    with pytest.raises(Forbidden):
        _account(world, tokens["sam"], science.id).get_root_outcome_group()
    # ... and links them into the course, read-only there.
    course_top = world.canvas(tokens["tina"]).get_course(course.id).get_root_outcome_group()
    linked = course_top.link_existing(outcome_id)
    assert (linked.context_type, linked.outcome["context_type"], linked.outcome["can_edit"]) == (
        "Course", "Account", False)
    outcome = world.canvas(tokens["tina"]).get_outcome(outcome_id)
    assert outcome.can_edit is False
    with pytest.raises(Forbidden):
        outcome.update(title="Renamed")
    assert world.canvas(tokens["dean"]).get_outcome(outcome_id).update(title="Explain energy well") is True
    assert [x.outcome["title"] for x in course_top.get_linked_outcomes()] == ["Explain energy well"]

    # Unlinking in the account keeps the outcome the course still links; deleting the group goes with its links.
    assert energy.unlink_outcome(outcome_id) is True
    assert _owned(world, "outcome") == [("Explain energy well", None, science.id)]
    assert energy.delete() is True
    assert _owned(world, "outcome_group") == [("Science", None, science.id), ("Physics", course.id, None)]


def test_global_outcomes_through_canvasapi(world, school):
    _, _, tokens = school
    admin = world.canvas(world.admin_token)
    top = admin.get_root_outcome_group()
    assert isinstance(top, OutcomeGroup)
    assert (top.context_type, top.context_id, top.can_edit) == (None, None, True)
    shared = top.create_subgroup("Shared skills")
    assert shared.url == f"/api/v1/global/outcome_groups/{shared.id}"
    made = shared.link_new("Collaborate")
    assert (made.outcome["context_type"], made.outcome["can_edit"]) == (None, True)
    seen = world.canvas(tokens["sam"]).get_outcome_group(shared.id)
    assert (seen.title, seen.can_edit) == ("Shared skills", False)
    assert [x.outcome["title"] for x in seen.get_linked_outcomes()] == ["Collaborate"]
    with pytest.raises(Forbidden):
        seen.create_subgroup("Mine")
    with pytest.raises(Forbidden):
        world.canvas(tokens["sam"]).get_outcome(made.outcome["id"]).update(title="Mine")
    assert _owned(world, "outcome") == [("Collaborate", None, None)]
    assert [g[0] for g in _owned(world, "outcome_group")] == ["ROOT", "Shared skills"]
