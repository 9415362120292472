"""The layers a machine holds (docs/conventions.md): who may import whom, which core modules are public
(each package's `__all__`), no import circle in core, and no vendor wire names as keys in core.

Read from the source with `ast`, so a rule broken anywhere in a module (a lazy import in a function
included) fails here, and checked in a fresh process for what a worker process actually loads.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "courseport"
DIALECTS = ("canvas", "blackboard", "d2l", "scorm_cloud")
WEB_STACK = ("litestar", "uvicorn", "courseport.dialects", "courseport.web", "courseport.app", "courseport.cli")
CORE = SRC / "core"
# Core's domain packages, lowest first: each imports only packages before it (docs/architecture.md says why
# this order; views, copy, blueprints and packages import none of each other but blueprints -> copy).
ORDER = ("kit", "identity", "jobs", "courses", "content", "coursework", "views", "copy", "blueprints", "packages")
# lowerCamelCase: how JSON APIs spell their fields (courseId, termId); core's own names are snake_case.
CAMEL = re.compile(r"[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)+")
# Modules that read or write a published standard format, with the standard's own names they may use as keys.
STANDARD_NAMES = {
    "packages/statements.py": ("xAPI statements (ADL's xAPI 1.0.3) are the stored record of a learner's runtime",
                               frozenset({"objectType", "contextActivities", "homePage"})),
    "packages/lrs_credentials.py": ("the launch's actor is an xAPI Agent", frozenset({"objectType", "homePage"})),
    "packages/lrs_statement_checks.py": ("xAPI 1.0.3's statement properties, checked",
                                         frozenset({"objectType", "contextActivities", "homePage"})),
    "packages/lrs_statements.py": ("xAPI 1.0.3 statements, stored and queried",
                                   frozenset({"objectType", "contextActivities", "homePage"})),
    "packages/lrs_objects.py": ("xAPI 1.0.3's Activity and Person objects",
                                frozenset({"objectType", "contextActivities"})),
    "packages/lrs_launches.py": ("cmi5's launch parameters, LMS.LaunchData and statements (cmi5 quartz)",
                                 frozenset({"objectType", "contextActivities", "activityId", "contextTemplate",
                                            "launchMethod", "launchMode", "launchParameters", "masteryScore",
                                            "moveOn", "returnURL"})),
}


def _module(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at any depth of the file (absolute names)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _under(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def _violations(folder: str, forbidden: tuple[str, ...]) -> list[str]:
    return [f"{_module(path)} imports {name}"
            for path in sorted((SRC / folder).rglob("*.py"))
            for name in sorted(_imports(path)) if _under(name, forbidden)]


def _face(init: Path) -> set[str]:
    """The modules a package's `__init__` lists in `__all__` (read, not imported)."""
    for node in ast.parse(init.read_text(), str(init)).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__all__" for t in node.targets):
            return set(ast.literal_eval(node.value))
    return set()


def _private_uses(importer: str, imported: set[str], faces: dict[str, set[str]]) -> list[str]:
    """What module `importer` imports, outside its own core package, of a core package's modules not in its face."""
    found = set()
    for name in imported:
        parts = name.split(".")
        if parts[:2] != ["courseport", "core"] or len(parts) < 4 or parts[2] not in faces:
            continue
        if not _under(importer, (f"courseport.core.{parts[2]}",)) and parts[3] not in faces[parts[2]]:
            found.add(f"{importer} imports courseport.core.{parts[2]}.{parts[3]}")
    return sorted(found)


def _in_circles(graph: dict[str, set[str]]) -> list[str]:
    """The modules that reach themselves through imports (lazy ones included): members of a circle."""
    def reaches(start: str) -> set[str]:
        seen: set[str] = set()
        todo = list(graph[start])
        while todo:
            name = todo.pop()
            if name not in seen:
                seen.add(name)
                todo.extend(graph.get(name, ()))
        return seen
    return sorted(name for name in graph if name in reaches(name))


def _core_graph() -> dict[str, set[str]]:
    modules = {_module(path): path for path in CORE.rglob("*.py")}
    return {name: {m for m in _imports(path) if m in modules and m != name} for name, path in modules.items()}


def _camel_keys(path: Path) -> Counter[str]:
    """lowerCamelCase string literals used as keys: dict displays, subscripts, .get/.pop/.setdefault."""
    keys: list[ast.expr] = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Dict):
            keys.extend(k for k in node.keys if k is not None)
        elif isinstance(node, ast.Subscript):
            keys.append(node.slice)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args
              and node.func.attr in ("get", "pop", "setdefault")):
            keys.append(node.args[0])
    return Counter(k.value for k in keys
                   if isinstance(k, ast.Constant) and isinstance(k.value, str) and CAMEL.fullmatch(k.value))


def test_the_rule_reader_sees_imports_inside_functions(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from litestar import Request\n    import courseport.dialects.canvas\n")
    assert {"litestar", "litestar.Request", "courseport.dialects.canvas"} <= _imports(sample)


def test_the_face_reader_sees_a_private_module_however_it_is_imported(tmp_path):
    init = tmp_path / "__init__.py"
    init.write_text('"""A package."""\n\n__all__ = ["errors"]\n')
    sample = tmp_path / "sample.py"
    sample.write_text("from courseport.core.kit import errors, secret\nimport courseport.core.kit.hidden\n"
                      "def f():\n    from courseport.core.kit.inner import x\n")
    faces = {"kit": _face(init)}
    assert faces == {"kit": {"errors"}}
    assert _private_uses("courseport.dialects.sample", _imports(sample), faces) == [
        f"courseport.dialects.sample imports courseport.core.kit.{name}" for name in ("hidden", "inner", "secret")]
    assert _private_uses("courseport.core.kit.sample", _imports(sample), faces) == []  # inside its package


def test_the_key_reader_counts_camel_keys_only(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('a = {"courseId": 1, "snake_key": 2}\nb = a["termId"]\nc = a.get("dataSourceId")\n'
                      'a.pop("externalId", None)\na.setdefault("courseId", 3)\nprint("notAKey")\nd = a["Pascal"]\n')
    assert _camel_keys(sample) == Counter({"courseId": 2, "termId": 1, "dataSourceId": 1, "externalId": 1})


def test_the_circle_finder_sees_a_circle_through_any_number_of_modules():
    assert _in_circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c"]
    assert _in_circles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_core_has_no_module_at_its_root_and_each_package_has_a_place_in_the_order():
    assert sorted(p.name for p in CORE.glob("*.py")) == ["__init__.py"]
    assert sorted(p.name for p in CORE.iterdir() if (p / "__init__.py").exists()) == sorted(ORDER)


@pytest.mark.parametrize("package", ORDER)
def test_a_core_package_imports_only_packages_below_it(package):
    above = ORDER[ORDER.index(package) + 1:]
    assert _violations(f"core/{package}", tuple(f"courseport.core.{p}" for p in above)) == []


@pytest.mark.parametrize("package", ORDER)
def test_a_package_face_names_its_modules_and_imports_nothing(package):
    init = CORE / package / "__init__.py"
    modules = {p.stem for p in (CORE / package).glob("*.py")} - {"__init__"}
    modules |= {p.parent.name for p in (CORE / package).glob("*/__init__.py")}  # subpackages (packages/sequencing)
    assert _face(init) and _face(init) <= modules
    assert _imports(init) <= {"__future__", "__future__.annotations"}


def test_code_outside_a_core_package_imports_only_its_public_modules():
    faces = {package: _face(CORE / package / "__init__.py") for package in ORDER}
    uses = [_private_uses(_module(path), _imports(path), faces) for path in sorted(SRC.rglob("*.py"))]
    assert [use for found in uses for use in found] == []


def test_core_modules_import_no_circle():
    """A circle (even through an import inside a function) makes load order matter; none is needed."""
    assert _in_circles(_core_graph()) == []


def test_core_holds_no_vendor_wire_names_as_keys():
    """Vendor field names belong to the dialect that speaks them; a camelCase key in core is one."""
    found = []
    for path in sorted(CORE.rglob("*.py")):
        allowed = STANDARD_NAMES.get(str(path.relative_to(CORE)), ("", frozenset()))[1]
        names = sorted(name for name in _camel_keys(path).elements() if name not in allowed)
        if names:
            found.append(f"{path.relative_to(CORE)}: {len(names)} ({', '.join(sorted(set(names)))})")
    assert found == []


def test_core_imports_no_web_framework_dialect_or_web_module():
    assert _violations("core", WEB_STACK) == []


def test_core_imports_no_process_assembly_or_demo_data():
    assert _violations("core", ("courseport.services", "courseport.worker", "courseport.distributed",
                                "courseport.demo")) == []


def test_schema_imports_only_the_schema():
    forbidden = ("courseport.core", "courseport.dialects", "courseport.web", "courseport.app", "courseport.services")
    assert _violations("schema", (*forbidden, "litestar")) == []


@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_dialect_imports_no_other_dialect(dialect):
    others = tuple(f"courseport.dialects.{d}" for d in DIALECTS if d != dialect)
    assert _violations(f"dialects/{dialect}", others) == []


def test_a_worker_process_loads_no_web_stack(tmp_path):
    """What `courseport worker` imports to run every kind of job: it builds its services (which register
    every job handler) as `worker.run_worker_process` does; procrastinate's half is loaded too."""
    from tests.test_wiring import in_a_worker_process, migrated_data_dir

    probe = ("import sys\n"
             "import courseport.distributed\n"
             f"print(sorted(m for m in sys.modules if m.startswith({WEB_STACK!r})))\n")
    out = in_a_worker_process(migrated_data_dir(tmp_path / "data"), probe)
    assert out.strip().splitlines()[-1] == "[]"
