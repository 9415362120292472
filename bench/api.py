"""Requests/s of the Canvas course endpoints as a ratio to a bare JSON endpoint of the same server.

Seeds a throw-away store (an admin, a token, 120 courses the admin teaches), starts the real
server with `courseport serve` (uvicorn, the app factory, 2 worker processes by default) on a free
loopback port, then measures in interleaved slots (bare, single, list, bare, ...) so machine noise
hits every endpoint alike:
  bare    GET /_courseport/health
  single  GET /api/v1/courses/:id        (cycling over the 120 courses)
  list    GET /api/v1/courses?per_page=100
The store does not change while it is measured, so on SQLite the single-course GETs after the
first round are served by the read cache (courseport/read_cache.py: kept while SQLite's
data_version holds); `--read-cache off` measures every GET reading the store.
Load comes from separate processes over keep-alive connections. The default client writes raw
HTTP/1.1 on asyncio because httpx costs the load generator several times more CPU per request,
CPU the server then lacks on a small machine; `--client httpx` measures with httpx instead.

    .venv/bin/python bench/api.py [--seconds 2] [--rounds 5] [--concurrency 8] [--workers 2]
                                  [--read-cache on|off] [--database-url postgresql://...  (EMPTIED first)]
    .venv/bin/python bench/api.py --quick   # 2 rounds of 0.25 s slots: what CI runs
    .venv/bin/python bench/api.py --write-load 20   # then again while 20 course renames/s go on
With `--write-load N` every endpoint is measured twice in the same run: on a store at rest, then while
a separate process renames the seeded courses N times a second (PUT /api/v1/courses/:id, cycling), the
honest figure for a store in use: every write empties the read cache. Both tables are printed.
Every target (TARGETS) is printed as MET or NOT MET, never as the exit status. Exits non-zero when
a response is wrong (not 200, a wrong course or list) or a slot served nothing. The server and the
load processes are stopped on every exit, SIGTERM and SIGINT included (and the server is told to stop
if this process is killed).
"""

from __future__ import annotations

import os
import sys

# Other scripts in bench/ may be named like standard modules (copy.py): never import them instead.
_HERE = os.path.dirname(os.path.realpath(__file__))
sys.path[:] = [p for p in sys.path if os.path.realpath(p or ".") != _HERE]

import argparse  # noqa: E402  (every import below must follow the sys.path filter)
import ctypes  # noqa: E402
import importlib.util  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import httpx  # noqa: E402


def _support(name: str):  # noqa: ANN202 - the module
    """A module of bench/support/ (code the benches share, not a bench) by its path (bench/ itself is off
    sys.path, above), registered under its name so the spawned load processes unpickle what it defines."""
    spec = importlib.util.spec_from_file_location(name, os.path.join(_HERE, "support", f"{name}.py"))
    assert spec and spec.loader
    module = sys.modules[name] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


http_load = _support("http_load")
HOST, LoadGenerators, Slot, SlotResult, WriteLoad = (http_load.HOST, http_load.LoadGenerators, http_load.Slot,
                                                     http_load.SlotResult, http_load.WriteLoad)
# Issue 16's targets, each a ratio to bare in the same run with the read cache off (the honest
# figure while the store changes), at rest and under --write-load alike.
TARGETS = {"SQLite": {"single": 0.40, "list": 0.10}, "PostgreSQL": {"single": 0.30, "list": 0.10}}
COURSES = 120
ENDPOINTS = ("bare", "single", "list")


# --- seeding and the server -------------------------------------------------------------------

def seed(database_url: str) -> tuple[str, list[int]]:
    """An emptied, migrated store holding the admin, its token and COURSES courses it teaches."""
    from courseport import migrate
    from courseport.core.courses import courses
    from courseport.core.identity import accounts, admin
    from courseport.db import make_engine, transaction

    engine = make_engine(database_url)
    migrate.upgrade(engine)
    with transaction(engine, write=True) as db:
        admin.reset_store(db, keep_admins=False)
        accounts.ensure_root(db)
        user, token = admin.create_token_for(db, "admin", admin=True, purpose="bench")
        made = [courses.create_course(db, user, accounts.ROOT_ACCOUNT_ID,
                                      courses.CourseChanges(name=f"Bench Course {n}"), offer=True, enroll_me=True)
                for n in range(COURSES)]
        ids = [c.id for c in made]
    if engine.dialect.name == "postgresql":  # what autovacuum does soon after a load (off on some test machines):
        # without statistics the planner guesses, and guesses a list badly; without VACUUM the rows an
        # earlier run deleted stay in the tables, and each run on the same database read more pages
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    engine.dispose()
    return token, ids


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _stop_with_parent() -> None:
    """In the server's process before exec: SIGTERM it when this bench dies, even by SIGKILL (Linux)."""
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def start_server(data_dir: Path, database_url: str | None, port: int, workers: int,
                 read_cache: str = "on") -> subprocess.Popen:
    """`courseport serve` in its own process group, exactly as a user starts it."""
    cmd = [sys.executable, "-c", "from courseport.cli import main; main()", "serve", "--host", HOST,
           "--port", str(port), "--data-dir", str(data_dir), "--workers", str(workers)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("COURSEPORT_")}
    env["COURSEPORT_READ_CACHE"] = read_cache
    if database_url:
        cmd += ["--database-url", database_url]
    with open(data_dir / "server.log", "wb") as log:  # the server holds its own copy of the descriptor
        return subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True,
                                preexec_fn=_stop_with_parent)


def wait_ready(proc: subprocess.Popen, base_url: str, log_path: Path, timeout: float = 120) -> None:
    """Poll the health endpoint with one client: a client per poll (a TLS context each) cost this
    process seconds of CPU while the server started, taken from the server on a 2-core machine."""
    deadline = time.monotonic() + timeout
    with httpx.Client(base_url=base_url, timeout=1) as client:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise SystemExit(f"FAILED: server exited with {proc.returncode}:\n{log_path.read_text()}")
            try:
                if client.get("/_courseport/health").status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
    raise SystemExit(f"FAILED: server did not answer within {timeout:.0f} s:\n{log_path.read_text()}")


def group_stats(pgid: int) -> list[list[str]]:
    """/proc stat fields (after the command name) of the live processes of a process group."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # a process that just ended
        if int(fields[2]) == pgid and fields[0] != "Z":
            out.append(fields)
    return out


def group_cpu_seconds(pgid: int) -> float:
    """CPU time used so far by the processes of a process group (the server and its workers)."""
    return sum(int(f[11]) + int(f[12]) for f in group_stats(pgid)) / os.sysconf("SC_CLK_TCK")


def database_cpu_seconds(database_url: str | None) -> float:
    """CPU time used so far by the live PostgreSQL backends of the bench's database, where PostgreSQL runs on
    this machine (their process titles name the database): it shares the cores the server and load use."""
    if not database_url:
        return 0.0
    from sqlalchemy.engine import make_url

    name = f" {make_url(database_url).database} ".encode()  # a socket folder in ?host=... has slashes too
    total = 0
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if cmdline.read_bytes().startswith(b"postgres: ") and name in cmdline.read_bytes():
                fields = (cmdline.parent / "stat").read_text().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])
        except OSError:
            continue  # a backend that just ended
    return total / os.sysconf("SC_CLK_TCK")


def stop_server(proc: subprocess.Popen) -> None:
    """SIGTERM lets uvicorn's supervisor stop its workers; the group kill is the fallback. Fails if any stays."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # the group we created; reaps stray workers
    except ProcessLookupError:
        pass
    proc.wait()
    deadline = time.monotonic() + 10
    while group_stats(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if group_stats(proc.pid):
        raise SystemExit(f"FAILED: server processes of group {proc.pid} still run after SIGKILL")


def exit_on_signals() -> None:
    """SIGTERM (CI timeouts) and SIGHUP exit through the `finally` blocks that stop the server."""
    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, stop)


# --- measuring and reporting ------------------------------------------------------------------

def endpoint_paths(ids: list[int]) -> dict[str, list[str]]:
    return {"bare": ["/_courseport/health"], "single": [f"/api/v1/courses/{i}" for i in ids],
            "list": ["/api/v1/courses?per_page=100"]}


def check_responses(base_url: str, token: str, ids: list[int]) -> None:
    """Fail loudly rather than time error pages."""
    with httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30) as client:
        one = client.get(f"/api/v1/courses/{ids[0]}")
        many = client.get("/api/v1/courses", params={"per_page": 100})
    if one.status_code != 200 or one.json().get("id") != ids[0]:
        raise SystemExit(f"FAILED: single course GET is broken: {one.status_code} {one.text[:300]}")
    if many.status_code != 200 or sorted(c["id"] for c in many.json()) != sorted(ids)[:100]:
        raise SystemExit(f"FAILED: course list GET is broken: {many.status_code} {many.text[:300]}")


def measure(gen: LoadGenerators, server_pgid: int, args: argparse.Namespace, token: str,
            ids: list[int]) -> dict[str, list[SlotResult]]:
    paths = endpoint_paths(ids)
    slot = lambda name, secs: Slot(paths[name], token, secs, args.max_requests, args.concurrency, args.client)  # noqa: E731
    for name in ENDPOINTS:  # warm-up: connection pools, statement caches, imports on first call
        gen.run(slot(name, args.warmup))
    results: dict[str, list[SlotResult]] = {name: [] for name in ENDPOINTS}
    for round_no in range(1, args.rounds + 1):
        for name in ENDPOINTS:
            before, db_before = group_cpu_seconds(server_pgid), database_cpu_seconds(args.database_url)
            result = gen.run(slot(name, args.seconds))
            result.server_cpu = group_cpu_seconds(server_pgid) - before
            result.database_cpu = database_cpu_seconds(args.database_url) - db_before
            if result.errors:
                raise SystemExit(f"FAILED: {name}: {result.errors} of {result.count} requests did not answer 200")
            if not result.count:
                raise SystemExit(f"FAILED: {name}: no request answered within {args.seconds:g} s")
            results[name].append(result)
        line = "  ".join(f"{n} {results[n][-1].count / results[n][-1].elapsed:8.0f}" for n in ENDPOINTS)
        print(f"  round {round_no}/{args.rounds}: {line} req/s", flush=True)
    return results


def percentile(sorted_values: list[float], q: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def report(results: dict[str, list[SlotResult]], args: argparse.Namespace, label: str = "a store at rest") -> None:
    print(f"\n--- {label}")
    rates = {n: [r.count / r.elapsed for r in rs] for n, rs in results.items()}
    # Ratios pair each slot with the bare slot of its own round, so slow spells cancel out.
    ratios = {n: [x / b for x, b in zip(rates[n], rates["bare"], strict=True)] for n in ENDPOINTS}
    print(f"{'endpoint':<8} {'req/s (median)':>15} {'ratio to bare':>14} {'p50 ms':>8} {'p95 ms':>8}"
          f" {'server CPU ms/req':>18} {'database CPU ms/req':>20} {'client CPU':>11}")
    cost: dict[str, float] = {}  # server and database CPU per request
    for name in ENDPOINTS:
        rs = results[name]
        lat = sorted(x for r in rs for x in r.latencies)
        server_ms = 1000 * sum(r.server_cpu for r in rs) / sum(r.count for r in rs)
        database_ms = 1000 * sum(r.database_cpu for r in rs) / sum(r.count for r in rs)
        cost[name] = server_ms + database_ms
        client = sum(r.cpu for r in rs) / sum(r.elapsed for r in rs)
        print(f"{name:<8} {statistics.median(rates[name]):>15.0f} {statistics.median(ratios[name]):>13.0%}"
              f" {percentile(lat, 0.5) * 1000:>8.2f} {percentile(lat, 0.95) * 1000:>8.2f} {server_ms:>18.3f}"
              f" {database_ms:>20.3f} {client:>10.0%}")
    database = "PostgreSQL" if args.database_url else "SQLite"
    print("cost ratio (bare's server and database CPU per request over the endpoint's; steadier between runs"
          " than req/s, and without the client's share; not what the targets judge): "
          + ", ".join(f"{n} {cost['bare'] / cost[n]:.0%}" for n in ENDPOINTS if n != "bare"))
    print()
    for name, target in TARGETS[database].items():
        got = statistics.median(ratios[name])
        verdict = ("not judged on a quick run" if args.quick else
                   "not judged: the targets hold with --read-cache off" if args.read_cache == "on" else
                   "MET" if got >= target else "NOT MET")
        print(f"target: {name} GET >= {target:.0%} of bare on {database}: {verdict} ({got:.0%},"
              f" per round {', '.join(f'{r:.0%}' for r in ratios[name])})")
    if label != "a store at rest":
        return
    print(f"note: {os.cpu_count()} CPU cores shared by {args.workers} server process(es) and "
          f"{args.load_processes} load process(es); 'client CPU' is the share of one core the load "
          "generator used, which the server could not; 'database CPU' is what PostgreSQL's backends of the bench "
          "database used per request on the same cores (0 on SQLite, which runs inside the server). Absolute "
          "req/s are lower bounds, and the client's fixed cost per request flatters the ratios (least with "
          "--client raw).")


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--seconds", type=float, default=None, help="length of one measurement slot (2; --quick 0.25)")
    p.add_argument("--rounds", type=int, default=None, help="rounds of (bare, single, list) slots (5; --quick 2)")
    p.add_argument("--warmup", type=float, default=None, help="seconds of warm-up per endpoint (1; --quick 0.2)")
    p.add_argument("--max-requests", type=int, default=200_000, help="count bound of one slot")
    p.add_argument("--concurrency", type=int, default=8, help="concurrent keep-alive connections")
    p.add_argument("--workers", type=int, default=2, help="server processes (serve's default is 2)")
    p.add_argument("--load-processes", type=int, default=1, help="processes generating load")
    p.add_argument("--client", choices=("raw", "httpx"), default="raw")
    p.add_argument("--read-cache", choices=("on", "off"), default="on",
                   help="off: every single-course GET reads the store (the cache serves repeats otherwise)")
    p.add_argument("--database-url", default=None,
                   help="postgresql://... (the database is EMPTIED); default: SQLite in a temp dir")
    p.add_argument("--quick", action="store_true",
                   help="2 rounds of 0.25 s slots: checks the responses, no target verdict")
    p.add_argument("--write-load", type=float, default=0.0, metavar="N",
                   help="measure again while N course renames a second go on (0: only at rest)")
    args = p.parse_args()
    quick = {"seconds": 0.25, "rounds": 2, "warmup": 0.2}
    full = {"seconds": 2.0, "rounds": 5, "warmup": 1.0}
    for name, value in (quick if args.quick else full).items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    return args


def main() -> None:
    args = parse_args()
    exit_on_signals()
    with tempfile.TemporaryDirectory(prefix="courseport-bench-") as tmp:
        data_dir = Path(tmp)
        token, ids = seed(args.database_url or f"sqlite:///{data_dir / 'courseport.db'}")
        port = free_port()
        base_url = f"http://{HOST}:{port}"
        print(f"server: courseport serve --workers {args.workers} on {base_url}, "
              f"{'PostgreSQL' if args.database_url else 'SQLite'}; {args.concurrency} connections, "
              f"{args.client} client, {args.rounds} rounds of {args.seconds:g} s per endpoint, "
              f"read cache {args.read_cache}", flush=True)
        server = start_server(data_dir, args.database_url, port, args.workers, args.read_cache)
        gen = None
        try:
            wait_ready(server, base_url, data_dir / "server.log")
            check_responses(base_url, token, ids)
            gen = LoadGenerators(port, args.load_processes)
            results = measure(gen, server.pid, args, token, ids)
            loaded = None
            if args.write_load > 0:
                print(f"again, under {args.write_load:g} course renames a second:", flush=True)
                with WriteLoad(port, token, ids, args.write_load) as writes:
                    loaded = measure(gen, server.pid, args, token, ids)
        finally:
            if gen is not None:
                gen.close()
            stop_server(server)
        report(results, args)
        if loaded is not None:
            report(loaded, args, f"under a steady write load: {writes.summary()}")


if __name__ == "__main__":
    main()
