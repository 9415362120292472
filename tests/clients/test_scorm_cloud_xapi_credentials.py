"""rustici-software-cloud-v2, unmodified, drives the xAPI Service's credentials against the live server:
create, list (with `more` paging), get, replace and delete; the stored rows checked after each call."""

from __future__ import annotations

import json

import pytest
from rustici_software_cloud_v2 import (
    ApiClient,
    Configuration,
    XapiApi,
    XapiCredentialPostSchema,
    XapiCredentialPutSchema,
)
from rustici_software_cloud_v2.rest import ApiException
from sqlalchemy import select

from courseport.schema import XapiCredential


@pytest.fixture
def xapi(world) -> XapiApi:
    app_id, secret = world.scorm_app()
    cfg = Configuration()
    cfg.host, cfg.username, cfg.password = world.base_url + "/api/v2/", app_id, secret
    return XapiApi(ApiClient(cfg))


def stored(world) -> list[tuple]:
    with world.tx() as db:
        return [(r.id, r.name, r.info, r.secret, r.enabled, r.auth, r.permissions)
                for r in db.scalars(select(XapiCredential).order_by(XapiCredential.created_at))]


def test_create_list_get_replace_and_delete_a_credential(xapi, world):
    made = xapi.create_xapi_credential(XapiCredentialPostSchema(
        name="Quiz tool", info="the quiz app", secret="s3cret-value", is_enabled=True, auth="BASICAUTH",
        permissions_level="READONLY"))
    assert made.result and len(made.result) == 16
    assert stored(world) == [(made.result, "Quiz tool", "the quiz app", "s3cret-value", True, "basic", "readonly")]

    found = xapi.get_xapi_credential(made.result)
    assert (found.id, found.name, found.info, found.secret, found.is_enabled) == (
        made.result, "Quiz tool", "the quiz app", "s3cret-value", True)

    listed = xapi.get_xapi_credentials()
    assert [c.id for c in listed.xapi_credentials] == [made.result] and listed.more is None

    xapi.set_xapi_credential(made.result, XapiCredentialPutSchema(
        name="Quiz tool 2", secret="n3w-secret", is_enabled=False, auth="BASICAUTH", permissions_level="WRITEONLY"))
    assert stored(world) == [(made.result, "Quiz tool 2", None, "n3w-secret", False, "basic", "writeonly")]
    again = xapi.get_xapi_credential(made.result)
    assert (again.name, again.secret, again.is_enabled) == ("Quiz tool 2", "n3w-secret", False)

    xapi.delete_xapi_credential(made.result)
    assert stored(world) == []
    with pytest.raises(ApiException) as missing:
        xapi.get_xapi_credential(made.result)
    assert missing.value.status == 404
    assert json.loads(missing.value.body) == {"message": f"xAPI credential '{made.result}' not found"}


def test_the_list_pages_by_more(xapi, world, monkeypatch):
    from courseport.core.packages import xapi_credentials

    monkeypatch.setattr(xapi_credentials, "PAGE_SIZE", 2)
    ids = [xapi.create_xapi_credential(XapiCredentialPostSchema(
        name=f"tool {i}", secret=f"secret-{i}", is_enabled=True, auth="BASICAUTH", permissions_level="DEFAULT")).result
        for i in range(3)]
    first = xapi.get_xapi_credentials()
    assert [c.name for c in first.xapi_credentials] == ["tool 0", "tool 1"] and first.more
    rest = xapi.get_xapi_credentials(more=first.more)
    assert [c.id for c in rest.xapi_credentials] == ids[2:] and rest.more is None
