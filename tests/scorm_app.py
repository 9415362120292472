"""A SCORM Cloud application for tests: raw HTTP with Basic appId:secretKey, package uploads that
run their import job at once, and counts of what the store holds (to prove nothing is left behind)."""

from __future__ import annotations

from pathlib import Path

import httpx
from sqlalchemy import func, select

from courseport.core.kit.blob_lifecycle import collect
from courseport.schema import Blob, Course, CourseTag, Job, PackageFile, PackageVersion, SettingValue


class ScormApp:
    def __init__(self, world, user=None):  # noqa: ANN001
        self.world = world
        self.app_id, self.secret = world.scorm_app(user)
        self.http = httpx.Client(base_url=world.base_url + "/api/v2", auth=(self.app_id, self.secret), timeout=60)

    def upload(self, data: bytes, course_id: str, filename: str = "package.zip", **query) -> httpx.Response:
        params = {"courseId": course_id, **{k: str(v) for k, v in query.items()}}
        return self.http.post("/courses/importJobs/upload", params=params,
                              files={"file": (filename, data, "application/zip")})

    def job(self, job_id: str) -> dict:
        answer = self.http.get(f"/courses/importJobs/{job_id}")
        assert answer.status_code == 200, answer.text
        return answer.json()

    def imported(self, data: bytes, course_id: str, filename: str = "package.zip", **query) -> dict:
        """Upload, run the import job, return its final status."""
        answer = self.upload(data, course_id, filename, **query)
        assert answer.status_code == 200, answer.text
        self.world.run_jobs()
        return self.job(answer.json()["result"])

    def counts(self) -> dict[str, int]:
        """What the store holds once the collector has run (bytes no row or live job refers to go)."""
        collect(self.world.engine, self.world.services.blobs, grace=0)
        with self.world.tx() as db:
            counts = {t.__tablename__: db.scalar(select(func.count()).select_from(t))
                      for t in (PackageVersion, PackageFile, CourseTag, SettingValue, Blob)}
            counts["scorm_courses"] = db.scalar(select(func.count()).where(Course.scorm_course_id.is_not(None)))
        counts["blob_files"] = sum(1 for p in Path(self.world.services.blobs.root).rglob("*")
                                   if p.is_file() and p.parent.name != "tmp"
                                   and not p.name.startswith("."))
        return counts

    def last_job(self) -> Job:
        with self.world.tx() as db:
            return db.scalars(select(Job).order_by(Job.id.desc()).limit(1)).one()

    def last_job_or_none(self) -> Job | None:
        with self.world.tx() as db:
            return db.scalars(select(Job).order_by(Job.id.desc()).limit(1)).first()


def refused_callers(scorm, world) -> dict[str, tuple[httpx.Client, int, str]]:
    """Callers a SCORM Cloud write refuses: client, status and message."""
    base = world.base_url + "/api/v2"
    return {
        "anonymous": (httpx.Client(base_url=base), 401,
                      "Authorization is required: Basic appId:secretKey or a Bearer token"),
        "wrong secret": (httpx.Client(base_url=base, auth=(scorm.app_id, "wrong")), 401,
                         "Invalid application credentials"),
        "no right": (ScormApp(world, world.user("nobody")).http, 403, "this application may not manage courses"),
    }


def stored_files(world, scratch) -> set[str]:
    """Every file in the blob store (its temp folder included) and in the process's temp folder."""
    return ({str(p) for p in Path(world.services.blobs.root).rglob("*") if p.is_file()}
            | {str(p) for p in Path(scratch).rglob("*")})
