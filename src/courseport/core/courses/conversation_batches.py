"""Batch updates of a user's conversations: one event (mark read or unread, star, unstar, archive,
destroy) applied to many of their conversations, as a background job whose progress the caller polls.

Each conversation is updated in a transaction of its own, for the requesting user alone; one that is
gone by then (a concurrent delete) is reported in the job's result and the others still change.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.courses import conversations
from courseport.core.jobs import job_batches, jobs
from courseport.core.kit.errors import InvalidInput
from courseport.schema import ConversationParticipant, Job, User

KIND = "conversation_batch_update"
MAX_CONVERSATIONS = 500


def queue_batch_update(db: Session, actor: User, conversation_ids: list[int], event: str | None) -> Job:
    if not event:
        raise InvalidInput("event", "event is required")
    if event not in conversations.EVENTS:
        raise InvalidInput("event", f"event must be one of {', '.join(conversations.EVENTS)}")
    if not conversation_ids:
        raise InvalidInput("conversation_ids", "conversation_ids is required")
    if len(conversation_ids) > MAX_CONVERSATIONS:
        raise InvalidInput("conversation_ids", f"conversation_ids may name at most {MAX_CONVERSATIONS}")
    ids = list(dict.fromkeys(conversation_ids))
    mine = set(db.scalars(select(ConversationParticipant.conversation_id).where(
        ConversationParticipant.user_id == actor.id, ConversationParticipant.conversation_id.in_(ids))))
    if missing := [i for i in ids if i not in mine]:
        raise InvalidInput("conversation_ids", f"conversation_ids: no conversation {missing[0]} of yours")
    return jobs.enqueue(db, KIND, {"user_id": actor.id, "conversation_ids": ids, "event": event},
                        user_id=actor.id, context_type="User", context_id=actor.id)


def run_batch_update(ctx: jobs.JobContext) -> dict:
    user_id, event = ctx.payload["user_id"], ctx.payload["event"]

    def apply(db: Session, conversation_id: int) -> int:
        actor = db.get(User, user_id)
        if actor is None:
            raise InvalidInput("user_id", "the user is gone")
        conversations.apply_event(db, actor, conversation_id, event)
        return conversation_id

    updated, failed = job_batches.apply_each(ctx, ctx.payload["conversation_ids"], apply)
    return {"updated_conversation_ids": updated, "failed_conversation_ids": list(failed), "errors": failed}
