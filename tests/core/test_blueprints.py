"""Blueprint templates, associations and restrictions in the core: one blueprint per course, the
account tree, course-level and by-object-type defaults for restricted items, unsynced changes."""

from __future__ import annotations

import pytest

from courseport.core.blueprints import blueprints
from courseport.core.content import content
from courseport.core.identity import accounts
from courseport.core.kit.errors import InvalidInput
from courseport.core.kit.paging import Window
from courseport.schema import ContentItem, User
from tests.core.test_blueprint_sync import _associate, _copy, _sync


def _admin(db, world):
    return db.get(User, world.admin.id)


def test_only_courses_of_the_account_tree_and_one_blueprint_each(world):
    with world.tx() as db:
        sub = accounts.create_account(db, "Science", 1).id
        elsewhere = accounts.create_account(db, "Elsewhere", 1).id
    bp = world.course("BP", account_id=sub, blueprint=True)
    inside, outside = world.course("In", account_id=sub), world.course("Out", account_id=elsewhere)
    with world.tx() as db:
        with pytest.raises(InvalidInput) as refused:
            blueprints.update_associations(db, _admin(db, world), bp.id, "default", [str(outside.id)], [])
        assert refused.value.message == f"invalid courses: {outside.id}"
    _associate(world, bp, [inside.id])
    with world.tx() as db:
        page = blueprints.associated_courses(db, _admin(db, world), bp.id, "default", Window(0, 10))
        assert [(c.id, term) for c, term in page.items] == [(inside.id, "Default Term")]
        [view] = blueprints.subscriptions(db, _admin(db, world), inside.id)
        assert view.blueprint.id == bp.id


def test_restricted_items_use_course_defaults_by_object_type(world):
    bp = world.course("BP", blueprint=True, use_blueprint_restrictions_by_object_type=True,
                      blueprint_restrictions={"content": True},
                      blueprint_restrictions_by_object_type={"wiki_page": {"availability_dates": True}})
    kid = world.course("Section")
    essay = world.assignment(bp, "Essay")
    with world.tx() as db:
        page = content.create_item(db, bp.id, "page", {"title": "P", "slug": "p", "data": {}})
    _associate(world, bp, [kid.id])
    with world.tx() as db:
        for typ, item in (("assignment", essay.id), ("wiki_page", page.id)):
            blueprints.restrict_item(db, _admin(db, world), bp.id, "default", typ, str(item), True, None)
    _sync(world, bp)
    page_copy, essay_copy = _copy(world, kid.id, page.id), _copy(world, kid.id, essay.id)
    with world.tx() as db:
        content.update_item(db, db.get(ContentItem, page_copy.id), {"title": "Mine"})  # content is free on pages
        with pytest.raises(InvalidInput):
            content.update_item(db, db.get(ContentItem, essay_copy.id), {"title": "Mine"})
    with world.tx() as db:
        with pytest.raises(InvalidInput):
            content.update_item(db, db.get(ContentItem, page_copy.id), {"unlock_at": essay_copy.created_at})
    with world.tx() as db:
        _, changes = blueprints.unsynced_changes(db, _admin(db, world), bp.id, "default", Window(0, 10))
        assert changes.items == []
