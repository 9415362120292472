"""ID-key auth over HTTP: d2lvalence-signed calls, tampering, stale timestamps, sign-in, bearer tokens."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlencode, urlsplit

import requests
from d2lvalence import auth as d2l_auth

from courseport.core.identity import d2l_apps

TEMPLATE = {"Name": "Biology", "Code": "BIO", "Path": "", "ParentOrgUnitIds": []}


def signed_url(ctx, world, path: str, method: str = "GET") -> str:
    return ctx.decorate_url_with_authentication(world.base_url + path, method=method)


def with_param(url: str, name: str, value: str) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
    query[name] = value
    return parts._replace(query=urlencode(query)).geturl()


def test_signed_call_acts_as_the_user_and_x_params_stay_out(world):
    answer = requests.post(world.base_url + "/d2l/api/lp/1.4/coursetemplates/?x_z=1", json=TEMPLATE,
                           auth=world.d2l())
    assert answer.status_code == 200, answer.text
    assert answer.json()["Name"] == "Biology"


def test_tampered_signature_is_invalid_token(world):
    ctx = world.d2l()
    url = signed_url(ctx, world, "/d2l/api/lp/1.4/courses/schema")
    assert requests.get(url).status_code == 200
    for name in ("x_c", "x_d"):
        signature = parse_qs(urlsplit(url).query)[name][0]
        tampered = ("B" if signature[0] == "A" else "A") + signature[1:]  # always a different first character
        answer = requests.get(with_param(url, name, tampered))
        assert (answer.status_code, answer.text) == (403, "Invalid Token")
    # the signature covers method and path
    get_signed = signed_url(ctx, world, "/d2l/api/lp/1.4/coursetemplates/")
    assert requests.post(get_signed, json=TEMPLATE).text == "Invalid Token"
    other = url.replace("/courses/schema", "/coursetemplates/schema")
    assert (requests.get(other).status_code, requests.get(other).text) == (403, "Invalid Token")


def test_unknown_app_or_user_key_is_invalid_token(world):
    keys = world.d2l_keys()
    stranger = d2l_auth.fashion_user_context("nobody", "nokey", {
        "host": world.base_url.split("://")[1], "encrypt_requests": False, "server_skew": 0,
        "user_id": keys["user_id"], "user_key": keys["user_key"]})
    answer = requests.get(world.base_url + "/d2l/api/lp/1.4/courses/schema", auth=stranger)
    assert (answer.status_code, answer.text) == (403, "Invalid Token")
    wrong_user = d2l_auth.fashion_user_context(keys["app_id"], keys["app_key"], {
        "host": world.base_url.split("://")[1], "encrypt_requests": False, "server_skew": 0,
        "user_id": keys["user_id"], "user_key": "not-the-key"})
    answer = requests.get(world.base_url + "/d2l/api/lp/1.4/courses/schema", auth=wrong_user)
    assert (answer.status_code, answer.text) == (403, "Invalid Token")


def test_stale_timestamp_says_the_server_time(world):
    ctx = world.d2l()
    ctx.set_new_skew(-(d2l_apps.TIMESTAMP_WINDOW + 60) * 1000)
    before = int(time.time())
    answer = requests.get(world.base_url + "/d2l/api/lp/1.4/courses/schema", auth=ctx)
    assert answer.status_code == 403
    head, server_time = answer.text.split("\r\n")
    assert head == "Timestamp out of range"
    assert before <= int(server_time) <= int(time.time())
    # a client that takes up the skew the body reports gets through
    ctx.set_new_skew((int(server_time) - int(time.time())) * 1000)
    assert requests.get(world.base_url + "/d2l/api/lp/1.4/courses/schema", auth=ctx).status_code == 200


def test_anonymous_context_reads_versions_but_not_courses(world):
    ctx = world.d2l(anonymous=True)
    assert requests.get(world.base_url + "/d2l/api/versions/", auth=ctx).status_code == 200
    answer = requests.get(world.base_url + "/d2l/api/lp/1.4/courses/schema", auth=ctx)
    assert answer.status_code == 403
    assert answer.json()["status"] == 403


def test_bearer_tokens_are_accepted_too(world):
    with world.client(world.admin_token) as http:
        assert http.get("/d2l/api/lp/1.4/courses/schema").status_code == 200
    with world.client("wrong") as http:
        answer = http.get("/d2l/api/lp/1.4/courses/schema")
    assert (answer.status_code, answer.text) == (403, "Invalid Token")
    with world.client() as http:
        assert http.get("/d2l/api/lp/1.4/courses/schema").status_code == 403


def test_browser_sign_in_hands_the_user_key_to_the_target(world):
    teacher, token = world.user_with_token("teacher")
    keys = world.d2l_keys()
    app = d2l_auth.fashion_app_context(keys["app_id"], keys["app_key"])
    host = world.base_url.split("://")[1]
    url = app.create_url_for_authentication(host, "http://app.example/back?state=1", encrypt_request=False)
    page = requests.get(url, allow_redirects=False)
    assert page.status_code == 200 and 'name="token"' in page.text
    answer = requests.get(url, headers={"Authorization": f"Bearer {token}"}, allow_redirects=False)
    assert answer.status_code == 302, answer.text
    location = answer.headers["location"]
    assert location.startswith("http://app.example/back?state=1&x_a=")
    ctx = app.create_user_context(result_uri=location, host=host, encrypt_requests=False)
    created = requests.post(world.base_url + "/d2l/api/lp/1.4/coursetemplates/", json=TEMPLATE, auth=ctx)
    assert created.status_code == 403  # signed in as the teacher, who administers nothing
    # the same pair again on a second sign-in; the form posts the token
    form = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()} | {"token": token}
    again = requests.post(world.base_url + "/d2l/auth/api/token", data=form, allow_redirects=False)
    assert again.headers["location"] == location


def test_sign_in_refuses_a_target_the_app_did_not_sign(world):
    _, token = world.user_with_token("teacher")
    keys = world.d2l_keys()
    query = urlencode({"x_a": keys["app_id"], "x_b": "forged", "x_target": "http://evil.example/"})
    answer = requests.get(f"{world.base_url}/d2l/auth/api/token?{query}",
                          headers={"Authorization": f"Bearer {token}"}, allow_redirects=False)
    assert (answer.status_code, answer.text) == (403, "Invalid Token")


def test_serve_writes_working_d2l_keys_and_keeps_them(tmp_path):
    from courseport import cli
    from courseport.db import make_engine, transaction
    from courseport.settings import Settings

    settings = Settings(data_dir=tmp_path)
    creds, _ = cli.prepare_store(settings, "http://127.0.0.1:9", False)
    again, _ = cli.prepare_store(settings, "http://127.0.0.1:9", False)
    keys = creds["d2l"]
    assert set(keys) == {"app_id", "app_key", "user_id", "user_key"} and again["d2l"] == keys
    base = "GET&/d2l/api/lp/1.4/courses/schema&1000"
    signed = d2l_apps.SignedCall(keys["app_id"], keys["user_id"], d2l_apps.sign(keys["app_key"], base),
                                 d2l_apps.sign(keys["user_key"], base), "1000", base)
    engine = make_engine(settings.effective_database_url)
    with transaction(engine, write=False) as db:
        assert d2l_apps.authenticate(db, signed, 1000).login_id == "admin"
    engine.dispose()
