"""Product versions and the version each route is offered in."""

from __future__ import annotations

LP = {"ProductCode": "lp", "LatestVersion": "1.5", "SupportedVersions": ["1.0", "1.1", "1.2", "1.3", "1.4", "1.5"]}
LE = {"ProductCode": "le", "LatestVersion": "1.7",
      "SupportedVersions": ["1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "unstable"]}


def test_versions(world):
    with world.client() as http:
        assert http.get("/d2l/api/versions/").json() == [LP, LE]
        assert http.get("/d2l/api/lp/versions/").json() == LP
        assert http.get("/d2l/api/le/versions/").json() == LE
        assert http.get("/d2l/api/le/versions/1.5").json() == {"Supported": True, "LatestVersion": "1.7"}
        assert http.get("/d2l/api/le/versions/2.0").json() == {"Supported": False, "LatestVersion": "1.7"}
        assert http.get("/d2l/api/xx/versions/").status_code == 404
        assert http.get("/d2l/api/lp/versions/").json() == LP


def test_bulk_check(world):
    with world.client() as http:
        ok = http.post("/d2l/api/versions/check", json=[{"ProductCode": "lp", "Version": "1.4"},
                                                         {"ProductCode": "le", "Version": "1.7"}])
        assert ok.json() == {"Supported": True, "Versions": [LP, LE]}
        not_ok = http.post("/d2l/api/versions/check", json=[{"ProductCode": "lp", "Version": "9.9"}])
        assert not_ok.json() == {"Supported": False, "Versions": [LP]}
        bad = http.post("/d2l/api/versions/check", json={"ProductCode": "lp"})
        assert bad.status_code == 400


def test_routes_answer_only_in_their_versions(world):
    with world.client(world.admin_token) as http:
        for version in ("1.1", "1.2", "1.5"):
            assert http.get(f"/d2l/api/lp/{version}/courses/schema").status_code == 200
        for version in ("1.0", "1.6", "unstable", "x"):
            answer = http.get(f"/d2l/api/lp/{version}/courses/schema")
            assert answer.status_code == 404
            assert answer.json()["title"] == "Not Found"
        assert http.get("/d2l/api/le/1.4/courses/schema").status_code == 404
