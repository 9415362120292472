"""Configuration of a registration and of one of its instances: two more layers above the course's
(default -> application -> course -> registration -> instance), with the same catalogue and checks
as `package_settings`. Every effective value reports the level it came from."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from courseport.core.kit.errors import InvalidInput
from courseport.core.packages import attempts, package_settings
from courseport.core.packages.package_settings import EffectiveSetting
from courseport.core.packages.registrations import find_registration
from courseport.schema import Course, Registration, RegistrationSetting, User


def _scope(db: Session, actor: User, key: str, instance: int | None) -> tuple[Registration, int]:
    registration = find_registration(db, actor, key)
    attempt = attempts.attempt_of(db, registration, instance)
    return registration, attempt.version


def _values(db: Session, registration_id: int, instance: int | None) -> dict[str, str]:
    stmt = select(RegistrationSetting.name, RegistrationSetting.value).where(
        RegistrationSetting.registration_id == registration_id,
        RegistrationSetting.instance.is_(None) if instance is None else RegistrationSetting.instance == instance)
    return dict(db.execute(stmt).tuples().all())


def get_configuration(db: Session, actor: User, key: str, instance: int | None = None) -> list[EffectiveSetting]:
    registration, version = _scope(db, actor, key, instance)
    course = db.get(Course, registration.course_id)
    course_key = (course.scorm_course_id or "") if course is not None else ""
    from_course = package_settings.get_configuration(db, actor, course_key, version)
    layers = [("registration", _values(db, registration.id, None))]
    if instance is not None:
        layers.append(("instance", _values(db, registration.id, instance)))
    own = layers[-1][1]
    found = []
    for setting in from_course:
        value, source = setting.value, setting.source
        for name, values in layers:
            if setting.definition.id in values:
                value, source = values[setting.definition.id], name
        found.append(replace(setting, value=value, source=source, explicit=own.get(setting.definition.id)))
    return found


def set_configuration(db: Session, actor: User, key: str, instance: int | None,
                      values: list[tuple[str, object]]) -> None:
    checked = [(name, package_settings.checked_value(name, value)) for name, value in values]
    registration, _ = _scope(db, actor, key, instance)
    for name, value in checked:
        _clear(db, registration.id, instance, name)
        db.add(RegistrationSetting(registration_id=registration.id, instance=instance, name=name, value=value))
    db.flush()


def delete_setting(db: Session, actor: User, key: str, instance: int | None, setting_id: str) -> None:
    if setting_id not in package_settings.CATALOGUE:
        raise InvalidInput("setting_id", f"'{setting_id}' is not a known setting")
    registration, _ = _scope(db, actor, key, instance)
    _clear(db, registration.id, instance, setting_id)


def _clear(db: Session, registration_id: int, instance: int | None, name: str) -> None:
    db.execute(delete(RegistrationSetting).where(
        RegistrationSetting.registration_id == registration_id, RegistrationSetting.name == name,
        RegistrationSetting.instance.is_(None) if instance is None else RegistrationSetting.instance == instance))
