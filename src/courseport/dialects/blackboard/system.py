"""Learn system information: the version this server answers as."""

from __future__ import annotations

from courseport import __version__
from courseport.dialects.blackboard.protocol import Call, get

# The Learn release whose public API (swagger 3900.123.0) this dialect follows.
LEARN_VERSION = {"major": 3900, "minor": 123, "patch": 0}


@get("/v1/system/version")
def get_version(call: Call) -> dict:
    call.require_token()
    return call.pick({"learn": {**LEARN_VERSION, "build": f"courseport-{__version__}"}})


ROUTES = [get_version]
