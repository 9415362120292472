"""SIS imports: a root account's admins load accounts, terms, users, logins, courses, sections, cross-listings,
enrollments, admins, group categories, groups, group memberships and observer links from CSV files (one CSV,
or a zip of them) in a background job.

The import is the job (its id is the import's, as course exports are): the request checks the caller
before it reads the upload, streams the upload into a blob, and queues the job pinning the blob to it.
The job reads the upload (`sis_files`: the safe zip reader, every file parsed before any row is applied,
so a file it cannot take fails the import with nothing written), then applies the files kind by kind in
dependency order, each row through the core function the API itself uses (`sis_apply_identity`,
`sis_apply_courses`, `sis_apply_groups`, `sis_apply_people`), a chunk of rows per transaction and each row
in a savepoint: a row that breaks a rule becomes a warning naming its file, row and column, and the other
rows go on. Progress is reported after each chunk. A row applied twice converges to the same state (SIS ids:
created when unknown, updated when known), so a worker that dies leaves the chunks it committed, and the job
system's retry applies every row again to the same end. An abort stops it before its next chunk commits.
Two imports of one account may run at once (Canvas queues them); their chunks take turns on the account's
row, so each row's look-up and write are never split by the other import's.

The result keeps, in core words: `counts` (rows applied per kind), `statistics` (per kind, what the rows
did: created, updated, ...), `warnings` and `errors` as [file, message] pairs, `supplied_batches` (the
kinds given) and `failed` (a file refused: nothing was applied); a diffed import adds `diffed_against` and
`diffing_threshold_exceeded`. Options: skip_deletes skips rows with status deleted; a diffing data set applies
only what changed since its last completed import (`sis_diffing`); the stickiness options decide how the
import's writes treat fields the API made sticky (`identity/sis_stickiness`). A `RowError` is an error of the
import rather than a warning; the other rows still go on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.courses import sis_apply_courses as course_rows
from courseport.core.courses import sis_apply_groups as group_rows
from courseport.core.courses import sis_apply_identity as identity_rows
from courseport.core.courses import sis_apply_people as people_rows
from courseport.core.courses import sis_batch_mode as batch_mode
from courseport.core.courses import sis_diffing as diffing
from courseport.core.courses.sis_apply_identity import Target
from courseport.core.courses.sis_files import read_upload
from courseport.core.courses.sis_rows import COUNT_NAMES, ORDER, RowError, RowProblem, SisFile, SisFileRefused
from courseport.core.identity import accounts, sis_stickiness
from courseport.core.jobs import job_aborts, job_timing, jobs
from courseport.core.kit import blob_lifecycle
from courseport.core.kit.errors import DomainError, InvalidInput, NotAllowed, NotFound
from courseport.core.kit.ids import is_id, store_id
from courseport.core.kit.paging import Slice, Window, fetch_window
from courseport.core.kit.safe_zip import ZipLimits
from courseport.db import transaction
from courseport.schema import Account, Job, User

KIND = "sis_import"
IMPORT_TYPES = ("instructure_csv",)
CHUNK_ROWS = 100
APPLIERS: dict[str, Callable[[Target, dict[str, str]], str]] = {
    "account": identity_rows.apply_account, "term": identity_rows.apply_term, "user": identity_rows.apply_user,
    "course": course_rows.apply_course, "section": course_rows.apply_section, "xlist": course_rows.apply_xlist,
    "enrollment": course_rows.apply_enrollment, "group_category": group_rows.apply_group_category,
    "group": group_rows.apply_group, "group_membership": group_rows.apply_group_membership,
    "login": people_rows.apply_login, "admin": people_rows.apply_admin,
    "user_observer": people_rows.apply_user_observer}

# The CSV column a core field is read from: (kind, field), or ("", field) for every kind.
_COLUMNS: dict[tuple[str, str], str] = {
            ("", "unique_id"): "login_id", ("", "sis_user_id"): "user_id", ("", "start_at"): "start_date",
            ("", "end_at"): "end_date", ("", "sis_course_id"): "course_id", ("", "sis_section_id"): "section_id",
            ("", "sis_term_id"): "term_id", ("", "sis_account_id"): "account_id", ("", "course_code"): "short_name",
            ("course", "name"): "long_name", ("user", "name"): "full_name", ("enrollment", "type"): "role",
            ("enrollment", "role_id"): "role", ("enrollment", "enrollment_state"): "status",
            ("group_category", "name"): "category_name"}


@dataclass(frozen=True)
class SisOptions:
    """What the import was asked to do beyond its files; kept on the job and answered back."""

    import_type: str = "instructure_csv"
    batch_mode: bool = False
    batch_mode_term_id: str | None = None
    multi_term_batch_mode: bool = False
    skip_deletes: bool = False
    override_sis_stickiness: bool = False
    add_sis_stickiness: bool = False
    clear_sis_stickiness: bool = False
    diffing_data_set_identifier: str | None = None
    change_threshold: int | None = None  # batch mode: a percentage of a kind's SIS objects it may delete
    diffing_remaster_data_set: bool = False
    diffing_drop_status: str | None = None  # enrollments gone since the data set's last import
    diffing_user_remove_status: str | None = None  # users gone since then


class OptionRefused(InvalidInput):
    """Batch-mode options an import cannot run with (Canvas answers these in their own bare shape)."""


@dataclass(frozen=True)
class ImportFilters:
    created_since: datetime | None = None
    created_before: datetime | None = None
    states: tuple[str, ...] = ()  # job states


def _root_admin(db: Session, actor: User, account_ref: str) -> Account:
    account = accounts.resolve_account(db, account_ref, actor.id)
    if not accounts.is_admin_of(db, actor.id, account.id):
        raise NotAllowed()
    if account.parent_account_id is not None:
        raise InvalidInput("account_id", "SIS imports can only be executed on root accounts")
    return account


def check_import(db: Session, actor: User, account_ref: str) -> None:
    """Everything a request can refuse before its upload arrives: no such account, no right, not a root."""
    _root_admin(db, actor, account_ref)


def queue_import(db: Session, actor: User, account_ref: str, blob_sha256: str, filename: str,
                 options: SisOptions) -> Job:
    account = _root_admin(db, actor, account_ref)
    if options.import_type not in IMPORT_TYPES:
        raise InvalidInput("import_type", f"import_type must be one of {', '.join(IMPORT_TYPES)}")
    term_id = _batch_term(db, account, options)
    _check_diffing(options)
    if term_id is not None or options.multi_term_batch_mode:
        options = replace(options, batch_mode=True, diffing_data_set_identifier=None)  # batch mode never diffs
    else:
        options = replace(options, batch_mode=False)
    job = jobs.enqueue(db, KIND, {"blob_sha256": blob_sha256, "filename": filename, "user_id": actor.id,
                                  "account_id": account.id, "options": asdict(options), "batch_term_id": term_id},
                       user_id=actor.id, context_type="Account", context_id=account.id)
    blob_lifecycle.pin(db, job.id, [blob_sha256])
    return job


def _batch_term(db: Session, account: Account, options: SisOptions) -> int | None:
    """The live term batch mode is limited to (an id or sis_term_id:), as Canvas checks them before queueing."""
    if options.change_threshold is not None and not 0 <= options.change_threshold <= 100:
        raise InvalidInput("change_threshold", "change_threshold must be a percentage from 0 to 100")
    term = None
    if options.batch_mode and options.batch_mode_term_id:
        try:
            term = accounts.get_term(db, account.id, options.batch_mode_term_id)
        except NotFound:
            term = None
        if term is not None and term.workflow_state == "deleted":
            term = None
    if options.batch_mode and term is None and not options.multi_term_batch_mode:
        raise OptionRefused("batch_mode_term_id", "Batch mode specified, but the given batch_mode_term_id cannot "
                                                  "be found.")
    if term is None and options.multi_term_batch_mode and options.change_threshold is None:
        raise OptionRefused("change_threshold", "change_threshold is required to use multi term_batch mode.")
    return term.id if term is not None else None


def _check_diffing(options: SisOptions) -> None:
    if options.diffing_drop_status not in (None, *diffing.ENROLLMENT_DROP_STATUSES):
        raise OptionRefused("diffing_drop_status", "Invalid diffing_drop_status")
    if options.diffing_user_remove_status not in (None, *diffing.USER_REMOVE_STATUSES):
        raise OptionRefused("diffing_user_remove_status", "Invalid diffing_user_remove_status")


def _import_job(db: Session, account: Account, import_id: str) -> Job:
    job = db.get(Job, store_id(import_id)) if is_id(import_id) else None
    if job is None or job.kind != KIND or job.context_type != "Account" or job.context_id != account.id:
        raise NotFound("sis import")
    return job


def get_import(db: Session, actor: User, account_ref: str, import_id: str) -> Job:
    return job_timing.status_read(db, _import_job(db, _root_admin(db, actor, account_ref), import_id))


def _of_account(account: Account) -> Any:
    return select(Job).where(Job.kind == KIND, Job.context_type == "Account", Job.context_id == account.id)


def list_imports(db: Session, actor: User, account_ref: str, filters: ImportFilters, window: Window) -> Slice[Job]:
    """The account's imports, newest first."""
    stmt = _of_account(_root_admin(db, actor, account_ref))
    if filters.created_since is not None:
        stmt = stmt.where(Job.created_at >= filters.created_since)
    if filters.created_before is not None:
        stmt = stmt.where(Job.created_at < filters.created_before)
    if filters.states:
        stmt = stmt.where(Job.state.in_(filters.states))
    return fetch_window(db, stmt.order_by(Job.id.desc()), window)


def running_imports(db: Session, actor: User, account_ref: str) -> list[Job]:
    stmt = _of_account(_root_admin(db, actor, account_ref)).where(Job.state == "running")
    return list(db.scalars(stmt.order_by(Job.id)))


def abort_import(db: Session, actor: User, account_ref: str, import_id: str) -> Job:
    """Abort one import that has not ended; an ended one is not found (Canvas looks among those not done)."""
    job = _import_job(db, _root_admin(db, actor, account_ref), import_id)
    if not job_aborts.abort(db, job):
        raise NotFound("sis import")
    return job


def abort_pending(db: Session, actor: User, account_ref: str) -> int:
    """Abort every import of the account still waiting to run; how many were."""
    stmt = _of_account(_root_admin(db, actor, account_ref)).where(Job.state == "queued")
    return sum(job_aborts.abort(db, job) for job in db.scalars(stmt.order_by(Job.id)).all())


def run_import(ctx: jobs.JobContext) -> dict[str, Any]:
    p = ctx.payload
    ctx.progress(0.0, "importing", force=True)
    settings = ctx.services.settings
    limits = ZipLimits(max_entries=settings.package_max_entries, max_ratio=settings.package_max_ratio,
                       max_unpacked_bytes=settings.package_max_unpacked_bytes)
    try:
        with ctx.services.blobs.local_file(p["blob_sha256"]) as path, open(path, "rb") as fh:
            files = read_upload(fh, p["filename"], limits)
    except SisFileRefused as exc:
        return {"failed": True, "errors": [[exc.file, exc.message]], "warnings": [], "counts": {},
                "statistics": {}, "supplied_batches": []}
    result: dict[str, Any] = {"failed": False, "errors": [], "warnings": [], "statistics": {},
                              "counts": {COUNT_NAMES[kind]: 0 for kind in ORDER},
                              "supplied_batches": [k for k in ORDER if any(f.kind == k for f in files)]}
    applied = _diffed(ctx, files, result)
    total, done = max(1, sum(len(f.rows) for f in applied)), 0
    for file in applied:
        for start in range(0, len(file.rows), CHUNK_ROWS):
            _apply_chunk(ctx, file, file.rows[start:start + CHUNK_ROWS], result)
            done += len(file.rows[start:start + CHUNK_ROWS])
            ctx.progress(99.0 * done / total, "importing")
    if (p.get("options") or {}).get("batch_mode"):
        _clean_up(ctx, result)
    _remember(ctx, files, result)
    return result


def _diffed(ctx: jobs.JobContext, files: list[SisFile], result: dict[str, Any]) -> list[SisFile]:
    """The files' rows to apply: with a diffing data set (not remastered), what changed since its last import."""
    options = ctx.payload.get("options") or {}
    identifier = options.get("diffing_data_set_identifier")
    if not identifier or options.get("diffing_remaster_data_set"):
        return files
    rules = diffing.DiffRules(options.get("diffing_drop_status") or "deleted",
                              options.get("diffing_user_remove_status") or "deleted", options.get("change_threshold"))
    with transaction(ctx.engine, write=False) as db:
        diffed = diffing.diff(diffing.previous(db, ctx.payload["account_id"], identifier), files, rules)
    result["diffed_against"], result["diffing_threshold_exceeded"] = diffed.against, diffed.threshold_exceeded
    return diffed.files


def _remember(ctx: jobs.JobContext, files: list[SisFile], result: dict[str, Any]) -> None:
    """A completed import of a diffing data set becomes the set's base (an aborted cleanup's does not)."""
    identifier = (ctx.payload.get("options") or {}).get("diffing_data_set_identifier")
    if identifier and not result.get("aborted"):
        with transaction(ctx.engine, write=True) as db:
            diffing.remember(db, ctx.payload["account_id"], identifier, ctx.job_id, files)
            ctx.confirm_held(db)


def _clean_up(ctx: jobs.JobContext, result: dict[str, Any]) -> None:
    """Batch mode: delete the term's SIS objects the import left out, in one transaction (sis_batch_mode)."""
    p, options = ctx.payload, ctx.payload["options"]
    supplied = [k for k in batch_mode.KINDS if k in result["supplied_batches"]]
    if not supplied:
        return  # Canvas cleans up only kinds the import supplied
    with transaction(ctx.engine, write=True) as db:
        db.execute(select(Account.id).where(Account.id == p["account_id"]).with_for_update(key_share=True))
        sis_stickiness.sis_writes(db, sis_stickiness.OVERRIDE)
        terms = ((p["batch_term_id"],) if p.get("batch_term_id") is not None
                 else batch_mode.imported_terms(db, p["account_id"], ctx.job_id))
        try:
            if not terms:
                raise batch_mode.CleanupAborted("Terms not found. Terms must be included with multi_term_batch_mode")
            scope = batch_mode.BatchScope(p["account_id"], ctx.job_id, terms, options.get("change_threshold"))
            deleted = batch_mode.clean_up(db, db.get_one(User, p["user_id"]), scope, supplied)
        except batch_mode.CleanupAborted as exc:
            result["aborted"] = True
            result["errors"].append([None, exc.message])
            return
        ctx.confirm_held(db)
    for kind, n in deleted.items():
        result["counts"][f"batch_{batch_mode.PLURAL[kind]}_deleted"] = n
        stats = result["statistics"].setdefault(kind, {})
        stats["deleted"] = stats.get("deleted", 0) + n


def _apply_chunk(ctx: jobs.JobContext, file: SisFile, rows: list[tuple[int, dict[str, str]]],
                 result: dict[str, Any]) -> None:
    """Rows of one file in one transaction, each in a savepoint; the tallies only once it committed."""
    counted: dict[str, int] = {}
    warnings: list[list[str]] = []
    errors: list[list[str]] = []
    with transaction(ctx.engine, write=True) as db:
        # One chunk of the account's imports at a time (PostgreSQL; SQLite's writers take turns anyway): a row
        # looks its SIS id up and then creates, so two imports at once would both create the same user or
        # section. NO KEY UPDATE: rows that merely refer to the account (a new course, a login) are not held up.
        db.execute(select(Account.id).where(Account.id == ctx.payload["account_id"]).with_for_update(key_share=True))
        target = Target(db, db.get_one(User, ctx.payload["user_id"]), db.get_one(Account, ctx.payload["account_id"]),
                        ctx.job_id)
        options = ctx.payload.get("options") or {}
        sis_stickiness.sis_writes(db, _stickiness(options))
        for number, row in rows:
            if options.get("skip_deletes") and row.get("status", "").lower() == "deleted":
                counted["skipped"] = counted.get("skipped", 0) + 1  # skip_deletes: nothing is deleted
                continue
            try:
                with db.begin_nested():
                    outcome = APPLIERS[file.kind](target, row)
            except DomainError as exc:
                (errors if isinstance(exc, RowError) else warnings).append([file.name, _where(exc, file.kind, number)])
                continue
            counted[outcome] = counted.get(outcome, 0) + 1
        ctx.confirm_held(db)
    applied = sum(n for outcome, n in counted.items() if outcome != "skipped")
    result["counts"][COUNT_NAMES[file.kind]] += applied
    stats = result["statistics"].setdefault(file.kind, {})
    for outcome, n in counted.items():
        stats[outcome] = stats.get(outcome, 0) + n
    result["warnings"] += warnings
    result["errors"] += errors


def _stickiness(options: dict[str, Any]) -> str:
    """How the import treats sticky fields: add and clear count only with override, clear winning (Canvas)."""
    if not options.get("override_sis_stickiness"):
        return sis_stickiness.NONE
    if options.get("clear_sis_stickiness"):
        return sis_stickiness.CLEAR
    return sis_stickiness.ADD if options.get("add_sis_stickiness") else sis_stickiness.OVERRIDE


def _where(exc: DomainError, kind: str, number: int) -> str:
    """The error's sentence, then the row and the CSV column (a core field named by its column)."""
    field: str = exc.column if isinstance(exc, RowProblem) else getattr(exc, "field", None) or ""
    column = _COLUMNS.get((kind, field)) or _COLUMNS.get(("", field)) or field
    return f"{exc.message} (row {number}{f', column {column}' if column else ''})"
