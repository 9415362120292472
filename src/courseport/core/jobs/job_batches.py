"""One event over many rows as a job: each row in a transaction of its own, so one refused row (a domain
error, e.g. gone by then) is reported and the others still change; progress after every row."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from sqlalchemy.orm import Session

from courseport.core.jobs import jobs
from courseport.core.kit.errors import DomainError
from courseport.db import transaction

Ref = TypeVar("Ref")
Done = TypeVar("Done")


def apply_each(ctx: jobs.JobContext, refs: Sequence[Ref],
               apply: Callable[[Session, Ref], Done]) -> tuple[list[Done], dict[str, str]]:
    """`apply(db, ref)` for every ref, each in its own write transaction. Answers what each applied call returned
    (in order) and, by ref as text, the message of every domain error that refused one."""
    done: list[Done] = []
    failed: dict[str, str] = {}
    for n, ref in enumerate(refs, start=1):
        try:
            with transaction(ctx.engine, write=True) as db:
                done.append(apply(db, ref))
        except DomainError as exc:
            failed[str(ref)] = exc.message
        ctx.progress(100.0 * n / len(refs))
    return done, failed
