"""Signed tokens: claims round-trip under their purpose; other purposes, secrets or edits fail."""

from courseport.core.kit import signing

SECRET = b"s" * 32


def test_claims_round_trip():
    token = signing.sign(SECRET, "upload", {"a": 1, "b": "x"})
    assert signing.unsign(SECRET, "upload", token) == {"a": 1, "b": "x"}


def test_another_purpose_or_secret_fails():
    token = signing.sign(SECRET, "upload", {"a": 1})
    assert signing.unsign(SECRET, "preview-link", token) is None
    assert signing.unsign(b"t" * 32, "upload", token) is None


def test_tampered_or_malformed_tokens_fail():
    body, mac = signing.sign(SECRET, "upload", {"a": 1}).split(".")
    forged = signing.b64(b'{"a":2}')
    assert signing.unsign(SECRET, "upload", f"{forged}.{mac}") is None
    for junk in ("", "abc", "a.b.c", f"{body}.", "!!.??"):
        assert signing.unsign(SECRET, "upload", junk) is None
