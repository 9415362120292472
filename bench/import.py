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
from courseport.core import admin, package_imports  # noqa: E402
from courseport.core.package_imports import ImportOptions  # noqa: E402
from courseport.db import make_engine, transaction  # noqa: E402
from courseport.schema import User  # noqa: E402
from courseport.settings import Settings  # noqa: E402
from tests.package_builders import SCORM12_MANIFEST  # noqa: E402

CHUNK = 1024 * 1024


def make_package(path: Path, megabytes: int) -> None:
    """Mostly incompressible media (1 MB files) and a few hundred small compressible pages."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("imsmanifest.xml", SCORM12_MANIFEST.format(title="Bench course", href="index.html"))
        zf.writestr("index.html", "<html><body>bench</body></html>")
        for n in range(400):
            zf.writestr(f"pages/page{n}.html", ("<p>Lorem ipsum dolor sit amet %d</p>\n" % n) * 600)
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


def fresh_services(root: Path):  # noqa: ANN201
    settings = Settings(data_dir=root, job_mode="manual")
    root.mkdir(parents=True)
    engine = make_engine(settings.effective_database_url)
    migrate.upgrade(engine)
    engine.dispose()
    services = build_services(settings)
    with transaction(services.engine, write=True) as db:
        admin.ensure_user(db, "bench", admin=True)
    return services


def run_import(package: Path, services) -> tuple[float, float]:  # noqa: ANN001
    """(seconds to stream the upload into the blob store, seconds for the import job)."""
    start = time.perf_counter()
    with open(package, "rb") as fh:
        stored = services.blobs.put_stream(iter(lambda: fh.read(CHUNK), b""))
    with transaction(services.engine, write=True) as db:
        actor = db.query(User).filter(User.login_id == "bench").one()
        package_imports.queue_upload(db, actor, ImportOptions("bench"), stored, package.name, "application/zip")
    queued = time.perf_counter()
    assert services.jobs.run_pending() == 1
    finished = time.perf_counter()
    with transaction(services.engine, write=False) as db:
        job = db.query(package_imports.Job).order_by(package_imports.Job.id.desc()).first()
        assert job.state == "completed", job.error
    return queued - start, finished - queued


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--megabytes", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        package = Path(tmp) / "bench.zip"
        make_package(package, args.megabytes)
        print(f"package: {package.stat().st_size / 1e6:.1f} MB, "
              f"{len(zipfile.ZipFile(package).infolist())} entries")
        stores = [fresh_services(Path(tmp) / f"store{n}") for n in range(args.rounds)]
        base_times, upload_times, import_times = [], [], []
        rss_before = peak_rss_mb()
        for services in stores:
            upload, job = run_import(package, services)
            upload_times.append(upload)
            import_times.append(job)
            base_times.append(baseline(package))
        growth = peak_rss_mb() - rss_before
    base, imported = statistics.median(base_times), statistics.median(import_times)
    print(f"unzip + hash: {base:.2f} s   import job: {imported:.2f} s   ratio: {imported / base:.2f} (target <= 2)")
    print(f"(receiving the upload into the blob store, before the job: {statistics.median(upload_times):.2f} s)")
    print(f"peak memory growth during uploads and imports: {growth:.1f} MB (target < 64 MB)")


if __name__ == "__main__":
    main()
