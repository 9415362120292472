"""A bounded schemathesis run per face: every operation of the face's description (the YAML files
beside this module, written from each vendor's reference) gets valid and invalid inputs with a fixed
seed, and none may answer with a server error. Path parameters that name records (KNOWN_IDS) are
pointed at live ones half of the time, so bodies reach the code behind the lookups."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis
import yaml
from hypothesis import HealthCheck, Phase
from schemathesis.generation.modes import GenerationMode

from tests import package_builders as pb
from tests.scorm_app import ScormApp

HERE = Path(__file__).parent
# Learn's own swagger, read where the bbrest tests read it (never copied into this repository).
LEARN_SWAGGER = Path(os.environ.get("BB_SWAGGER_FILE") or Path(__file__).resolve().parents[2].parent / "shared"
                     / "blackboard" / "learn-swagger-3900.123.0.json")
# The swagger's operations this service implements (the rest answer 404 by design).
LEARN_IMPLEMENTED = re.compile(r"/learn/api/public/v[123]/(courses(/\{courseId\}(/copy|/tasks/\{taskId\}"
                               r"|/users(/\{userId\})?)?)?|system/version|users(/\{userId\}(/courses)?)?"
                               r"|terms(/\{termId\})?|courseRoles)")
EXAMPLES = 5  # per operation and generation mode: the four faces take ~25 s per database on 2 idle cores
SETTINGS = hypothesis.settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
                               suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate],
                               report_multiple_bugs=False)


def _canvas(world) -> tuple[dict[str, str], dict[str, Any]]:
    course = world.course("Fuzzed")
    assignment = world.assignment(course)
    return {"Authorization": f"Bearer {world.admin_token}"}, {
        "course_id": str(course.id), "assignment_id": str(assignment.id), "account_id": 1}


def _learn(world) -> tuple[dict[str, str], dict[str, Any]]:
    course, user = world.course("Fuzzed"), world.user("fuzzed")
    return {"Authorization": f"Bearer {world.blackboard_token()}"}, {"courseId": f"_{course.id}_1",
                                                                     "userId": f"_{user.id}_1"}


def _scorm(world) -> tuple[dict[str, str], dict[str, Any]]:
    scorm = ScormApp(world)
    scorm.imported(pb.scorm12(), "fuzzed")
    return dict(scorm.http.headers), {"courseId": "fuzzed", "versionId": 0}


def _d2l(world) -> tuple[dict[str, str], dict[str, Any]]:
    http = world.client(world.admin_token)
    template = http.post("/d2l/api/lp/1.4/coursetemplates/", json={"Name": "T", "Code": "T"}).json()["Identifier"]
    offering = http.post("/d2l/api/lp/1.4/courses/", json={"Name": "O", "Code": "O", "CourseTemplateId": int(template)})
    return dict(http.headers), {"orgUnitId": offering.json()["Identifier"], "version": "1.4"}


FACES = {"canvas": _canvas, "learn": _learn, "scorm": _scorm, "d2l": _d2l}


def described(face: str, known: dict[str, Any]) -> dict:
    """The face's description with each known path parameter either a live id or anything."""
    raw = yaml.safe_load((HERE / f"{face}.yaml").read_text())
    params = [p for item in raw["paths"].values() for op in item.values() if isinstance(op, dict)
              for p in op.get("parameters", [])] + [p for item in raw["paths"].values()
                                                    for p in item.get("parameters", [])]
    params += list(raw.get("components", {}).get("parameters", {}).values())
    for param in params:
        if param.get("in") == "path" and param.get("name") in known:
            param["schema"] = {"anyOf": [{"enum": [known[param["name"]]]}, param["schema"]]}
    return raw


def server_errors(schema, base_url: str, headers: dict[str, str]) -> list[str]:
    found: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        # Invalid text path parameters hardly exist (any text is text): hypothesis would spend seconds
        # looking for them, so invalid inputs go only where a body or query can be wrong.
        invalid = len(operation.body) + len(operation.query) > 0
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)[:1 + invalid]:
            @SETTINGS
            @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
            def run(case) -> None:  # noqa: ANN001
                response = case.call(base_url=base_url, headers=headers, timeout=30)
                if response.status_code >= 500:
                    found.append(f"{response.status_code} {case.method} {case.formatted_path} "
                                 f"query={case.query!r} body={str(case.body)[:300]!r}")
                    raise AssertionError("server error")  # stop this operation at its first

            try:
                run()
            except AssertionError:
                pass
            except hypothesis.errors.Unsatisfiable:
                pass  # no invalid input fits this operation's description
    return found


@pytest.mark.parametrize("face", list(FACES))
def test_no_input_gets_a_server_error(world, face):
    headers, known = FACES[face](world)
    schema = schemathesis.openapi.from_dict(described(face, known))
    errors = server_errors(schema, world.base_url, headers)
    assert not errors, "\n".join(errors)


def _java_lists_as_arrays(node: Any) -> Any:
    """The swagger types some lists in ways schemathesis cannot read: fields by `$ref` to Java class names
    (arrays on the wire) and query parameters as `type: ref` (comma-delimited strings on the wire)."""
    if isinstance(node, dict):
        if str(node.get("$ref", "")).startswith("#/definitions/java.util.List"):
            return {"type": "array", "items": {"type": "string"}}
        return {k: "string" if k == "type" and v == "ref" else _java_lists_as_arrays(v) for k, v in node.items()}
    return [_java_lists_as_arrays(v) for v in node] if isinstance(node, list) else node


def test_learn_swagger_gets_no_server_error(world):
    """Learn's published description of the course operations, as a second opinion on learn.yaml."""
    if not LEARN_SWAGGER.exists():
        pytest.skip(f"Learn's swagger is not at {LEARN_SWAGGER} (set BB_SWAGGER_FILE)")
    raw = json.loads(LEARN_SWAGGER.read_text())
    raw["paths"] = {p: item for p, item in raw["paths"].items() if LEARN_IMPLEMENTED.fullmatch(p)}
    raw = _java_lists_as_arrays(raw)
    headers, known = _learn(world)
    for item in raw["paths"].values():
        for param in [p for op in item.values() if isinstance(op, dict) for p in op.get("parameters", [])]:
            if param.get("in") == "path" and param.get("name") in known:
                param["enum"] = [known[param["name"]]]
    errors = server_errors(schemathesis.openapi.from_dict(raw), world.base_url, headers)
    assert not errors, "\n".join(errors)
