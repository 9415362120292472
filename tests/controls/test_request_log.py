"""The request log: a bbrest call's path and status, filters, masked secrets, injected faults, the CLI."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner
from sqlalchemy import column, delete, func, select, table

from courseport.db import transaction
from courseport.schema import RequestLogBatch
from courseport.web.controls import request_masking, request_store
from courseport.web.controls.request_masking import mask_body
from tests.clients.test_bbrest import swagger_offline  # noqa: F401 - a fixture


@pytest.fixture(autouse=True)
def empty_log(world):
    """Records of earlier tests still pending in the server's writer are written, then cleared."""
    store = request_store.store_for(world.engine)
    store.flush()
    with transaction(store.engine, write=True) as db:
        db.execute(delete(RequestLogBatch))


def _kept(world) -> int:
    """Records the log holds, over every tenant's batches."""
    with transaction(request_store.store_for(world.engine).engine, write=False) as db:
        return db.scalar(select(func.coalesce(func.sum(RequestLogBatch.count), 0)))


def logged(world, **filters) -> list[dict]:  # noqa: ANN003
    with world.client(world.admin_token) as c:
        r = c.get("/_courseport/requests", params=filters)
    assert r.status_code == 200, r.text
    return r.json()


def test_the_log_shows_a_bbrest_call_path_and_status(world, swagger_offline):  # noqa: F811
    from bbrest import BbRest

    key, secret = world.blackboard_app()
    bb = BbRest(key, secret, world.base_url)
    assert bb.CreateCourse(payload={"courseId": "logged", "name": "Logged"}).status_code == 201
    missing_course = bb.GetCourse(courseId="_99999999_1")
    assert (missing_course.status_code, missing_course.json()) == (404, {"status": 404, "message": "Course not found"})
    records = logged(world, face="blackboard")
    made = [r for r in records if r["method"] == "POST" and r["path"] == "/learn/api/public/v3/courses"]
    assert [r["status"] for r in made] == [201]
    assert json.loads(made[0]["request"]["body"]) == {"courseId": "logged", "name": "Logged"}
    assert json.loads(made[0]["response"]["body"])["courseId"] == "logged"
    assert made[0]["request"]["headers"]["authorization"] == "Bearer ***"
    missing = logged(world, face="blackboard", status=404)
    assert [(r["path"], r["status"]) for r in missing] == [("/learn/api/public/v3/courses/_99999999_1", 404)]
    token = next(r for r in records if r["path"].endswith("/oauth2/token"))
    assert secret not in json.dumps(token) and key not in json.dumps(token["request"]["headers"])
    assert json.loads(token["response"]["body"])["access_token"] == "***"


def test_filters_by_method_path_and_since_and_follows_by_id(world):
    world.course("One")
    with world.client(world.admin_token) as c:
        c.get("/api/v1/courses")
        c.get("/api/v1/users/self")
        c.put("/api/v1/users/self", data={"user[name]": "Admin"})
    courses = logged(world, path="/api/v1/courses")
    assert [(r["method"], r["path"], r["status"]) for r in courses] == [("GET", "/api/v1/courses", 200)]
    assert [r["path"] for r in logged(world, method="put")] == ["/api/v1/users/self"]
    every = logged(world, face="canvas")
    assert len(every) == 3 and every == sorted(every, key=lambda r: r["id"])
    assert [r["id"] for r in logged(world, after=every[0]["id"])] == [r["id"] for r in every[1:]]
    assert logged(world, since="2999-01-01T00:00:00Z") == []
    assert all(r["face"] != "admin" for r in logged(world))  # the admin API is not logged
    with world.client(world.admin_token) as c:
        bad = c.get("/_courseport/requests", params={"face": "moodle"})
    assert (bad.status_code, bad.json()["errors"][0]["field"]) == (400, "face")


def test_injected_faults_are_logged(world):
    with world.client(world.admin_token) as c:
        c.post("/_courseport/faults", json={"face": "canvas", "action": "status", "status": 503})
        assert c.get("/api/v1/courses").status_code == 503
    assert [(r["path"], r["status"]) for r in logged(world, face="canvas")] == [("/api/v1/courses", 503)]


def test_each_tenant_keeps_its_last_records(world, monkeypatch):
    monkeypatch.setattr(request_store, "KEEP", 2)
    with world.client(world.admin_token) as c:
        for _ in range(4):
            c.get("/api/v1/users/self")
    assert len(logged(world)) == 2
    assert _kept(world) == 2  # the batch holding all four lost its two oldest


def test_a_tenant_trimmed_lazily_still_shows_only_its_last_records(world, monkeypatch):
    monkeypatch.setattr(request_store, "KEEP", 3)
    monkeypatch.setattr(request_store, "TRIM_MARGIN", 100)  # the writer does not trim: the read does
    store = request_store.store_for(world.engine)
    with world.client(world.admin_token) as c:
        for n in range(7):
            c.get(f"/api/v1/courses/{n}")
            store.flush()  # a flush a record: more than KEEP over several flushes
    assert _kept(world) == 7
    shown = logged(world)
    assert [r["path"] for r in shown] == [f"/api/v1/courses/{n}" for n in (4, 5, 6)]
    assert [r["id"] for r in logged(world, after=0)] == [r["id"] for r in shown]
    assert _kept(world) == 3


def test_the_writer_trims_a_tenant_every_trim_margin_records(world, monkeypatch):
    monkeypatch.setattr(request_store, "KEEP", 2)
    monkeypatch.setattr(request_store, "TRIM_MARGIN", 3)
    store = request_store.store_for(world.engine)
    counts = []
    with world.client(world.admin_token) as c:
        for _ in range(4):
            c.get("/api/v1/users/self")
            store.flush()
            counts.append(_kept(world))
    assert counts == [1, 2, 2, 3]  # trimmed when the third record since the last trim was written


def test_secrets_in_headers_query_and_json_body_are_masked_and_values_read_back_as_written(world):
    with world.client(world.admin_token) as c:
        c.put("/api/v1/users/self", params={"client_secret": "q-s3cret", "per_page": "5"},
              headers={"X-Api-Key": "h-s3cret", "Cookie": "session=c-s3cret"},
              json={"user": {"name": "Admin"}, "password": "b-s3cret"})
    [record] = logged(world, method="put")
    assert "s3cret" not in json.dumps(record)
    assert record["query"] == "client_secret=%2A%2A%2A&per_page=5"
    headers = record["request"]["headers"]
    assert (headers["x-api-key"], headers["cookie"], headers["authorization"]) == ("***", "***", "Bearer ***")
    assert json.loads(record["request"]["body"]) == {"user": {"name": "Admin"}, "password": "***"}
    with transaction(request_store.store_for(world.engine).engine, write=False) as db:
        [(record_id, row)] = request_store.stored_records(db, 1)
    assert record_id == record["id"]
    assert abs((datetime.now(UTC) - row.at_datetime).total_seconds()) < 60
    assert isinstance(row.request_headers, dict) and isinstance(row.response_headers, dict)
    assert isinstance(row.duration_ms, float) and row.duration_ms == round(row.duration_ms, 3)
    assert (row.status, row.user_id, row.face) == (record["status"], world.admin.id, "canvas")


def test_values_with_tabs_newlines_backslashes_and_other_scripts_are_written_exactly(world):
    """COPY's text format escapes these (PostgreSQL); a record reads back what the request carried."""
    name = "Tab\there, line\nbreak, back\\slash \\N, quote\" and \u00e9\u4e2d\U0001f600"
    with world.client(world.admin_token) as c:
        assert c.put("/api/v1/users/self", params={"q": "a\tb\\c"}, json={"user": {"name": name}}).status_code == 200
    [record] = logged(world, method="put")
    assert json.loads(record["request"]["body"]) == {"user": {"name": name}}
    assert json.loads(record["response"]["body"])["name"] == name
    assert record["query"] == "q=a%09b%5Cc"


def test_a_nul_in_a_path_or_body_is_shown_as_a_replacement_and_loses_no_record(world):
    """PostgreSQL's text holds no NUL: one request carrying one (a %00 in its path, a byte in its body)
    once failed its whole batch of records, and the log's reader with a 500."""
    with world.client(world.admin_token) as c:
        assert c.get("/api/v1/users/self").status_code == 200
        c.put("/api/v1/users/self", content=b"name=a\x00b", headers={"Content-Type": "text/plain"})
        assert c.get("/api/v1/courses/1%002").status_code == 400  # no such id; the path is still logged
    records = logged(world)
    assert [(r["method"], r["path"]) for r in records] == [
        ("GET", "/api/v1/users/self"), ("PUT", "/api/v1/users/self"), ("GET", "/api/v1/courses/1\ufffd2")]
    assert records[1]["request"]["body"] == "name=a\ufffdb"


def test_a_batch_keeps_each_record_and_the_ids_of_those_a_trim_leaves(world, monkeypatch):
    """Records written in one flush share a row; cutting the oldest off it keeps the others' ids, and a
    reader following by id misses none and sees none twice."""
    monkeypatch.setattr(request_store, "KEEP", 4)
    monkeypatch.setattr(request_store, "TRIM_MARGIN", 100)
    # the writer's own rounds (every FLUSH_SECONDS) must not split a batch on a slow machine: its next wait is
    # long, and the round already waiting ends before the requests begin
    monkeypatch.setattr(request_store, "FLUSH_SECONDS", 3600)
    time.sleep(0.3)
    store = request_store.store_for(world.engine)
    with world.client(world.admin_token) as c:
        for n in range(3):
            c.get(f"/api/v1/courses/{n}")
        store.flush()  # one batch of 3
        first = logged(world)
        for n in range(3, 6):
            c.get(f"/api/v1/courses/{n}")
    later = logged(world, after=first[-1]["id"])  # a second batch of 3, and the first cut to its newest one
    assert [r["path"] for r in first] == [f"/api/v1/courses/{n}" for n in range(3)]
    assert [r["path"] for r in later] == [f"/api/v1/courses/{n}" for n in range(3, 6)]
    every = logged(world)
    assert [r["path"] for r in every] == [f"/api/v1/courses/{n}" for n in range(2, 6)]
    assert every[0]["id"] == first[2]["id"] and [r["id"] for r in every[1:]] == [r["id"] for r in later]
    with transaction(store.engine, write=False) as db:
        assert db.scalar(select(func.count()).select_from(RequestLogBatch)) == 2 and _kept(world) == 4


def test_a_body_names_a_secret_exactly_when_it_holds_a_secret_word_or_name():
    def names_one(text: str) -> bool:  # the rule, plainly
        lowered = text.lower()
        return any(word in lowered for word in request_masking._SECRET_WORDS) or any(
            f'"{name}"' in lowered or f"{name}=" in lowered for name in request_masking._SECRET_NAMES)

    words = [*request_masking._SECRET_WORDS, *request_masking._SECRET_NAMES, "passback", "assignment", "monkey",
             "max_", "course_code", "sign", "key", "x_a", "pass"]
    texts = [f"{prefix}{word.upper() if n % 3 == 0 else word}{suffix}" for n, word in enumerate(words)
             for prefix, suffix in (("", ""), ('{"', '": 1}'), ("a&", "=1"), ('"', ""))]
    assert sum(map(names_one, texts)) > len(texts) // 3
    for text in texts:
        assert request_masking._names_a_secret(text) == names_one(text), text


def test_a_body_is_kept_while_it_fits_in_the_capture_limit(monkeypatch):
    from courseport.web.controls import request_log

    monkeypatch.setattr(request_log, "CAPTURE_LIMIT", 10)
    for chunks in ([b"0123456789"], [b"0123", b"", b"4567", b"89"], [b"01", bytearray(b"23")], [],  # fit: all kept
                   [b"0123456789a"], [b"0123", b"4567", b"89a", b"b"], [b"0123456789", b"a"]):  # longer: nothing
        kept: bytes | bytearray = b""
        size = 0
        for chunk in chunks:
            kept, size = request_log._keep(kept, chunk, size), size + len(chunk)
        body = b"".join(chunks)
        assert bytes(kept) == (body if len(body) <= 10 else b""), chunks
        shown = f"({len(body)} bytes of application/json, not kept)" if len(body) > 10 else body.decode() or None
        assert mask_body("application/json", kept, size) == shown
    one = b"0123"
    assert request_log._keep(b"", one, 0) is one  # a body in one chunk is not copied


def test_secrets_are_masked_in_bodies():
    form = mask_body("application/x-www-form-urlencoded", b"login=a&password=hunter2&client_secret=s", 40)
    assert form == "login=a&password=%2A%2A%2A&client_secret=%2A%2A%2A"
    nested = mask_body("application/json", b'{"user": {"token": "t", "name": "n"}, "keys": [{"secretKey": "k"}]}', 60)
    assert json.loads(nested or "") == {"user": {"token": "***", "name": "n"}, "keys": [{"secretKey": "***"}]}
    assert "hunter2" not in (mask_body("application/json", b'{"password": "hunter2"', 22) or "")
    assert mask_body("application/zip", b"PK..", 4) == "(4 bytes of application/zip)"
    assert mask_body("application/json", b"{}", 100_000) == "(100000 bytes of application/json, not kept)"



def test_a_clean_body_is_scanned_once_and_a_secret_one_every_time(monkeypatch):
    scanned: list[str] = []
    scan = request_masking._names_a_secret
    monkeypatch.setattr(request_masking, "_names_a_secret", lambda text: scanned.append(text) or scan(text))
    monkeypatch.setattr(request_masking, "_CLEAN", {})
    monkeypatch.setattr(request_masking, "CLEAN_LIMIT", 2)
    clean, secret = b'{"id": 7, "name": "Biology"}', b'{"id": 7, "access_token": "abc"}'
    for _ in range(3):
        assert mask_body("application/json", clean, len(clean)) == clean.decode()
        assert mask_body("application/json", bytearray(clean), len(clean)) == clean.decode()  # in several chunks
        assert json.loads(mask_body("application/json", secret, len(secret)) or "") == {"id": 7, "access_token": "***"}
    assert scanned == [clean.decode(), *[secret.decode()] * 3]  # the secret one is never kept as clean
    assert list(request_masking._CLEAN) == [clean]
    others = [b'{"id": %d}' % n for n in range(3)]
    for other in others:
        mask_body("application/json", other, len(other))
    assert list(request_masking._CLEAN) == others[1:]  # the last CLEAN_LIMIT kept


def test_cli_prints_requests(world):
    from courseport.cli import main

    with world.client(world.admin_token) as c:
        c.get("/api/v1/users/self")
    result = CliRunner().invoke(main, ["requests", "--url", world.base_url, "--token", world.admin_token,
                                       "--face", "canvas"])
    assert result.exit_code == 0, result.output
    assert "GET /api/v1/users/self 200 canvas" in result.output


def test_cli_follow_prints_new_requests_as_they_come(world, monkeypatch):
    import time

    from courseport.cli import main

    with world.client(world.admin_token) as c:
        c.get("/api/v1/users/self")
    naps = []

    def nap(seconds: float) -> None:  # the CLI's wait between polls: a new request comes, then a stop
        naps.append(seconds)
        if len(naps) > 1:
            raise KeyboardInterrupt
        with world.client(world.admin_token) as c:
            c.get("/api/v1/courses")

    monkeypatch.setattr(time, "sleep", nap)
    result = CliRunner().invoke(main, ["requests", "--url", world.base_url, "--token", world.admin_token,
                                       "--face", "canvas", "--follow", "--interval", "0.2"])
    lines = [line for line in result.output.splitlines() if " canvas " in line]
    assert [line.split()[1:4] for line in lines] == [["GET", "/api/v1/users/self", "200"],
                                                     ["GET", "/api/v1/courses", "200"]]
    assert naps == [0.2, 0.2]


def test_a_sqlite_log_file_from_before_batches_keeps_its_records(tmp_path):
    """request_log.db is not migrated with the store: its row-per-record table is moved into batches on open."""
    import sqlite3

    old = sqlite3.connect(tmp_path / "request_log.db")
    old.execute("CREATE TABLE request_records (id INTEGER PRIMARY KEY, tenant_id INTEGER, request_id TEXT, at TEXT,"
                " method TEXT, path TEXT, query TEXT, face TEXT, status INTEGER, duration_ms FLOAT, user_id INTEGER,"
                " request_headers TEXT, response_headers TEXT, request_body TEXT, response_body TEXT)")
    for n in range(3):
        old.execute("INSERT INTO request_records VALUES (NULL, ?, ?, '2026-12-05 21:00:00.000250', 'GET', ?, NULL,"
                    " 'canvas', 200, 1.25, 7, '{\"authorization\": \"Bearer ***\"}', '{}', NULL, '[]')",
                    (1 + n % 2, f"r{n}", f"/api/v1/courses/{n}"))
    old.commit()
    old.close()
    from courseport.db import make_engine

    log_engine = request_store._log_engine(make_engine(f"sqlite:///{tmp_path / 'courseport.db'}"))
    with transaction(log_engine, write=False) as db:
        ones, twos = request_store.stored_records(db, 1), request_store.stored_records(db, 2)
        master = table("sqlite_master", column("name"), column("type"))
        tables = set(db.scalars(select(master.c.name).where(master.c.type == "table")))
    assert [r.path for _, r in ones] == ["/api/v1/courses/0", "/api/v1/courses/2"]
    assert [r.path for _, r in twos] == ["/api/v1/courses/1"]
    assert ones[0][1].at_datetime == datetime(2026, 12, 5, 21, 0, 0, 250, tzinfo=UTC)
    assert ones[0][1].request_headers == {"authorization": "Bearer ***"} and ones[0][1].response_body == "[]"
    assert "request_records" not in tables and "request_log_batches" in tables
    request_store._log_engine(make_engine(f"sqlite:///{tmp_path / 'courseport.db'}"))  # opened again: no change
    with transaction(log_engine, write=False) as db:
        assert len(request_store.stored_records(db, 1)) == 2


def test_the_writer_leaves_the_batch_that_straddles_keep_whole_and_a_reader_cuts_it(world, monkeypatch):
    monkeypatch.setattr(request_store, "KEEP", 4)
    monkeypatch.setattr(request_store, "TRIM_MARGIN", 1)  # the writer trims at every flush
    store = request_store.store_for(world.engine)
    store.flush()
    if store._thread is not None:  # the writer thread stops, so only this test's flushes cut batches of three
        store._wake.set()
        store._thread.join(10)
    try:
        with world.client(world.admin_token) as c:
            for first in (0, 3, 6):
                for n in range(first, first + 3):
                    c.get(f"/api/v1/courses/{n}")
                store.flush()
        assert _kept(world) == 6  # the oldest batch went whole; the next straddles KEEP and is left as it is
        assert [r["path"] for r in logged(world)] == [f"/api/v1/courses/{n}" for n in range(5, 9)]
        assert _kept(world) == 4  # the reader's trim cut it
    finally:
        store._wake.clear()
        store._thread = None  # the next record starts the writer again


def test_a_server_with_the_request_log_off_keeps_no_record_and_says_so(world, monkeypatch):
    from litestar.testing import TestClient

    from courseport.app import create_app
    from courseport.services import build_services
    from courseport.settings import Settings

    # Services of its own: the app's lifespan starts and stops them (the live server's keep running).
    services = build_services(world.services.settings.with_changes(request_log=False))
    try:
        with TestClient(create_app(services.settings, services)) as client:
            auth = {"Authorization": f"Bearer {world.admin_token}"}
            served = client.get("/api/v1/users/self", headers=auth)
            log = client.get("/_courseport/requests", headers=auth)
    finally:
        services.engine.dispose()
    request_store.store_for(world.engine).flush()
    assert served.status_code == 200 and served.json()["id"] == world.admin.id
    assert log.status_code == 409 and "request log is off" in log.json()["errors"][0]["message"]
    assert _kept(world) == 0
    assert Settings.from_env().request_log is True
    monkeypatch.setenv("COURSEPORT_REQUEST_LOG", "off")
    assert Settings.from_env().request_log is False
    assert logged(world) == []  # the live server (log on) answers as before
