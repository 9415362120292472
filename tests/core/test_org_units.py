"""One org unit id namespace: every kind gets an id from one sequence whichever path made its row, any
id resolves without its kind, mappings go with their rows, a reset keeps the organization's, and
migration 0019 numbers existing rows with offerings keeping their course ids."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy import delete, select

from courseport.core.courses import org_units, sections
from courseport.core.courses.sections import SectionChanges
from courseport.core.identity import accounts, admin
from courseport.core.kit.errors import NotFound
from courseport.schema import Course, OrgUnitRow, Section, User
from tests.test_migrations import _insert, _upgrade


def test_every_creation_path_allocates_one_id_from_one_sequence(world):
    course = world.course("Biology")  # Canvas's course creation, with its default section
    with world.tx() as db:
        dept = accounts.create_account(db, "Science", accounts.ROOT_ACCOUNT_ID, sis_account_id="SCI")
        term = accounts.create_term(db, accounts.ROOT_ACCOUNT_ID, "Fall", sis_term_id="F1")
        section = sections.create_section(db, db.get_one(User, world.admin.id), str(course.id),
                                           SectionChanges({"name"}, name="Lab"))
        ids = {org_units.ORGANIZATION: org_units.organization(db, db.get_one(User, world.admin.id)).id,
               org_units.DEPARTMENT: org_units.org_unit_id_of(db, org_units.DEPARTMENT, dept.id),
               org_units.SEMESTER: org_units.org_unit_id_of(db, org_units.SEMESTER, term.id),
               org_units.COURSE_OFFERING: org_units.org_unit_id_of(db, org_units.COURSE_OFFERING, course.id),
               org_units.SECTION: org_units.org_unit_id_of(db, org_units.SECTION, section.id)}
        assert len(set(ids.values())) == len(ids)
        for kind, ou in ids.items():  # resolved by id alone
            unit = org_units.resolve(db, ou)
            assert (unit.id, unit.kind) == (ou, kind)
        assert org_units.ref_of(db, ids[org_units.SEMESTER], org_units.SEMESTER) == term.id
        with pytest.raises(NotFound):  # an id names one kind only
            org_units.ref_of(db, ids[org_units.SEMESTER], org_units.COURSE_OFFERING)
        default_section = db.scalar(select(Section.id).where(Section.course_id == course.id,
                                                              Section.default_section.is_(True)))
        default_term = accounts.default_term(db, accounts.ROOT_ACCOUNT_ID)
        for hidden in (org_units.org_unit_id_of(db, org_units.SECTION, default_section),
                       org_units.org_unit_id_of(db, org_units.SEMESTER, default_term.id)):
            with pytest.raises(NotFound):  # the offering stands for them
                org_units.resolve(db, hidden)


def test_a_deleted_row_takes_its_id_with_it_even_in_bulk(world):
    course = world.course("Gone")
    with world.tx() as db:
        ou = org_units.org_unit_id_of(db, org_units.COURSE_OFFERING, course.id)
        db.execute(delete(Section).where(Section.course_id == course.id))
        db.execute(delete(Course).where(Course.id == course.id))
    with world.tx() as db:
        assert db.get(OrgUnitRow, ou) is None
        with pytest.raises(NotFound):
            org_units.resolve(db, ou)


def test_a_reset_keeping_admins_keeps_the_organization_id(world):
    with world.tx() as db:
        before = org_units.organization(db, db.get_one(User, world.admin.id)).id
        admin.reset_store(db, keep_admins=True)
    with world.tx() as db:
        assert org_units.organization(db, db.get_one(User, world.admin.id)).id == before


def test_0019_numbers_existing_rows_and_offerings_keep_their_course_ids(empty_store):
    _upgrade(empty_store, "0018_term_details")
    with empty_store.begin() as conn:
        root = _insert(conn, "accounts", name="Root", parent_account_id=None, root_account_id=None)
        dept = _insert(conn, "accounts", name="Dept", parent_account_id=root, root_account_id=root)
        term = _insert(conn, "terms", root_account_id=root, name="Default Term")
        made = [_insert(conn, "courses", account_id=dept, root_account_id=root, enrollment_term_id=term,
                        course_template_id=None) for _ in range(3)]
        section = _insert(conn, "sections", course_id=made[0], nonxlist_course_id=None)
    _upgrade(empty_store, "0019_org_units")
    with empty_store.begin() as conn:
        rows = conn.execute(sa.text("SELECT id, kind, account_id, term_id, course_id, section_id FROM org_units "
                                    "ORDER BY id")).all()
        assert [(r.id, r.kind) for r in rows if r.course_id is not None] == [(c, "course_offering") for c in made]
        others = {(r.kind, r.account_id or r.term_id or r.section_id) for r in rows if r.course_id is None}
        assert others == {("organization", root), ("department", dept), ("semester", term), ("section", section)}
        assert min(r.id for r in rows if r.course_id is None) > max(made)
        # the sequence goes on past every id the backfill wrote (PostgreSQL's included)
        new = conn.execute(sa.text("INSERT INTO org_units (kind) VALUES ('department') RETURNING id")).scalar_one()
        assert new > max(r.id for r in rows)
