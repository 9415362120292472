"""Preview launches of packaged courses: signed, expiring launch links, the player they open,
the package files it serves and the runtime data it sends back (xAPI statements when tracked).

A launch link is short-lived (SCORM Cloud's `expiry`, 10-300 s). Opening it starts a launch: a new
registration UUID and a player session token that lives long enough to take a course, under which
the package's files are served and runtime commits are accepted. Both tokens are HMAC-signed with
the installation secret, so nothing about a launch is stored until it produces statements.
"""

from __future__ import annotations

import posixpath
import re
import time
import uuid
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlparse

from sqlalchemy import select
from sqlalchemy.orm import Session

from courseport.core.kit import signing
from courseport.core.kit.errors import InvalidInput, NotAuthenticated, NotFound
from courseport.core.packages import launch_vault, statements
from courseport.core.packages.launch_vault import Browser, VaultRule
from courseport.core.packages.scorm_courses import packaged_version
from courseport.schema import Course, PackageFile, PackageVersion, User

DEFAULT_EXPIRY = 120
EXPIRY_RANGE = (10, 300)
SESSION_SECONDS = 12 * 3600
EXIT_KEYWORDS = ("closer", "blank", "message")
PREVIEW_LEARNER = ("preview", "Preview Learner")
MAX_RUNTIME_VALUES = 4096
_CULTURE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
RUNTIME_EVENTS = ("initialize", "commit", "terminate")


@dataclass(frozen=True)
class LaunchRequest:
    """What a preview launch honours of the caller's request (SCORM Cloud's LaunchLinkRequestSchema)."""

    expiry: int | None = None
    redirect_on_exit_url: str | None = None
    tracking: bool | None = None
    start_sco: str | None = None
    culture: str | None = None
    css_url: str | None = None
    learner_id: str | None = None  # who the preview tracks; None: PREVIEW_LEARNER
    learner_name: str | None = None
    auth_type: str | None = None  # launch_vault.TYPES; None: "cookies"
    vault: VaultRule | None = None


@dataclass(frozen=True)
class LaunchGrant:
    """What a launch link (purpose "link") or a player session (purpose "session") allows."""

    course_id: int
    version_id: int
    expires_at: int
    tracking: bool
    exit: str  # an http(s) URL or one of EXIT_KEYWORDS
    learner_id: str
    learner_name: str
    css_url: str | None = None
    start_sco: str | None = None
    culture: str | None = None
    registration: str | None = None  # set once the link is opened
    vault_rule: dict | None = None  # a link's Content Vault rule (launch_vault.rule_claims)
    vault: dict | None = None  # a session's binding to its browser (launch_vault.bound)


@dataclass(frozen=True)
class Sco:
    id: str
    title: str
    href: str  # a package path (with its query) or an absolute URL
    scaled_passing_score: str | None = None


@dataclass(frozen=True)
class PlayerView:
    title: str
    standard: str  # "scorm12", "scorm2004" or "other"
    scos: list[Sco]
    start: int
    session: LaunchGrant
    session_token: str
    sequenced: bool = False  # SCORM 2004: the server's sequencer rules navigation (core/packages/navigation.py)


# --- signing ---------------------------------------------------------------------------------

def sign_grant(secret: bytes, purpose: str, grant: LaunchGrant) -> str:
    return signing.sign(secret, f"preview-{purpose}", asdict(grant))


def read_grant(secret: bytes, purpose: str, token: str, now: float | None = None) -> LaunchGrant:
    """The grant a token carries, if we signed it for `purpose` and it has not expired."""
    claims = signing.unsign(secret, f"preview-{purpose}", token)
    try:
        grant = LaunchGrant(**claims) if claims is not None else None
    except TypeError:
        grant = None
    if grant is None:
        raise NotAuthenticated("This launch link is not valid.", invalid=True)
    if grant.expires_at < (now or time.time()):
        raise NotAuthenticated("This launch link has expired.", invalid=True)
    return grant


# --- launch links ----------------------------------------------------------------------------

def preview_link(db: Session, actor: User, secret: bytes, course_id: str, version: int | None,
                 request: LaunchRequest, now: float | None = None) -> str:
    """The signed token of a preview launch link for a version of a course (None: the newest)."""
    course, row = packaged_version(db, actor, course_id, version)
    return create_launch_link(secret, course, row, request, now)


def create_launch_link(secret: bytes, course: Course, version: PackageVersion, request: LaunchRequest,
                       now: float | None = None) -> str:
    """The signed token of a preview launch link for `version` of `course`."""
    expiry = DEFAULT_EXPIRY if request.expiry in (None, 0) else request.expiry
    if not EXPIRY_RANGE[0] <= expiry <= EXPIRY_RANGE[1]:
        raise InvalidInput("expiry", f"expiry must be between {EXPIRY_RANGE[0]} and {EXPIRY_RANGE[1]} seconds")
    if request.css_url and not _is_web_url(request.css_url):
        raise InvalidInput("css_url", "css_url must be an absolute http or https URL")
    if request.culture and not _CULTURE.match(request.culture):
        raise InvalidInput("culture", "culture must be a language code such as en-US")
    if request.start_sco and all(sco.id != request.start_sco for sco in launchable_scos(version)):
        raise InvalidInput("start_sco", f"the course has no SCO '{request.start_sco}'")
    grant = LaunchGrant(
        course_id=course.id, version_id=version.id, expires_at=int((now or time.time()) + expiry),
        tracking=True if request.tracking is None else request.tracking, exit=_exit(request.redirect_on_exit_url),
        learner_id=request.learner_id or PREVIEW_LEARNER[0], learner_name=request.learner_name or PREVIEW_LEARNER[1],
        css_url=request.css_url or None, start_sco=request.start_sco or None, culture=request.culture or None,
        vault_rule=launch_vault.rule_claims(request.auth_type, request.vault),
    )
    return sign_grant(secret, "link", grant)


def _is_web_url(value: str) -> bool:
    parsed = urlparse(value)
    return parsed.scheme in ("http", "https") and bool(parsed.netloc)


def _exit(redirect: str | None) -> str:
    """SCORM Cloud's rule: a keyword, a URL, and anything else (empty, invalid) shows the message page."""
    if redirect in EXIT_KEYWORDS:
        return redirect
    return redirect if redirect and _is_web_url(redirect) else "message"


def open_launch_link(db: Session, secret: bytes, token: str, now: float | None = None,
                     browser: Browser | None = None) -> PlayerView:
    """Start a launch from a link: the player's view and the session token for its files and commits."""
    link = read_grant(secret, "link", token, now)
    version = live_version(db, link)
    return player_view(secret, version, session_of(link, str(uuid.uuid4()), now or time.time(), browser))


def session_of(link: LaunchGrant, registration: str, now: float, browser: Browser | None,
               version_id: int | None = None) -> LaunchGrant:
    """The player session a link opens in `browser` (bound to it when the link asked for a Content Vault)."""
    return replace(link, registration=registration, expires_at=int(now + SESSION_SECONDS),
                   version_id=link.version_id if version_id is None else version_id, vault_rule=None,
                   vault=launch_vault.bound(link.vault_rule, browser, now))


def session_vault(secret: bytes, session_token: str, now: float | None = None) -> dict | None:
    """The Content Vault binding of a valid player session (None: none), for `launch_vault.admit`."""
    return read_grant(secret, "session", session_token, now).vault


def player_view(secret: bytes, version: PackageVersion, session: LaunchGrant) -> PlayerView:
    """The player's view of a session on `version` (previews and registrations alike)."""
    scos = launchable_scos(version)
    if not scos:
        raise NotFound("launchable activity", "The course has nothing to launch.")
    start = next((i for i, sco in enumerate(scos) if sco.id == session.start_sco), 0)
    standard = runtime_standard(version.learning_standard)
    return PlayerView(title=version.title, standard=standard, scos=scos, start=start, session=session,
                      session_token=sign_grant(secret, "session", session), sequenced=standard == "scorm2004")


def live_version(db: Session, grant: LaunchGrant) -> PackageVersion:
    version = db.get(PackageVersion, grant.version_id)
    course = db.get(Course, grant.course_id)
    if version is None or course is None or version.course_id != course.id:
        raise NotFound("course", "The course of this launch no longer exists.")
    return version


def runtime_standard(learning_standard: str) -> str:
    if learning_standard.startswith("SCORM20"):
        return "scorm2004"
    return "scorm12" if learning_standard in ("SCORM12", "SCORM11") else "other"


def launchable_scos(version: PackageVersion) -> list[Sco]:
    """The activities with something to launch, in manifest order."""
    found: list[Sco] = []

    def walk(node: dict[str, Any]) -> None:
        if node.get("href") and node.get("activity_type") in ("SCO", "ASSET"):
            identifier = node.get("item_identifier") or node.get("external_identifier") or node["href"]
            found.append(Sco(identifier, node.get("title") or identifier, node["href"],
                             node.get("scaled_passing_score")))
        for kid in node.get("children") or []:
            walk(kid)

    walk((version.manifest or {}).get("root_activity") or {})
    return found


# --- the running player ----------------------------------------------------------------------

def package_file(db: Session, secret: bytes, session_token: str, path: str,
                 now: float | None = None) -> PackageFile:
    """The file at `path` in the launched version, if the session is valid."""
    session = read_grant(secret, "session", session_token, now)
    clean = posixpath.normpath("/" + path).lstrip("/")
    if not clean or clean != path.lstrip("/"):
        raise NotFound("file")
    found = db.scalar(select(PackageFile).where(PackageFile.version_id == session.version_id,
                                                PackageFile.path == clean))
    if found is None:
        raise NotFound("file")
    return found


def record_runtime(db: Session, secret: bytes, session_token: str, body: Any, now: float | None = None) -> int:
    """Turn one runtime event into statements when the launch is tracked; how many were new."""
    session = read_grant(secret, "session", session_token, now)
    event, sco_id, number, data = runtime_body(body)
    if not session.tracking:
        return 0
    version = live_version(db, session)
    sco = next((s for s in launchable_scos(version) if s.id == sco_id), None)
    if sco is None:
        raise InvalidInput("sco", f"the course has no SCO '{sco_id}'")
    standard = runtime_standard(version.learning_standard)
    passing = _float(sco.scaled_passing_score)
    state = statements.runtime_state(
        standard, data, scaled_passing_score=passing,
        mastery_score=passing * 100 if passing is not None and standard == "scorm12" else None)
    facts = statements.launch_facts(db, version, sco.id, sco.title, session.registration or "",
                                    session.learner_id, session.learner_name, session.culture)
    when = datetime.fromtimestamp(now or time.time(), UTC)
    made = statements.runtime_statements(facts, event, number, state, when)
    return statements.store_statements(db, version, session.learner_id, made, when)


def runtime_body(body: Any) -> tuple[str, str, int, dict[str, str]]:
    if not isinstance(body, dict):
        raise InvalidInput("body", "the runtime sends a JSON object")
    event, sco, number, data = body.get("event"), body.get("sco"), body.get("session", 1), body.get("data")
    if event not in RUNTIME_EVENTS:
        raise InvalidInput("event", f"event must be one of {', '.join(RUNTIME_EVENTS)}")
    if not isinstance(sco, str) or not sco:
        raise InvalidInput("sco", "sco names the SCO the data is about")
    if not isinstance(number, int) or number < 1:
        raise InvalidInput("session", "session is a positive integer")
    if not isinstance(data, dict) or len(data) > MAX_RUNTIME_VALUES or \
            not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise InvalidInput("data", "data maps data model elements to string values")
    return event, sco, number, data


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None
