"""The OpenAPI description Litestar generates for the admin API and the controls, at /_courseport/schema
(JSON; /_courseport/schema/openapi.yaml in YAML). The four faces are left out: each follows its vendor's
own reference."""

from __future__ import annotations

from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin, YamlRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme

from courseport import __version__

ADMIN_TOKEN = ("A token of an administrator of the caller's tenant (its root account); the tenant routes need "
               "root account 1's")

CONTROLS_OPENAPI = OpenAPIConfig(
    title="courseport admin API and stand-in controls", version=__version__, path="/_courseport/schema",
    description="Every route needs `Authorization: Bearer <token>` of an administrator of the caller's tenant "
                "(a root account); errors have the Canvas body `{\"errors\": [{\"message\": ..., \"field\": ...}]}`.",
    render_plugins=[JsonRenderPlugin(path=["/", "/openapi.json"]), YamlRenderPlugin(path="/openapi.yaml")],
    components=Components(security_schemes={"admin_token": SecurityScheme(
        type="http", scheme="bearer", description=ADMIN_TOKEN)}),
    security=[{"admin_token": []}])
