"""SCORM 2004 4th edition shared data (`adl.data`) in the player, in headless Chromium with Rustici's
"Post Test Rollup" golf sample from ../shared/packages/ (its notes live in one bucket every SCO maps):
what one SCO stores, the next one reads in the same launch, the registration reports it as `sharedData`
(read back with rustici-software-cloud-v2) and the next launch starts from it; the data model refuses a
bucket the manifest does not give and the bucket's read-only id. The sample's pages never start here
(their jQuery comes from a CDN this machine cannot reach), so the test makes the calls their Notes
dialog makes (`GetNotesText`, `SaveNotesText`)."""

from __future__ import annotations

from tests.browser.test_registration_launch import until
from tests.browser.test_sequencing_player import (
    POST_TEST,
    delivered,
    launch_link,
    leave,
    open_page,
    register,
    registration_api,
    sco_frame,
)

NOTES = "com.scorm.golfsamples.sequencing.forcedsequential.notesStorage"
CALLS = """([calls]) => { const api = window.parent.API_1484_11;
    return calls.map(([name, ...args]) => [api[name](...args), api.GetLastError()]); }"""


def test_a_note_stored_by_one_sco_is_read_by_the_next_and_kept_for_the_next_launch(browser, world):
    api = registration_api(world, POST_TEST, "golf-notes")
    context, page = open_page(browser, register(api, "golf-notes", "notes-1"))
    delivered(page, "playing_item")
    playing = sco_frame(page, "playing")
    answers = playing.evaluate(CALLS, [[
        ["Initialize", ""], ["GetValue", "adl.data._count"], ["GetValue", "adl.data._children"],
        ["GetValue", "adl.data.0.id"], ["GetValue", "adl.data.0.store"],
        ["SetValue", "adl.data.0.store", "keep the left arm straight"], ["GetValue", "adl.data.0.store"],
        ["SetValue", "adl.data.1.store", "no such bucket"], ["SetValue", "adl.data.0.id", "mine"],
        ["SetValue", "cmi.completion_status", "completed"], ["SetValue", "cmi.success_status", "passed"],
        ["SetValue", "adl.nav.request", "continue"], ["Terminate", ""]]])
    assert answers == [["true", "0"], ["1", "0"], ["id,store", "0"], [NOTES, "0"], ["", "403"],
                       ["true", "0"], ["keep the left arm straight", "0"], ["false", "351"], ["false", "404"],
                       ["true", "0"], ["true", "0"], ["true", "0"], ["true", "0"]]

    delivered(page, "etuqiette_item")
    etiquette = sco_frame(page, "etiquette")
    assert etiquette.evaluate(CALLS, [[["Initialize", ""], ["GetValue", "adl.data.0.store"]]]) == [
        ["true", "0"], ["keep the left arm straight", "0"]]
    etiquette.evaluate(CALLS, [[["SetValue", "adl.data.0.store", "and follow through"], ["Commit", ""]]])
    found = until(lambda: api.get_registration_progress("notes-1"),
                  lambda p: bool(p.shared_data) and p.shared_data[0].value == "and follow through", "the stored note")
    assert [(e.id, e.value) for e in found.shared_data] == [(NOTES, "and follow through")]
    assert page.evaluate("() => document.body.dataset.commitError || null") is None
    leave(page, context)

    # The next launch delivers the suspended-or-first SCO with the bucket as it was left.
    context, page = open_page(browser, launch_link(api, "notes-1"))
    page.wait_for_function("() => document.body.dataset.state === 'running'")
    item = page.evaluate("() => document.body.dataset.sco")
    frame = sco_frame(page, {"playing_item": "playing", "etuqiette_item": "etiquette"}[item])
    assert frame.evaluate(CALLS, [[["Initialize", ""], ["GetValue", "adl.data.0.store"]]]) == [
        ["true", "0"], ["and follow through", "0"]]
    leave(page, context)
