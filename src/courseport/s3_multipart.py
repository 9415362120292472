"""Multipart uploads a killed writer left behind on S3: listed and aborted by the collector.

An upload in progress is invisible to a listing of keys and keeps its parts (and their cost) until it
is completed or aborted. obstore aborts the uploads it fails or is told to abort, but a process killed
mid-upload cannot; obstore has no call that lists uploads, so this module makes the two S3 requests
itself (ListMultipartUploads, AbortMultipartUpload), signed with AWS Signature Version 4 from the
static credentials of the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN).
Without them (instance or container credentials) it does nothing and says so once: a bucket lifecycle
rule (AbortIncompleteMultipartUpload) then does the job, as docs/deploy.md says.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote, urlsplit

import httpx
from defusedxml import ElementTree

log = logging.getLogger("courseport.blobs")
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
ENDPOINT_VARIABLES = ("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL", "AWS_ENDPOINT")
_warned = [False]


@dataclass(frozen=True)
class Credentials:
    access_key: str
    secret_key: str
    token: str | None
    region: str

    @classmethod
    def from_env(cls) -> Credentials | None:
        access, secret = os.environ.get("AWS_ACCESS_KEY_ID"), os.environ.get("AWS_SECRET_ACCESS_KEY")
        if not access or not secret:
            return None
        region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
        return cls(access, secret, os.environ.get("AWS_SESSION_TOKEN") or None, region)


def configured_endpoint() -> str | None:
    """The S3 endpoint the environment names, in obstore's order; None: AWS itself."""
    return next((os.environ[n] for n in ENDPOINT_VARIABLES if os.environ.get(n)), None)


def bucket_base(bucket: str, region: str) -> str:
    """The bucket's URL: path style under a configured endpoint, virtual-hosted style on AWS."""
    endpoint = configured_endpoint()
    if endpoint:
        return f"{endpoint.rstrip('/')}/{bucket}"
    return f"https://{bucket}.s3.{region}.amazonaws.com"


def canonical_query(query: dict[str, str]) -> str:
    return "&".join(f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}" for k, v in sorted(query.items()))


def signed_headers(method: str, url: str, query: dict[str, str], creds: Credentials,
                   now: datetime | None = None) -> dict[str, str]:
    """The headers that sign a body-less request (AWS Signature Version 4, service s3). `url` has no
    query and its path is already percent-encoded, as sent."""
    now = now or datetime.now(UTC)
    stamp, day = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
    parts = urlsplit(url)
    headers = {"host": parts.netloc, "x-amz-content-sha256": EMPTY_SHA256, "x-amz-date": stamp}
    if creds.token:
        headers["x-amz-security-token"] = creds.token
    names = sorted(headers)
    canonical = "\n".join([method, parts.path or "/", canonical_query(query),
                           "".join(f"{n}:{headers[n].strip()}\n" for n in names), ";".join(names), EMPTY_SHA256])
    scope = f"{day}/{creds.region}/s3/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", stamp, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = f"AWS4{creds.secret_key}".encode()
    for part in (day, creds.region, "s3", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    headers["authorization"] = (f"AWS4-HMAC-SHA256 Credential={creds.access_key}/{scope}, "
                                f"SignedHeaders={';'.join(names)}, Signature={signature}")
    return headers


@dataclass(frozen=True)
class Upload:
    key: str
    upload_id: str
    initiated: datetime


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(node: ElementTree.Element, name: str) -> str:
    return next((c.text or "" for c in node if _local(c.tag) == name), "")


def _send(client: httpx.Client, method: str, url: str, query: dict[str, str], creds: Credentials) -> httpx.Response:
    return client.request(method, f"{url}?{canonical_query(query)}",
                          headers=signed_headers(method, url, query, creds))


def _pages(client: httpx.Client, url: str, query: dict[str, str], creds: Credentials,
           markers: dict[str, str]) -> Iterator[ElementTree.Element]:
    """Each page of a listing; `markers` maps the next request's marker parameters to answer fields."""
    while True:
        answer = _send(client, "GET", url, query, creds)
        answer.raise_for_status()
        root = ElementTree.fromstring(answer.content)
        yield root
        if _child(root, "IsTruncated") != "true":
            return
        query = {**query, **{param: _child(root, field) for param, field in markers.items()}}


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def list_uploads(client: httpx.Client, base: str, prefix: str, creds: Credentials) -> Iterator[Upload]:
    """Every multipart upload in progress under `prefix` (a full key prefix), page by page."""
    markers = {"key-marker": "NextKeyMarker", "upload-id-marker": "NextUploadIdMarker"}
    for page in _pages(client, base + "/", {"uploads": "", "prefix": prefix}, creds, markers):
        for node in page:
            if _local(node.tag) == "Upload":
                yield Upload(_child(node, "Key"), _child(node, "UploadId"), _when(_child(node, "Initiated")))


def last_activity(client: httpx.Client, url: str, upload: Upload, creds: Credentials) -> datetime:
    """When the upload last received a part (its start if none): a writer in flight keeps it recent."""
    latest = upload.initiated
    markers = {"part-number-marker": "NextPartNumberMarker"}
    for page in _pages(client, url, {"uploadId": upload.upload_id}, creds, markers):
        for node in page:
            if _local(node.tag) == "Part":
                latest = max(latest, _when(_child(node, "LastModified")))
    return latest


def abort_stale_uploads(store_url: str, tmp: str, cutoff: float) -> int:
    """Abort the multipart uploads under the store's `tmp` keys untouched since `cutoff` (started before it,
    no part received after it); how many."""
    creds = Credentials.from_env()
    if creds is None:
        if not _warned[0]:
            _warned[0] = True
            log.info("no static S3 credentials in the environment: multipart uploads left by killed writers "
                     "are left to the bucket's AbortIncompleteMultipartUpload lifecycle rule")
        return 0
    parsed = urlsplit(store_url)
    prefix = "/".join(p for p in (parsed.path.strip("/"), tmp) if p)
    base = bucket_base(parsed.netloc, creds.region)
    aborted = 0
    with httpx.Client(timeout=30.0) as client:
        for upload in list(list_uploads(client, base, prefix, creds)):
            url = f"{base}/{quote(upload.key, safe='/-_.~')}"
            if max(upload.initiated, last_activity(client, url, upload, creds)).timestamp() >= cutoff:
                continue  # a writer may still be sending parts
            answer = _send(client, "DELETE", url, {"uploadId": upload.upload_id}, creds)
            if answer.status_code not in (204, 404):
                answer.raise_for_status()
            aborted += 1
    return aborted
