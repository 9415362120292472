"""Canvas user settings and custom colors routes: GET|PUT /users/:id/settings, GET /users/:id/colors,
GET|PUT /users/:id/colors/:asset_string. Bodies are Canvas's bare objects (`{"hexcode": "#abc123"}`)."""

from __future__ import annotations

from courseport.core.courses import custom_colors
from courseport.core.identity import user_settings
from courseport.core.identity.user_settings import SettingsChanges
from courseport.dialects.canvas.protocol import Call, get, put


@get("/users/{user_id:str}/settings")
def get_settings(call: Call, user_id: str) -> dict:
    with call.read() as (db, me):
        return user_settings.get_settings(db, me, user_id)


@put("/users/{user_id:str}/settings")
def update_settings(call: Call, user_id: str) -> dict:
    # Names other than the settings are ignored, as Canvas ignores them.
    changes = SettingsChanges(**{name: bool(call.bool(name)) for name in user_settings.SETTINGS if call.has(name)})
    with call.write() as (db, me):
        return user_settings.update_settings(db, me, user_id, changes)


@get("/users/{user_id:str}/colors")
def list_colors(call: Call, user_id: str) -> dict:
    with call.read() as (db, me):
        return {"custom_colors": custom_colors.list_colors(db, me, user_id)}


@get("/users/{user_id:str}/colors/{asset:str}")
def get_color(call: Call, user_id: str, asset: str) -> dict:
    with call.read() as (db, me):
        return {"hexcode": custom_colors.get_color(db, me, user_id, asset)}


@put("/users/{user_id:str}/colors/{asset:str}")
def set_color(call: Call, user_id: str, asset: str) -> dict:
    hexcode = call.str("hexcode")
    with call.write() as (db, me):
        return {"hexcode": custom_colors.set_color(db, me, user_id, asset, hexcode)}


ROUTES = [get_settings, update_settings, list_colors, get_color, set_color]
