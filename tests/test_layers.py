"""The layers a machine holds (docs/conventions.md): who may import whom.

Read from the source with `ast`, so a rule broken anywhere in a module (a lazy import in a function
included) fails here, and checked in a fresh process for what a worker process actually loads.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "courseport"
DIALECTS = ("canvas", "blackboard", "d2l", "scorm_cloud")
WEB_STACK = ("litestar", "uvicorn", "courseport.dialects", "courseport.web", "courseport.app", "courseport.cli")


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


def test_the_rule_reader_sees_imports_inside_functions(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from litestar import Request\n    import courseport.dialects.canvas\n")
    assert {"litestar", "litestar.Request", "courseport.dialects.canvas"} <= _imports(sample)


def test_core_imports_no_web_framework_dialect_or_web_module():
    assert _violations("core", WEB_STACK) == []


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
