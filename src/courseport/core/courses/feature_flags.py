"""Feature flags: a small fixed catalogue of optional features and the states accounts, courses and users set
for them. A feature applies to courses, accounts, root accounts or users. Its state in a context is the
nearest one set on the way down from the root account (its catalogue default if none is): `off` and `on` set on
an account lock it for everything below; `allowed` (off here) and `allowed_on` (on here) let what is below
choose. A course or user sets only `on` or `off`. A course's members read its features and its content managers
set them; an account's admins read and set the account's; a user (or an admin of theirs) reads and sets theirs.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from courseport.core.courses.courses import readable_course
from courseport.core.identity import account_users, accounts
from courseport.core.kit.errors import InvalidInput, NotAllowed, NotFound
from courseport.schema import Account, Course, FeatureFlag, User

STATES = ("off", "allowed", "on", "allowed_on")
_ENABLED = ("on", "allowed_on")
_LOCKING = ("on", "off")


@dataclass(frozen=True)
class Feature:
    name: str
    display_name: str
    description: str
    applies_to: str  # course, account, root_account or user
    default: str


CATALOGUE = (
    Feature("anonymous_marking", "Anonymous Marking", "Grade submissions without seeing who made them.",
            "course", "allowed"),
    Feature("assignments_2_student", "Assignment Enhancements - Student", "A new submission view for students.",
            "course", "allowed"),
    Feature("new_gradebook", "New Gradebook", "The gradebook with sorting, filters and late policies.",
            "course", "allowed_on"),
    Feature("quizzes_next", "New Quizzes", "Quizzes built with the newer quiz engine.", "course", "allowed"),
    Feature("rce_enhancements", "RCE Enhancements", "The newer rich content editor.", "account", "allowed_on"),
    Feature("k12", "Canvas for Elementary", "Elementary-school course views for the account.",
            "root_account", "allowed"),
    Feature("high_contrast", "High Contrast UI", "Shows the interface with higher contrast.", "user", "allowed"),
    Feature("underline_all_links", "Underline Links", "Underlines every link in the interface.", "user",
            "allowed"),
)
_BY_NAME = {feature.name: feature for feature in CATALOGUE}
_LISTED = {"course": ("course",), "account": ("account", "course"),
           "root_account": ("root_account", "account", "course"), "user": ("user",)}


@dataclass(frozen=True)
class Context:
    """Where flags are read or set: its kind and id, and the accounts above it from the root down."""

    kind: str  # course, account or user
    id: int
    is_root: bool
    above: list[int]


@dataclass(frozen=True)
class Flag:
    """The flag that applies in a context: set there (`kind`, `id`), inherited from an account, or the
    catalogue's default (`kind` None); `locked` when the context may not change it."""

    feature: str
    kind: str | None
    id: int | None
    state: str
    locked: bool

    @property
    def enabled(self) -> bool:
        return self.state in _ENABLED


def course_context(db: Session, actor: User, course_ref: str, *, write: bool = False) -> Context:
    course, _ = readable_course(db, actor, course_ref, "manage_content" if write else "read")
    return Context("course", course.id, False, accounts.ancestor_ids(db, course.account_id)[::-1])


def account_context(db: Session, actor: User, account_ref: str) -> Context:
    account = accounts.readable_account(db, actor.id, account_ref)
    above = accounts.ancestor_ids(db, account.id)[1:][::-1]
    return Context("account", account.id, account.parent_account_id is None, above)


def user_context(db: Session, actor: User, user_ref: str) -> Context:
    user = account_users.readable_user(db, actor, user_ref)
    return Context("user", user.id, False, [])


def features(ctx: Context) -> list[Feature]:
    """The catalogue's features a context lists."""
    kind = "root_account" if ctx.is_root else ctx.kind
    return [f for f in CATALOGUE if f.applies_to in _LISTED[kind]]


def feature(ctx: Context, name: str, *, field: str | None = None) -> Feature:
    """A feature the context lists; another is not found (or, with `field`, refused naming it)."""
    found = _BY_NAME.get(name)
    if found is None or found not in features(ctx):
        if field is not None:
            raise InvalidInput(field, f"{field} {name!r} is not a feature of this {ctx.kind}")
        raise NotFound("feature")
    return found


def flags(db: Session, ctx: Context) -> list[tuple[Feature, Flag]]:
    stored = _stored(db, ctx, [f.name for f in features(ctx)])
    return [(f, _resolve(ctx, f, stored)) for f in features(ctx)]


def flag(db: Session, ctx: Context, name: str) -> Flag:
    found = feature(ctx, name)
    return _resolve(ctx, found, _stored(db, ctx, [found.name]))


def enabled_features(db: Session, ctx: Context) -> list[str]:
    return [f.name for f, applied in flags(db, ctx) if applied.enabled]


def set_flag(db: Session, ctx: Context, name: str, state: str | None) -> Flag:
    """Set the context's own state for a feature; refused when an account above locks it."""
    found = feature(ctx, name, field="feature")
    allowed = STATES if ctx.kind == "account" else _LOCKING
    if state is None or state not in allowed:
        raise InvalidInput("state", f"state must be one of {', '.join(allowed)} for a {ctx.kind}")
    _lock_owner(db, ctx)
    stored = _stored(db, ctx, [name])
    own_key = (ctx.kind, ctx.id, name)
    inherited = _resolve(ctx, found, {key: row for key, row in stored.items() if key != own_key})
    if inherited.locked:
        raise NotAllowed("higher account disallows setting feature flag")
    row = stored.get(own_key)
    if row is None:
        row = FeatureFlag(feature=name, state=state, **{f"{ctx.kind}_id": ctx.id})
        db.add(row)
    row.state = state
    db.flush()
    return Flag(name, ctx.kind, ctx.id, state, False)


def delete_flag(db: Session, ctx: Context, name: str) -> Flag:
    """Remove the context's own state for a feature (it inherits again); the removed flag is returned."""
    feature(ctx, name)
    row = _stored(db, ctx, [name]).get((ctx.kind, ctx.id, name))
    if row is None:
        raise NotFound("feature flag")
    db.delete(row)
    db.flush()
    return Flag(name, ctx.kind, ctx.id, row.state, False)


def _lock_owner(db: Session, ctx: Context) -> None:
    """Two first flags of one context take turns: the second sees the first's row (docs/architecture.md)."""
    column = {"course": Course.id, "account": Account.id, "user": User.id}[ctx.kind]
    db.execute(select(column).where(column == ctx.id).with_for_update(key_share=True))


def _stored(db: Session, ctx: Context, names: list[str]) -> dict[tuple[str, int, str], FeatureFlag]:
    conditions = [FeatureFlag.account_id.in_(ctx.above)] if ctx.above else []
    conditions.append(getattr(FeatureFlag, f"{ctx.kind}_id") == ctx.id)
    rows = db.scalars(select(FeatureFlag).where(FeatureFlag.feature.in_(names), or_(*conditions)))
    return {(_kind_of(row), _id_of(row), row.feature): row for row in rows}


def _kind_of(row: FeatureFlag) -> str:
    return "account" if row.account_id is not None else "course" if row.course_id is not None else "user"


def _id_of(row: FeatureFlag) -> int:
    return row.account_id or row.course_id or row.user_id or 0


def _resolve(ctx: Context, found: Feature, stored: dict[tuple[str, int, str], FeatureFlag]) -> Flag:
    applied = Flag(found.name, None, None, found.default, found.default in _LOCKING)
    for account_id in ctx.above:
        if applied.locked:
            return applied
        row = stored.get(("account", account_id, found.name))
        if row is not None:
            applied = Flag(found.name, "account", account_id, row.state, row.state in _LOCKING)
    own = stored.get((ctx.kind, ctx.id, found.name))
    if own is not None and not applied.locked:
        return Flag(found.name, ctx.kind, ctx.id, own.state, False)
    return applied
