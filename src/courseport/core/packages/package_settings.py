"""Configuration of packaged courses: a catalogue of settings with their metadata, and explicit
values layered default -> application -> course -> version. Every effective value reports where
it came from (a version's own value reports `course`, the finest level SCORM Cloud names).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from courseport.core.kit.errors import InvalidInput, NotFound
from courseport.core.kit.ids import store_id
from courseport.core.packages.scorm_courses import packaged_course, require_app_admin
from courseport.schema import PackageVersion, SettingValue, User

SCORM_2004 = ("SCORM20042NDEDITION", "SCORM20043RDEDITION", "SCORM20044THEDITION")
ALL_STANDARDS = ("SCORM11", "SCORM12", *SCORM_2004, "AICC", "XAPI", "CMI5")
_LAUNCH = ("FRAMESET", "NEW_WINDOW", "NEW_WINDOW_AFTER_CLICK", "NEW_WINDOW_WITHOUT_BROWSER_TOOLBAR",
           "NEW_WINDOW_AFTER_CLICK_WITHOUT_BROWSER_TOOLBAR")


@dataclass(frozen=True)
class SettingDefinition:
    id: str
    default: str
    data_type: str  # string, bool, integer, enum
    description: str
    learning_standards: tuple[str, ...] = ALL_STANDARDS
    valid_values: tuple[tuple[str, str], ...] = ()
    level: str = "course"


def _enum(values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((v, v.replace("_", " ").lower()) for v in values)


CATALOGUE = {d.id: d for d in (
    SettingDefinition("PlayerLaunchType", "FRAMESET", "enum", "How the player window opens the course",
                      valid_values=_enum(_LAUNCH)),
    SettingDefinition("PlayerScoLaunchType", "FRAMESET", "enum", "How the player opens each SCO",
                      valid_values=_enum(_LAUNCH)),
    SettingDefinition("PlayerCaptureHistory", "true", "bool", "Record the history of runtime interactions"),
    SettingDefinition("PlayerCommitFrequency", "10000", "integer", "Milliseconds between automatic commits"),
    SettingDefinition("PlayerDesiredWidth", "1024", "integer", "Width of a new player window, in pixels"),
    SettingDefinition("PlayerDesiredHeight", "768", "integer", "Height of a new player window, in pixels"),
    SettingDefinition("PlayerPreventRightClick", "false", "bool", "Block the context menu inside the player"),
    SettingDefinition("PlayerStatusRollupModeValue", "STATUS_PROVIDED_BY_COURSE", "enum",
                      "How the course's completion is derived", ("SCORM11", "SCORM12"),
                      _enum(("STATUS_PROVIDED_BY_COURSE", "COMPLETE_WHEN_ALL_UNITS_COMPLETE",
                             "COMPLETE_WHEN_THRESHOLD_SCORE_MET"))),
    SettingDefinition("PlayerScoreRollupModeValue", "SCORE_PROVIDED_BY_COURSE", "enum",
                      "How the course's score is derived", ("SCORM11", "SCORM12"),
                      _enum(("SCORE_PROVIDED_BY_COURSE", "AVERAGE_SCORE_OF_ALL_UNITS",
                             "AVERAGE_SCORE_OF_ALL_UNITS_WITH_SCORES"))),
    SettingDefinition("PlayerInvalidMenuItemAction", "SHOW", "enum",
                      "What the course menu does with items sequencing forbids", SCORM_2004,
                      _enum(("SHOW", "HIDE", "DISABLE"))),
    SettingDefinition("PlayerCourseStructureStartsOpen", "true", "bool", "Show the course menu when launched"),
    SettingDefinition("ApiSaveSuspendData", "true", "bool", "Keep suspend data between attempts"),
)}


@dataclass(frozen=True)
class EffectiveSetting:
    definition: SettingDefinition
    value: str
    source: str  # default, application, course
    explicit: str | None  # the value set at the level asked about, if any


def _definition(setting_id: str, field: str = "setting_id") -> SettingDefinition:
    definition = CATALOGUE.get(setting_id)
    if definition is None:
        raise InvalidInput(field, f"'{setting_id}' is not a known setting")
    return definition


def checked_value(setting_id: str, value: object) -> str:
    definition = _definition(setting_id)
    text = "" if value is None else str(value).strip()
    if definition.data_type == "bool":
        if text.lower() not in ("true", "false"):
            raise InvalidInput(setting_id, f"{setting_id} must be true or false, got {value!r}")
        return text.lower()
    if definition.data_type == "integer" and store_id(text.lstrip("-")) is None:
        raise InvalidInput(setting_id, f"{setting_id} must be an integer, got {value!r}")
    if definition.valid_values and text not in {v for v, _ in definition.valid_values}:
        allowed = ", ".join(v for v, _ in definition.valid_values)
        raise InvalidInput(setting_id, f"{setting_id} must be one of {allowed}, got {value!r}")
    return text


def _scope(db: Session, actor: User, course_id: str | None, version: int | None) -> tuple[int | None, int | None]:
    """(course row id, version) of the level asked about; application level is (None, None)."""
    if course_id is None:
        require_app_admin(db, actor)
        return None, None
    course = packaged_course(db, actor, course_id)
    if version is not None and db.scalar(select(PackageVersion.id).where(
            PackageVersion.course_id == course.id, PackageVersion.version == version)) is None:
        raise NotFound("version", f"Course '{course_id}' has no version {version}")
    return course.id, version


def _level(course_row: int | None, version: int | None) -> str:
    return "application" if course_row is None else "course" if version is None else "version"


def _values(db: Session, level: str, course_row: int | None, version: int | None) -> dict[str, str]:
    stmt = select(SettingValue.name, SettingValue.value).where(SettingValue.level == level)
    stmt = stmt.where(SettingValue.course_id.is_(None) if course_row is None else SettingValue.course_id == course_row)
    stmt = stmt.where(SettingValue.version.is_(None) if version is None else SettingValue.version == version)
    return dict(db.execute(stmt).tuples().all())


def get_configuration(db: Session, actor: User, course_id: str | None = None,
                      version: int | None = None) -> list[EffectiveSetting]:
    course_row, version = _scope(db, actor, course_id, version)
    layers = [("application", _values(db, "application", None, None))]
    if course_row is not None:
        layers.append(("course", _values(db, "course", course_row, None)))
    if version is not None:
        layers.append(("course", _values(db, "version", course_row, version)))
    own = layers[-1][1]
    settings = []
    for definition in CATALOGUE.values():
        value, source = definition.default, "default"
        for name, values in layers:
            if definition.id in values:
                value, source = values[definition.id], name
        settings.append(EffectiveSetting(definition, value, source, own.get(definition.id)))
    return settings


def set_configuration(db: Session, actor: User, course_id: str | None, version: int | None,
                      values: list[tuple[str, object]]) -> None:
    """Set explicit values at one level; every value is checked before any is written."""
    checked = [(_definition(name, "settings").id, checked_value(name, value)) for name, value in values]
    course_row, version = _scope(db, actor, course_id, version)
    level = _level(course_row, version)
    for name, value in checked:
        _clear(db, level, course_row, version, name)
        db.add(SettingValue(level=level, course_id=course_row, version=version, name=name, value=value))
    db.flush()


def delete_setting(db: Session, actor: User, course_id: str | None, version: int | None, setting_id: str) -> None:
    _definition(setting_id)
    course_row, version = _scope(db, actor, course_id, version)
    _clear(db, _level(course_row, version), course_row, version, setting_id)


def _clear(db: Session, level: str, course_row: int | None, version: int | None, name: str) -> None:
    stmt = delete(SettingValue).where(SettingValue.level == level, SettingValue.name == name)
    stmt = stmt.where(SettingValue.course_id.is_(None) if course_row is None else SettingValue.course_id == course_row)
    stmt = stmt.where(SettingValue.version.is_(None) if version is None else SettingValue.version == version)
    db.execute(stmt)

