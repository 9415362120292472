"""Every route of every face, swept with hostile input: none may answer with a server error.

test_fuzz.py fuzzes the operations our YAML descriptions list; this sweep needs no description. It walks
the app's own route table (so a route added tomorrow is swept tomorrow), fills path parameters with live
ids of a demo store (sweep_world.py) and then with malformed ones, sends broken bodies, and, for the
Canvas, Learn, Valence and SCORM Cloud faces, learns which parameters and body fields each route reads (by recording
what its `Call` is asked for, or which keys of its query and body it reads; first with no body or an empty
object, then with each hash it asked for sent empty) and sends each of them hostile values: wrong
types, huge and negative numbers, impossible dates, lists and hashes where text is wanted, NUL bytes,
long text. A teacher, a TA, a student and an observer of the demo course send each request too (on the
faces their bearer tokens open), plainly and with every parameter given. Every answer must be below 500.
Writes run before deletes, and deletes of whole courses, users and accounts last, so each request meets
as much live state as the sweep can keep."""

from __future__ import annotations

import json
import re
import zlib
from collections import Counter
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from courseport.dialects.blackboard import protocol as learn_protocol
from courseport.dialects.canvas import protocol as canvas_protocol
from courseport.dialects.d2l import protocol as d2l_protocol
from courseport.dialects.scorm_cloud import protocol as scorm_protocol
from tests.fuzz import sweep_world

# Routes that would end the sweep's own world (empty the store, restore or seed it, make requests fail on
# purpose or jobs wait): their own tests cover them.
SKIP = re.compile(r"/_courseport/(reset|seed|faults|snapshots|job_timing|tenants|jobs/run)")
HOSTILE: tuple[Any, ...] = (
    "abc", "-1", 0, -7, 1e300, "", "2026-02-30T25:61:00Z", ["x"], {"k": "v"}, None, True, "x" * 300,
    "../../etc/passwd", "http://169.254.169.254/latest", "<script>alert(1)</script>", 1.5, "NaN",
    [{"id": "x"}], "sis_course_id:nope")
BAD_IDS = ("abc", "-1", "0", "99999999999999999999", "sis_user_id:nope", "1.5", "%00", "..%2F..")
# path parameter (after its segment) -> the sweep world's id name; the face's own id form is made below
_PARAM_IDS = {
    "course_id": "course", "course": "course", "new_course_id": "other_course", "account_id": "account",
    "user_id": "user", "section_id": "section", "assignment_id": "assignment", "quiz_id": "quiz",
    "question_id": "quiz_question", "topic_id": "discussion_topic", "entry_id": "entry", "module_id": "module",
    "item_id": "module_item", "file_id": "file", "folder_id": "folder", "folder_ref": "folder",
    "url_or_id": "page", "event_id": "calendar_event", "enrollment_id": "enrollment", "term_id": "term",
    "login_id": "login", "role_id": "role", "channel_id": "channel", "category_id": "category",
    "rubric_id": "rubric", "progress_id": "job", "job_id": "job", "template_id": "template",
    "registration_id": "registration", "org_unit_id": "org_unit", "override_id": "override",
    "migration_id": "migration", "outcome_id": "outcome", "association_id": "rubric_association",
    "standard_id": "standard", "column_id": "column", "export_id": "export", "subscription_id": "subscription",
    "tab_id": "tab", "asset": "asset", "observee_id": "user", "observer_id": "observer", "task_id": "learn_task",
    "xapi_credential_id": "xapi_credential", "set_id": "grading_period_set", "period_id": "grading_period",
    "external_tool_id": "external_tool", "feature": "feature", "external_feed_id": "external_feed",
    "destination_user_id": "user",  # a merge into the same user: refused, so the sweep's student stays
    "data_source_id": "data_source",
    "notification_id": "account_notice", "notification": "notification", "category": "notification_category",
    "conversation_id": "conversation", "bookmark_id": "bookmark", "note_id": "planner_note",
    "report_id": "quiz_report",
}
_BY_SEGMENT = {("assignment_groups", "group_id"): "assignment_group", ("outcome_groups", "group_id"): "outcome_group",
               ("groups", "group_id"): "group", ("sets", "group_id"): "category",
               ("quiz_submissions", "submission_id"): "quiz_submission",
               ("submissions", "submission_id"): "submission", ("migrations", "migration_id"): "blueprint_migration",
               ("copy", "job_token"): "d2l_copy", ("imports", "job_token"): "d2l_import",
               ("importJobs", "job_id"): "scorm_import_job"}


def _face(path: str) -> str:
    return ("learn" if path.startswith("/learn/") else "scorm" if path.startswith(("/api/v2", "/xapi"))
            else "d2l" if path.startswith("/d2l/") else "canvas" if path.startswith("/api/v1") else "other")


def _live(face: str, path: str, segment: str, param: str, ids: dict[str, str]) -> str:
    name = _BY_SEGMENT.get((segment, param)) or _PARAM_IDS.get(param)
    if param == "version":  # Valence: the newest version of the route's product (lp, le), which every route has
        return d2l_protocol.VERSIONS[path.split("/")[3]][-1] if face == "d2l" else "0"
    name = _by_path(path, param, name)
    if (face == "scorm" or path.startswith("/content/")) and name == "course":
        return ids["scorm_course"]
    if face == "d2l" and name in ("course", "section", "template"):
        return ids[{"course": "org_unit", "section": "section_org_unit", "template": "template_org_unit"}[name]]
    if face == "d2l" and name == "group":  # a Valence group is an org unit
        return ids["group_org_unit"]
    if face == "learn" and name == "role":  # Learn's built-in roles are numbered by their place
        return "_1_1"
    value = ids.get(name or "", "1")
    learn_ids = ("course", "user", "term", "group", "category", "observer")
    return f"_{value}_1" if face == "learn" and name in learn_ids else value


def _by_path(path: str, param: str, name: str | None) -> str | None:
    """The id a parameter names where the path around it tells which (a blueprint's course, an account's
    grading standard, the observer whose observees are listed, a Valence template)."""
    if name == "course" and "blueprint_subscriptions" in path:
        return "other_course"  # the course the blueprint syncs to
    if name == "course" and "blueprint" in path:
        return "blueprint"
    if name == "blueprint_migration" and "blueprint_subscriptions" in path:
        return "subscription_migration"
    if name == "submission" and "/quizzes/" in path:
        return "quiz_submission"
    if name == "standard" and path.startswith("/api/v1/accounts/"):
        return "account_standard"
    if param == "user_id" and "/observees" in path:
        return "observer"
    if param == "user_id" and path.endswith("/sessions"):
        return "spare_user"
    if name == "org_unit" and "/coursetemplates/" in path:
        return "template"
    if name == "override" and path.startswith("/api/v1/planner/"):
        return "planner_override"
    if param == "user_id" and "/bookmarks/" in path:
        return "self"  # a user's own bookmarks
    return _by_owner(path, name)


def _by_owner(path: str, name: str | None) -> str | None:
    """A group's own content, and an account's or the installation's outcomes, have ids of their own."""
    owner = next((o for o in ("groups", "accounts", "global") if path.startswith(f"/api/v1/{o}/")), None)
    if owner == "groups" and name in ("discussion_topic", "page", "entry"):
        return f"group_{name}"
    if owner in ("accounts", "global") and name in ("outcome_group", "outcome"):
        return f"{'account' if owner == 'accounts' else 'global'}_{name}"
    return name


def _params(path: str) -> list[tuple[str, str]]:
    """(segment before it, name) of each path parameter, in order."""
    return [(m.group(1) or "", m.group(2)) for m in re.finditer(r"(?:([^/{}]+)/)?\{(\w+)(?::\w+)?\}", path)]


def _fill(path: str, values: list[str]) -> str:
    it = iter(values)
    return re.sub(r"\{\w+(?::\w+)?\}", lambda _m: next(it), path)


def operations(app) -> list[tuple[str, str]]:  # noqa: ANN001
    ops = [(method, route.path) for route in app.routes for method in sorted(getattr(route, "methods", ()) or ())
           if method not in ("HEAD", "OPTIONS") and not SKIP.search(route.path)]

    def order(op: tuple[str, str]) -> tuple[int, int, str]:
        """Writes, then deletes of the deepest things first (an entry before its topic, an override before
        its assignment), then whole courses, users and accounts."""
        method, path = op
        last = method == "DELETE" and re.search(r"/(courses|users|accounts|terms)/\{\w+(:\w+)?\}$", path)
        group = 2 if last or "reset_content" in path else 1 if method == "DELETE" else 0
        if not group:
            return (0, 0, path)
        # deepest first; at one depth in reverse order, so that `assignments/{id}` goes before
        # `assignment_groups/{id}` and `groups/{id}` before `group_categories/{id}`, whose deletes take them along
        return (group, -path.count("/"), "".join(chr(0x10FFFF - ord(c)) for c in path))

    return sorted(ops, key=order)


class _Recording(dict):
    """A hash of parameters (or a JSON body) that notes each key a route asks it for, in the bracket
    spelling `_set` builds bodies from (`a[b]`; a top-level key bare), and records below it the same way."""

    def __init__(self, data: dict, name: str, seen: set[str]):
        super().__init__(data)
        self._name, self._seen = name, seen

    def _note(self, key: object) -> str:
        name = f"{self._name}[{key}]" if self._name else str(key)
        self._seen.add(name)
        return name

    def __contains__(self, key: object) -> bool:
        self._note(key)
        return super().__contains__(key)

    def get(self, key: Any, default: Any = None) -> Any:
        name, value = self._note(key), super().get(key, default)
        return _Recording(value, name, self._seen) if isinstance(value, dict) else value

    def __getitem__(self, key: Any) -> Any:
        name, value = self._note(key), super().__getitem__(key)
        return _Recording(value, name, self._seen) if isinstance(value, dict) else value


def _recorded(value: Any, seen: set[str], name: str = "") -> Any:
    return _Recording(value, name, seen) if isinstance(value, dict) else value


@pytest.fixture
def asked(monkeypatch) -> set[str]:
    """The names of the parameters and body fields the requests since the last clear asked for: what
    Canvas routes ask their `Call`, and the keys the other faces' routes read of their query and body."""
    seen: set[str] = set()
    raw, block = canvas_protocol.Call.raw, d2l_protocol.Call.block
    learn_init, d2l_init = learn_protocol.Call.__init__, d2l_protocol.Call.__init__
    scorm_init = scorm_protocol.Call.__init__

    def canvas_raw(self, name: str) -> Any:  # noqa: ANN001
        seen.add(name)
        return _recorded(raw(self, name), seen, name.removesuffix("[]"))

    def learn_call(self, *args: Any, **kwargs: Any) -> None:  # noqa: ANN001
        learn_init(self, *args, **kwargs)
        self.query, self.body = _recorded(self.query, seen), _recorded(self.body, seen)

    def scorm_call(self, *args: Any, **kwargs: Any) -> None:  # noqa: ANN001
        scorm_init(self, *args, **kwargs)
        self.query, self.body = _recorded(self.query, seen), _recorded(self.body, seen)

    def d2l_call(self, *args: Any, **kwargs: Any) -> None:  # noqa: ANN001
        d2l_init(self, *args, **kwargs)
        self.query = _recorded(self.query, seen)

    monkeypatch.setattr(canvas_protocol.Call, "raw", canvas_raw)
    monkeypatch.setattr(learn_protocol.Call, "__init__", learn_call)
    monkeypatch.setattr(d2l_protocol.Call, "__init__", d2l_call)
    monkeypatch.setattr(scorm_protocol.Call, "__init__", scorm_call)
    monkeypatch.setattr(d2l_protocol.Call, "block", lambda self: _recorded(block(self), seen))
    return seen


def _set(body: dict, name: str, value: Any) -> dict:
    """`a[b][c]` = value in the JSON body Canvas reads it from ({"a": {"b": {"c": value}}}), in `body`."""
    parts = name.replace("]", "").split("[")
    keys = [p for p in parts if p]
    node = body
    for key in keys[:-1]:
        if not isinstance(node.get(key), dict):  # absent, or a base value this name goes below
            node[key] = {}
        node = node[key]
    node[keys[-1]] = [value] if parts[-1] == "" else value
    return body


def _base(names: set[str]) -> dict:
    """Every leaf parameter a route asked for set to "1" (text, a number, a truth): what lets a hostile
    value of one parameter get past the checks of the others."""
    leaves = [n for n in names if not any(o.startswith(n.removesuffix("[]") + "[") for o in names if o != n)]
    body: dict = {}
    for name in sorted(leaves):
        _set(body, name, "1")
    return body


def _pairs(node: Any, name: str = "") -> Iterator[tuple[str, str]]:
    """A JSON body as Rails-style query pairs (`a[b]=1`, `a[]=x`); values JSON cannot say in a query
    go as their JSON text."""
    if isinstance(node, dict) and node:
        for key, value in node.items():
            yield from _pairs(value, f"{name}[{key}]" if name else str(key))
    elif isinstance(node, list) and node and all(isinstance(v, str) for v in node):
        for value in node:
            yield f"{name}[]", value
    elif isinstance(node, str | int | float) and not isinstance(node, bool):
        yield name, str(node)
    else:
        yield name, json.dumps(node)


ALWAYS: tuple[Any, ...] = ("a\u0000b", "x" * 3000, 10**30)  # NUL, past every column (with the base), past 64 bits


def _hostile(name: str) -> Iterator[Any]:
    """The values every parameter gets, then three of HOSTILE, chosen by its name (the same each run)."""
    yield from ALWAYS
    start = zlib.crc32(name.encode())
    for k in range(3):
        yield HOSTILE[(start + 7 * k) % len(HOSTILE)]


class Sweep:
    def __init__(self, http: httpx.Client, world: sweep_world.SweepWorld, asked: set[str]):
        self.http, self.world, self.asked = http, world, asked
        self.errors: list[str] = []
        self.sent = 0
        self.missed: list[str] = []  # operations whose live ids found nothing
        self.answers: Counter[tuple[str, int]] = Counter()  # (face, status) -> answers

    def send(self, method: str, path: str, face: str, *, body: Any = None, raw: bytes | None = None,
             content_type: str = "application/json", query: str = "", role: str | None = None) -> int:
        credentials = self.world.roles[role] if role else self.world.headers.get(face, self.world.headers["canvas"])
        headers = {**credentials, "Content-Type": content_type}
        content = raw if raw is not None else None if body is None else json.dumps(body).encode()
        url = path + (f"?{query}" if query else "")
        self.sent += 1
        try:
            answer = self.http.request(method, url, content=content, headers=headers)
        except httpx.HTTPError as exc:
            self.errors.append(f"{method} {url} body={str(content)[:200]}: no answer ({exc!r})")
            return 0
        self.answers[face, answer.status_code] += 1
        if answer.status_code >= 500:
            self.errors.append(f"{answer.status_code} {method} {url} body={str(content)[:200]}: {answer.text[:300]}")
        return answer.status_code

    def operation(self, method: str, template: str) -> None:
        face, params = _face(template), _params(template)
        live = [_live(face, template, seg, name, self.world.ids) for seg, name in params]
        path = _fill(template, live)
        by_bearer = face in ("canvas", "d2l", "other")  # the faces the demo people's tokens open
        answers = [self.send(method, path, face, role=role) for role in (self.world.roles if by_bearer else ())]
        self.asked.clear()
        answers.append(self.send(method, path, face))
        if answers[-1] == 404 and not any(200 <= status < 300 for status in answers):  # a teacher's DELETE may
            # have found the row first
            self.missed.append(f"{method} {path}")
        for i in range(len(params)):
            for bad in BAD_IDS:
                self.send(method, _fill(template, live[:i] + [bad] + live[i + 1:]), face)
        writes = method in ("POST", "PUT", "PATCH", "DELETE")
        if writes:
            for raw, kind in ((b'{"a":', "application/json"), (b"[]", "application/json"),
                              (b'"x"', "application/json"), (b"a=1&a[b]=2&a[]=3&b[][c]=1&b[c]=2",
                                                             "application/x-www-form-urlencoded"),
                              (b"<x>", "text/xml"), (b"--x\r\n", "multipart/form-data; boundary=x")):
                self.send(method, path, face, raw=raw, content_type=kind)
        if face not in ("canvas", "learn", "d2l", "scorm"):
            return
        if writes and face != "canvas":  # a JSON object, so that the route reads its fields
            self.send(method, path, face, body={})
        names = set(self.asked)
        for name in sorted(n for n in names if "[" not in n):  # each hash it asked for, sent empty
            self.send(method, path, face, **self._carry(writes, {name: {}}))
        for role in self.world.roles if method != "DELETE" else ():  # each role with every parameter given
            self.send(method, path, face, role=role, **self._carry(writes, _base(names | self.asked)))
        done: set[str] = set()
        for _round in range(2):  # what the hostile values led the route to ask for gets its turn too
            names |= self.asked
            base = _base(names)
            for name in sorted(names - done):
                for k, value in enumerate(_hostile(name)):
                    body = json.loads(json.dumps(base)) if k % 2 else {}
                    self.send(method, path, face, **self._carry(writes, _set(body, name, value)))
            done |= names

    @staticmethod
    def _carry(writes: bool, body: dict) -> dict[str, Any]:
        if writes:
            return {"body": body}
        return {"query": urlencode(list(_pairs(body)))}


def test_no_route_answers_hostile_input_with_a_server_error(world, live_server, asked):
    swept = sweep_world.build(world)
    app = live_server.server.config.app
    with httpx.Client(base_url=world.base_url, timeout=60) as http:
        sweep = Sweep(http, swept, asked)
        ops = operations(app)
        assert len(ops) > 500, "the route table was not found"
        for method, template in ops:
            sweep.operation(method, template)
    assert not sweep.errors, f"{len(sweep.errors)} of {sweep.sent} requests:\n" + "\n".join(sweep.errors[:80])
    # The sweep reached the code behind the lookups: each face answered with success, and most operations
    # found the live ids they were given (the rest, 50-75 of ~680: ids the world does not make, such as another
    # user's own nicknames or colours, flags never set, or rows an earlier write moved or deleted).
    assert {face for face, status in sweep.answers if status < 300} >= {"canvas", "learn", "d2l", "scorm"}
    assert len(sweep.missed) < len(ops) // 8, "\n".join(sweep.missed)
