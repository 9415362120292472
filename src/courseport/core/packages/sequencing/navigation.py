"""Navigation requests (SN book NB.2.1 and the Overall Sequencing Process): validate the request,
run its termination on the current activity (exit, exitAll, suspendAll, abandon...), then the
sequencing request (start, resumeAll, continue, previous, choice, jump, retry, retryAll) and the
delivery. Works on a copy of the state: a refused request leaves the caller's state as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from courseport.core.kit.errors import InvalidInput
from courseport.core.packages.sequencing.attempts import deliver, prepare_attempt
from courseport.core.packages.sequencing.choice import choice_refusal, jump_refusal
from courseport.core.packages.sequencing.flow import END, flow
from courseport.core.packages.sequencing.state import State, clone, record
from courseport.core.packages.sequencing.termination import (
    END_SESSION,
    abandon,
    current,
    exit_all,
    exit_current,
    suspend_all,
)
from courseport.core.packages.sequencing.tree import Activity, ActivityTree

REQUESTS = ("start", "resumeAll", "continue", "previous", "choice", "jump", "exit", "exitAll", "abandon",
            "abandonAll", "suspendAll")


@dataclass(frozen=True)
class Outcome:
    """What a navigation request did: the new state, the leaf to launch now (None: nothing to
    launch; show the table of contents), whether the sequencing session ended, or why it was refused."""
    state: State
    deliver: str | None = None
    ended: bool = False
    refused: str | None = None


class _Refused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def navigate(tree: ActivityTree, state: State, request: str, target: str | None = None) -> Outcome:
    if request not in REQUESTS:
        raise InvalidInput("request", f"request '{request}' is not a navigation request ({', '.join(REQUESTS)})")
    work = clone(state)
    try:
        wanted = _target(tree, request, target)
        result = _HANDLERS[request.lower()](tree, work, wanted)
    except _Refused as refusal:
        return Outcome(state=clone(state), refused=refusal.reason)
    if result == END_SESSION:
        return Outcome(state=work, ended=True)
    return Outcome(state=work, deliver=result)


def _target(tree: ActivityTree, request: str, target: str | None) -> Activity | None:
    if request not in ("choice", "jump"):
        return None
    if not target:
        raise InvalidInput("target", f"a {request} request needs a target activity")
    if not tree.has(target):
        raise InvalidInput("target", f"activity '{target}' is not in this course")
    return tree.find(target)


def _start(tree: ActivityTree, state: State, _: Activity | None) -> str | None:
    if current(tree, state) is not None:
        raise _Refused("the course has already started")
    if state.get("suspended"):
        return _resume(tree, state, None)
    return _flow_and_deliver(tree, state, tree.root, True, enter=True)


def _resume(tree: ActivityTree, state: State, _: Activity | None) -> str | None:
    suspended = state.get("suspended")
    if current(tree, state) is not None or not isinstance(suspended, str) or not tree.has(suspended):
        raise _Refused("there is no suspended attempt to resume")
    leaf = tree.find(suspended)
    deliver(tree, state, leaf)
    return leaf.id


def _continue(tree: ActivityTree, state: State, _: Activity | None) -> str | None:
    return _move(tree, state, forward=True)


def _previous(tree: ActivityTree, state: State, _: Activity | None) -> str | None:
    return _move(tree, state, forward=False)


def _move(tree: ActivityTree, state: State, forward: bool) -> str | None:
    now = current(tree, state)
    if now is None:
        raise _Refused("the course has not started: there is no current activity")
    parent = tree.parent(now)
    if parent is not None and not parent.sequencing.flow:
        raise _Refused(f"'{parent.title}' does not allow flow navigation (continue, previous)")
    if not forward and parent is not None and parent.sequencing.forward_only:
        raise _Refused(f"'{parent.title}' only allows moving forward")
    follow = exit_current(tree, state, now) if record(state, now)["active"] else None
    if follow is not None:
        return _follow(tree, state, follow)
    return _flow_and_deliver(tree, state, current(tree, state) or now, forward, enter=False)


def _flow_and_deliver(tree: ActivityTree, state: State, start: Activity, forward: bool, enter: bool) -> str | None:
    found = flow(tree, state, start, forward, enter)
    if found == END:
        return exit_all(tree, state)
    if isinstance(found, str):
        raise _Refused(found)
    deliver(tree, state, found)
    return found.id


def _follow(tree: ActivityTree, state: State, request: str) -> str | None:
    """The sequencing request a termination raised (post-condition rules, end of session)."""
    if request == END_SESSION:
        return END_SESSION
    now = current(tree, state) or tree.root
    if request in ("retry", "retryAll"):
        node = tree.root if request == "retryAll" else now
        if request == "retryAll":
            exit_all(tree, state)
        if node.is_leaf:
            deliver(tree, state, node)
            return node.id
        prepare_attempt(tree, state, node)
        return _flow_and_deliver(tree, state, node, True, enter=True)
    return _flow_and_deliver(tree, state, now, request == "continue", enter=False)


def _choice(tree: ActivityTree, state: State, target: Activity | None) -> str | None:
    if target is None:
        raise _Refused("a choice request needs a target")
    now = current(tree, state)
    refusal = choice_refusal(tree, state, target, now)
    if refusal:
        raise _Refused(refusal)
    return _choose(tree, state, target, now)


def _jump(tree: ActivityTree, state: State, target: Activity | None) -> str | None:
    if target is None:
        raise _Refused("a jump request needs a target")
    refusal = jump_refusal(tree, state, target)
    if refusal:
        raise _Refused(refusal)
    return _choose(tree, state, target, current(tree, state))


def _choose(tree: ActivityTree, state: State, target: Activity, now: Activity | None) -> str | None:
    if now is not None and record(state, now)["active"]:
        follow = exit_current(tree, state, now)
        if follow is not None:
            return _follow(tree, state, follow)
    if target.is_leaf:
        deliver(tree, state, target)
        return target.id
    found = flow(tree, state, target, True, enter=True)
    if isinstance(found, Activity):
        deliver(tree, state, found)
        return found.id
    state["current"] = target.id  # a cluster that does not flow: the learner chooses inside it
    return None


def _exit(tree: ActivityTree, state: State, _: Activity | None) -> str | None:
    now = current(tree, state)
    if now is None or not record(state, now)["active"]:
        raise _Refused("there is no activity under way to exit")
    follow = exit_current(tree, state, now)
    return None if follow is None else _follow(tree, state, follow)


def _exit_all(tree: ActivityTree, state: State, _: Activity | None) -> str | None:
    if current(tree, state) is None and not state.get("suspended"):
        raise _Refused("the course has not started: there is nothing to exit")
    state["suspended"] = None
    return exit_all(tree, state)


def _suspend_all(tree: ActivityTree, state: State, _: Activity | None) -> str | None:
    now = current(tree, state)
    if now is None:
        raise _Refused("there is no activity under way to suspend")
    return suspend_all(tree, state, now)


def _abandon(tree: ActivityTree, state: State, _: Activity | None) -> str | None:
    return _abandoning(tree, state, everything=False)


def _abandon_all(tree: ActivityTree, state: State, _: Activity | None) -> str | None:
    return _abandoning(tree, state, everything=True)


def _abandoning(tree: ActivityTree, state: State, everything: bool) -> str | None:
    now = current(tree, state)
    if now is None:
        raise _Refused("there is no activity under way to abandon")
    return abandon(tree, state, now, everything)


_HANDLERS: dict[str, Callable[[ActivityTree, State, Activity | None], str | None]] = {
    "start": _start, "resumeall": _resume, "continue": _continue, "previous": _previous, "choice": _choice,
    "jump": _jump, "exit": _exit, "exitall": _exit_all, "suspendall": _suspend_all, "abandon": _abandon,
    "abandonall": _abandon_all,
}
