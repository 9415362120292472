"""Who may read which job, and the job list: reads of the `jobs` table for the faces and the console
(running jobs is `jobs.py`). A tenant's administrators read its jobs; anyone reads the jobs they asked for."""

from __future__ import annotations

from sqlalchemy import CompoundSelect, select
from sqlalchemy.orm import Session

from courseport.core.identity import accounts, tenancy
from courseport.core.identity.accounts import ROOT_ACCOUNT_ID
from courseport.core.jobs import jobs
from courseport.core.kit.errors import InvalidInput, NotAllowed, NotFound
from courseport.core.kit.paging import Slice, Window, fetch_window
from courseport.schema import Account, AccountUser, Job, Login, User


def require_job_reader(db: Session, user: User, job: Job) -> None:
    """Only the job's requester or an admin of its context may read it; another tenant's is not found."""
    if job.user_id is not None and not tenancy.same_tenant(db, user.id, job.user_id):
        raise NotFound("job")
    root = tenancy.tenant_of(db, user.id)
    account_id = job.context_id if job.context_type == "Account" else root
    if not accounts.is_admin_of(db, user.id, account_id or root):
        raise NotAllowed()


STATES = ("queued", "running", "completed", "failed")


def list_jobs(db: Session, actor: User, state: str | None, window: Window) -> Slice[Job]:
    """Jobs newest first, in one state or all: every job of the tenant for an administrator of its root
    account (jobs queued by no user are the default tenant's), the jobs the actor asked for otherwise (who
    may read one job is `require_job_reader`'s rule)."""
    if state and state not in STATES:
        raise InvalidInput("state", f"state must be one of {', '.join(STATES)}")
    root = tenancy.tenant_of(db, actor.id)
    stmt = select(Job).order_by(Job.id.desc())
    if accounts.is_admin_of(db, actor.id, root):
        stmt = stmt.where(Job.user_id.in_(_tenant_users(root)) | (Job.user_id.is_(None) & (root == ROOT_ACCOUNT_ID)))
    else:
        stmt = stmt.where(Job.user_id == actor.id)
    if state:
        stmt = stmt.where(Job.state == state)
    return fetch_window(db, stmt, window, count=True)


def readable_job(db: Session, actor: User, job_id: int) -> Job:
    """One job for its requester or an administrator (`require_job_reader`)."""
    job = jobs.get_job(db, job_id)
    if job.user_id != actor.id:
        require_job_reader(db, actor, job)
    return job


def _tenant_users(root: int) -> CompoundSelect[int]:
    """Users of a tenant: those with a login in its root account or adminships in its accounts."""
    admins = select(AccountUser.user_id).join(Account, Account.id == AccountUser.account_id).where(
        (Account.id == root) | (Account.root_account_id == root))
    return select(Login.user_id).where(Login.account_id == root).union(admins)
