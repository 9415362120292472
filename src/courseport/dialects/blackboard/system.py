"""Learn system information: the version this server answers as."""

from __future__ import annotations

from courseport import __version__
from courseport.dialects.blackboard.protocol import Call, get

# We follow the 3900.123.0 swagger but report 3900.102.0: bbrest 0.5.0 compares versions as strings
# and builds every method "since" the reported one; from 3900.103.0 on that includes
# GetExceptionsByIds, whose untyped body property crashes it at start. Our paths are the same in both.
LEARN_VERSION = {"major": 3900, "minor": 102, "patch": 0}


@get("/v1/system/version")
def get_version(call: Call) -> dict:
    call.require_token()
    return call.pick({"learn": {**LEARN_VERSION, "build": f"courseport-{__version__}"}})


ROUTES = [get_version]
