"""Usage rights of course files: why the course may use a file (its justification), the license it is shared
under and who holds its copyright, set on many files at once (named, or every file under named folders), and
the licenses a course's files may carry."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from courseport.core.content import files
from courseport.core.content.folders import subtree_ids
from courseport.core.courses.courses import readable_course
from courseport.core.identity.permissions import require
from courseport.core.kit.errors import InvalidInput
from courseport.schema import File, Folder, User

JUSTIFICATIONS = ("own_copyright", "used_by_permission", "fair_use", "public_domain", "creative_commons")


@dataclass(frozen=True)
class License:
    id: str
    name: str
    url: str


LICENSES = (
    License("private", "Private (Copyrighted)", "http://en.wikipedia.org/wiki/Copyright"),
    License("public_domain", "Public Domain", "http://en.wikipedia.org/wiki/Public_domain"),
    License("cc_by", "CC Attribution", "http://creativecommons.org/licenses/by/4.0"),
    License("cc_by_sa", "CC Attribution Share Alike", "http://creativecommons.org/licenses/by-sa/4.0"),
    License("cc_by_nc", "CC Attribution Non-Commercial", "http://creativecommons.org/licenses/by-nc/4.0"),
    License("cc_by_nc_sa", "CC Attribution Non-Commercial Share Alike",
            "http://creativecommons.org/licenses/by-nc-sa/4.0"),
    License("cc_by_nd", "CC Attribution No Derivatives", "http://creativecommons.org/licenses/by-nd/4.0"),
    License("cc_by_nc_nd", "CC Attribution Non-Commercial No Derivatives",
            "http://creativecommons.org/licenses/by-nc-nd/4.0"),
)
_BY_ID = {lic.id: lic for lic in LICENSES}
_CREATIVE = tuple(lic.id for lic in LICENSES if lic.id.startswith("cc_"))


@dataclass(frozen=True)
class UsageRights:
    """What a file carries: its justification, license and copyright holder."""

    use_justification: str
    license: str
    legal_copyright: str | None

    @property
    def license_name(self) -> str:
        return _BY_ID[self.license].name


def of_file(file: File) -> UsageRights | None:
    """The file's usage rights, None when none were set."""
    if file.use_justification is None:
        return None
    return UsageRights(file.use_justification, file.license or "private", file.legal_copyright)


def course_licenses(db: Session, actor: User, course_ref: str | int) -> tuple[License, ...]:
    readable_course(db, actor, course_ref)
    return LICENSES


def checked_rights(use_justification: str | None, license: str | None, legal_copyright: str | None) -> UsageRights:
    """The rights as given, checked: a known justification, and for creative_commons a Creative Commons license
    (public_domain is its own license; every other justification keeps the file private)."""
    if use_justification is None:
        raise InvalidInput("use_justification", "use_justification is required")
    if use_justification not in JUSTIFICATIONS:
        raise InvalidInput("use_justification", f"use_justification must be one of {', '.join(JUSTIFICATIONS)}")
    if use_justification == "creative_commons":
        if license not in _CREATIVE:
            raise InvalidInput("license", f"license must be one of {', '.join(_CREATIVE)} for creative_commons")
    else:
        if license is not None and license not in _BY_ID:
            raise InvalidInput("license", f"license must be one of {', '.join(_BY_ID)}")
        license = "public_domain" if use_justification == "public_domain" else "private"
    return UsageRights(use_justification, license, (legal_copyright or "").strip() or None)


def set_usage_rights(db: Session, actor: User, course_ref: str | int, rights: UsageRights, file_ids: list[int],
                     folder_ids: list[int], *, publish: bool = False) -> list[int]:
    """Give the course's named files, and every file under its named folders, these rights (publishing them when
    asked): the ids of the files changed. Ids of other courses' files or folders are passed over, as Canvas does;
    naming none of the course's is refused."""
    chosen = _chosen_files(db, actor, course_ref, file_ids, folder_ids)
    for file in chosen:
        files.check_change(db, file, {"use_justification", "license", "legal_copyright"}
                           | ({"locked"} if publish and file.locked else set()))
    for file in chosen:
        file.use_justification, file.license, file.legal_copyright = (
            rights.use_justification, rights.license, rights.legal_copyright)
        if publish:
            file.locked = False
        file.updated_at = files.stamp()
    db.flush()
    return [f.id for f in chosen]


def remove_usage_rights(db: Session, actor: User, course_ref: str | int, file_ids: list[int],
                        folder_ids: list[int]) -> list[int]:
    """Clear the rights of the course's named files and those under its named folders: the ids of the files."""
    chosen = _chosen_files(db, actor, course_ref, file_ids, folder_ids)
    for file in chosen:
        files.check_change(db, file, {"use_justification", "license", "legal_copyright"})
    for file in chosen:
        file.use_justification = file.license = file.legal_copyright = None
        file.updated_at = files.stamp()
    db.flush()
    return [f.id for f in chosen]


def _chosen_files(db: Session, actor: User, course_ref: str | int, file_ids: list[int],
                  folder_ids: list[int]) -> list[File]:
    course, course_rights = readable_course(db, actor, course_ref)
    require(course_rights, "manage_files")
    folders = db.scalars(select(Folder).where(Folder.course_id == course.id, Folder.id.in_(folder_ids))).all() \
        if folder_ids else []
    under = {fid for folder in folders for fid in subtree_ids(db, folder)}
    chosen = db.scalars(select(File).where(
        File.course_id == course.id, File.workflow_state != "deleted",
        or_(File.id.in_(file_ids), File.folder_id.in_(under))).order_by(File.id)).all() \
        if file_ids or under else []
    if not chosen:
        raise InvalidInput("file_ids", "No 'file_ids' or 'folder_ids' specified")
    return list(chosen)
