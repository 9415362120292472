"""Product versions: which lp/le API versions this service answers to, and the bulk check."""

from __future__ import annotations

from typing import Any

from courseport.core.kit.errors import InvalidInput, NotFound
from courseport.dialects.d2l.protocol import STRING, UNSTABLE, VERSIONS, Call, block_fields, get, post


def render_product(product: str) -> dict[str, Any]:
    known = VERSIONS[product]
    supported = [*known, UNSTABLE] if product == "le" else list(known)
    return {"ProductCode": product, "LatestVersion": known[-1], "SupportedVersions": supported}


def _product(code: str) -> str:
    if code not in VERSIONS:
        raise NotFound("product", f"No such product: {code}.")
    return code


def _supported(product: str, version: str) -> bool:
    return version in render_product(product)["SupportedVersions"]


@get(["/api/versions", "/api/versions/"])
def all_versions(call: Call) -> list:
    call.check_credentials()
    return [render_product(p) for p in VERSIONS]


# One path per product: a static segment ("lp") outranks a parameter in the router, so
# "/api/{product}/versions" would never be reached past "/api/lp/{version}/...".
@get([f"/api/{p}/versions" for p in VERSIONS])
def product_versions(call: Call) -> dict:
    call.check_credentials()
    return render_product(_product(call.product))


@get([f"/api/{p}/versions/{{version:str}}" for p in VERSIONS])
def product_version(call: Call, version: str) -> dict:
    call.check_credentials()
    product = _product(call.product)
    return {"Supported": _supported(product, version), "LatestVersion": VERSIONS[product][-1]}


@post("/api/versions/check")
def check_versions(call: Call) -> dict:
    call.check_credentials()
    asked = call.json()
    if not isinstance(asked, list) or not all(isinstance(a, dict) for a in asked):
        raise InvalidInput("body", "The request body must be a JSON array of SupportedVersionRequest blocks.")
    wanted = [block_fields(a, {"ProductCode": (STRING, True), "Version": (STRING, True)}) for a in asked]
    supported = all(w["ProductCode"] in VERSIONS and _supported(w["ProductCode"], w["Version"]) for w in wanted)
    products = dict.fromkeys(w["ProductCode"] for w in wanted if w["ProductCode"] in VERSIONS)
    return {"Supported": supported, "Versions": [render_product(p) for p in products]}


ROUTES = [all_versions, product_versions, product_version, check_versions]
