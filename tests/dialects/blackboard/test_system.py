"""Learn system version, unknown paths and the rate-limit headers on every Learn response."""

from __future__ import annotations


def test_version_is_a_3900_release(world):
    with world.client(world.blackboard_token()) as learn:
        answer = learn.get("/learn/api/public/v1/system/version")
    assert answer.status_code == 200
    assert answer.json() == {"learn": {"major": 3900, "minor": 102, "patch": 0, "build": "courseport-0.1.0"}}


def test_unknown_learn_paths_answer_with_the_learn_error_body(world):
    with world.client(world.blackboard_token()) as learn:
        answer = learn.get("/learn/api/public/v1/nothing/here")
        assert answer.status_code == 404
        assert answer.json() == {"status": 404, "message": "API not found"}
        assert "X-Rate-Limit-Remaining" in answer.headers


def _limits(answer) -> tuple[int, int, int]:  # noqa: ANN001
    return tuple(int(answer.headers[h]) for h in ("X-Rate-Limit-Limit", "X-Rate-Limit-Remaining", "X-Rate-Limit-Reset"))


def test_every_learn_response_counts_against_its_application(world):
    key, secret = world.blackboard_app()
    with world.client() as http:
        issued = http.post("/learn/api/public/v1/oauth2/token", data={"grant_type": "client_credentials"},
                           auth=(key, secret))
        limit, remaining, reset = _limits(issued)
        assert limit == 10_000 and remaining == limit - 1 and 86_000 < reset <= 86_400
        learn_headers = {"Authorization": f"Bearer {issued.json()['access_token']}"}
        answers = [http.get("/learn/api/public/v1/system/version", headers=learn_headers),
                   http.get("/learn/api/public/v3/courses/_404_1", headers=learn_headers),
                   http.post("/learn/api/public/v3/courses", json={}, headers=learn_headers)]
        assert [a.status_code for a in answers] == [200, 404, 400]
        assert [_limits(a)[1] for a in answers] == [remaining - 1, remaining - 2, remaining - 3]
        # another application has its own count
        other = world.blackboard_app()
        fresh = http.post("/learn/api/public/v1/oauth2/token", data={"grant_type": "client_credentials"}, auth=other)
        assert _limits(fresh)[1] == limit - 1
        # Canvas responses carry no Learn headers
        canvas = http.get("/api/v1/courses", headers={"Authorization": f"Bearer {world.admin_token}"})
        assert "X-Rate-Limit-Limit" not in canvas.headers
