"""Package import time as a ratio to unzipping and hashing the same file, and peak memory growth.

Generates a ~50 MB SCORM 1.2 package on disk (incompressible media plus compressible HTML), then in
interleaved rounds:
  baseline  hash the archive, extract every entry to a temp folder while hashing it (unzip + sha256sum)
  import    the upload import job on the archive, already streamed into a fresh blob store as an
            upload is (safe zip reader, manifest parsing, entries into blobs, rows written); the
            upload's own time (a copy while hashing) is printed apart
Prints the median of each, their ratio (target <= 2) and the peak RSS growth of the import over the
process before it (target < 64 MB).

    .venv/bin/python bench/import.py [--megabytes 50] [--rounds 3]
    .venv/bin/python bench/import.py --database-url postgresql://postgres@127.0.0.1/cp_bench  # EMPTIES it
    .venv/bin/python bench/import.py --quick   # a 5 MB package of 100 pages, 2 rounds: what CI runs
Targets are printed, never pass/fail. Exits non-zero when an import is wrong: a job not completed,
an upload whose digest differs from the file's, or a version whose files differ from the archive's.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

# The repo root instead of bench/ (whose copy.py would shadow the standard library module).
sys.path[0] = str(Path(__file__).resolve().parents[1])

from courseport import migrate  # noqa: E402
from courseport.app import build_services  # noqa: E402
from courseport.core.identity import admin  # noqa: E402
from courseport.core.packages import package_imports  # noqa: E402
from courseport.core.packages.package_imports import ImportOptions  # noqa: E402
from courseport.db import make_engine, transaction  # noqa: E402
from courseport.schema import PackageFile, User  # noqa: E402
from courseport.settings import Settings  # noqa: E402
from tests.package_builders import SCORM12_MANIFEST  # noqa: E402

CHUNK = 1024 * 1024


def make_package(path: Path, megabytes: int, pages: int = 400) -> None:
    """Mostly incompressible media (1 MB files) and a few hundred small compressible pages."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("imsmanifest.xml", SCORM12_MANIFEST.format(title="Bench course", href="index.html"))
        zf.writestr("index.html", "<html><body>bench</body></html>")
        for n in range(pages):
            zf.writestr(f"pages/page{n}.html", (f"<p>Lorem ipsum dolor sit amet {n}</p>\n") * 600)
        for n in range(megabytes - 3):
            zf.writestr(f"media/clip{n}.bin", os.urandom(CHUNK), compress_type=zipfile.ZIP_STORED)


def baseline(package: Path) -> float:
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        digest = hashlib.sha256()
        with open(package, "rb") as fh:
            while chunk := fh.read(CHUNK):
                digest.update(chunk)
        with zipfile.ZipFile(package) as zf:
            for info in zf.infolist():
                target = Path(out) / info.filename
                target.parent.mkdir(parents=True, exist_ok=True)
                entry_digest = hashlib.sha256()
                with zf.open(info) as src, open(target, "wb") as dst:
                    while chunk := src.read(CHUNK):
                        entry_digest.update(chunk)
                        dst.write(chunk)
    return time.perf_counter() - start


def check(ok: bool, what: str) -> None:
    """A wrong result fails the run in every mode: a fast wrong import measures nothing."""
    if not ok:
        raise SystemExit(f"FAILED: {what}")


def fresh_services(root: Path, database_url: str | None):  # noqa: ANN201
    """Services over an empty blob store in `root`: its own SQLite file, or the (shared) PostgreSQL database."""
    settings = Settings(data_dir=root, database_url=database_url, job_mode="manual")
    root.mkdir(parents=True)
    engine = make_engine(settings.effective_database_url)
    migrate.upgrade(engine)
    engine.dispose()
    return build_services(settings)


def empty_store(services) -> None:  # noqa: ANN001
    """Before each round (PostgreSQL rounds share one database): no rows, then the importing user."""
    with transaction(services.engine, write=True) as db:
        admin.reset_store(db, keep_admins=False)
    with transaction(services.engine, write=True) as db:
        admin.ensure_user(db, "bench", admin=True)


def run_import(package: Path, services) -> tuple[float, float]:  # noqa: ANN001
    """(seconds to stream the upload into the blob store, seconds for the import job)."""
    start = time.perf_counter()
    with open(package, "rb") as fh:
        stored = services.blobs.put_stream(iter(lambda: fh.read(CHUNK), b""))
    with transaction(services.engine, write=True) as db:
        actor = db.query(User).filter(User.login_id == "bench").one()
        job_id = package_imports.queue_upload(db, actor, ImportOptions("bench"), stored, package.name,
                                              "application/zip").id
    queued = time.perf_counter()
    ran = services.jobs.run_pending()
    finished = time.perf_counter()
    check(ran == 1, f"{ran} jobs ran, expected the import alone")
    check(stored.sha256 == file_sha256(package), "the upload's digest differs from the package file's")
    check_version(services, job_id, package)
    return queued - start, finished - queued


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def check_version(services, job_id: int, package: Path) -> None:  # noqa: ANN001
    """The job completed, and its version holds every archive entry at its size, in a blob of that size."""
    with transaction(services.engine, write=False) as db:
        actor = db.query(User).filter(User.login_id == "bench").one()
        outcome = package_imports.import_status(db, actor, str(job_id))
        check(outcome.job.state == "completed", f"import job {outcome.job.state}: {outcome.job.error}")
        check(outcome.view is not None, "the completed import shows no course version")
        stored = {f.path: f for f in db.query(PackageFile).filter(PackageFile.version_id == outcome.view.version.id)}
    with zipfile.ZipFile(package) as zf:
        entries = {i.filename: i.file_size for i in zf.infolist() if not i.is_dir()}
    check({p: f.size for p, f in stored.items()} == entries,
          f"the version holds {len(stored)} files, the archive {len(entries)} entries (or their sizes differ)")
    for path in (sorted(entries)[0], sorted(entries)[-1]):
        size = services.blobs.path_of(stored[path].blob_sha256).stat().st_size
        check(size == entries[path], f"the blob of {path} holds {size} bytes, the entry {entries[path]}")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--megabytes", type=int, default=None, help="package size (default 50, --quick 5)")
    parser.add_argument("--rounds", type=int, default=None, help="rounds (default 5, --quick 2)")
    parser.add_argument("--database-url", default=None,
                        help="postgresql://... (the database is EMPTIED); default: SQLite per round in a temp dir")
    parser.add_argument("--quick", action="store_true",
                        help="a 5 MB package of 100 pages, 2 rounds: checks the imports, no target verdict")
    args = parser.parse_args()
    megabytes = args.megabytes or (5 if args.quick else 50)
    rounds = args.rounds or (2 if args.quick else 5)
    with tempfile.TemporaryDirectory() as tmp:
        package = Path(tmp) / "bench.zip"
        make_package(package, max(megabytes, 4), pages=100 if args.quick else 400)
        with zipfile.ZipFile(package) as zf:
            entries = len(zf.infolist())
        stores = [fresh_services(Path(tmp) / f"store{n}", args.database_url) for n in range(rounds)]
        print(f"database: {stores[0].engine.dialect.name}; package: {package.stat().st_size / 1e6:.1f} MB, "
              f"{entries} entries")
        try:
            base_times, upload_times, import_times, growth = measure(package, stores)
        finally:
            for services in stores:
                services.engine.dispose()
    base, imported = statistics.median(base_times), statistics.median(import_times)
    ratio, upload = imported / base, statistics.median(upload_times)
    print(f"unzip + hash: {base:.2f} s   import job: {imported:.2f} s   ratio: {ratio:.2f} "
          f"(target <= 2{'' if args.quick else (': MET' if ratio <= 2 else ': NOT MET')})")
    print(f"(receiving the upload into the blob store, before the job: {upload:.2f} s)")
    print(f"peak memory growth during uploads and imports: {growth:.1f} MB "
          f"(target < 64 MB{'' if args.quick else (': MET' if growth < 64 else ': NOT MET')})")
    print("imports checked: every job completed with every entry stored; "
          + ("quick run, ratios not judged" if args.quick else "targets above"))


def measure(package: Path, stores: list) -> tuple[list[float], list[float], list[float], float]:
    base_times, upload_times, import_times = [], [], []
    for services in stores:
        empty_store(services)
    rss_before = peak_rss_mb()
    for n, services in enumerate(stores):
        if n and services.engine.dialect.name != "sqlite":
            empty_store(services)
        upload, job = run_import(package, services)
        upload_times.append(upload)
        import_times.append(job)
        base_times.append(baseline(package))
    return base_times, upload_times, import_times, peak_rss_mb() - rss_before


if __name__ == "__main__":
    main()
