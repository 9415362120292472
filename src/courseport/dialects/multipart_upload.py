"""Streamed multipart/form-data uploads: the `file` part goes chunk by chunk into a blob writer
(hashed on the way, never held whole); small text fields and the file's name and type are kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import anyio
from litestar import Request
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from courseport.blobs import BlobWriter, StoredBlob, TooLarge
from courseport.core.kit.errors import InvalidInput

MAX_FIELD_BYTES = 64 * 1024


@dataclass
class ReceivedUpload:
    stored: StoredBlob | None = None
    filename: str | None = None
    content_type: str | None = None
    fields: dict[str, str] = field(default_factory=dict)


class UploadReceiver:
    """Feeds a multipart body to a streaming parser: the `file_field` part to the writer, text to `fields`."""

    def __init__(self, content_type: str, writer: BlobWriter, file_field: str = "file"):
        ctype, options = parse_options_header(content_type)
        boundary = options.get(b"boundary")
        if ctype != b"multipart/form-data" or not boundary:
            raise InvalidInput(file_field, "the upload must be multipart/form-data with a file part")
        self._writer, self._file_field = writer, file_field.encode()
        self.upload = ReceivedUpload()
        self._headers: dict[bytes, bytes] = {}
        self._field = self._value = b""
        self._part: bytes | None = None
        self._text = bytearray()
        self._in_file = self._got_file = False
        self._parser = MultipartParser(boundary, {
            "on_part_begin": self._headers.clear,
            "on_header_field": lambda d, s, e: self._add("_field", d[s:e]),
            "on_header_value": lambda d, s, e: self._add("_value", d[s:e]),
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
        })

    def _add(self, attr: str, data: bytes) -> None:
        setattr(self, attr, getattr(self, attr) + data)

    def _header_end(self) -> None:
        self._headers[self._field.lower()] = self._value
        self._field = self._value = b""

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        self._part = options.get(b"name")
        self._in_file = self._part == self._file_field and not self._got_file
        if self._in_file:
            self.upload.filename = (options.get(b"filename") or b"").decode("utf-8", "replace") or None
            self.upload.content_type = self._headers.get(b"content-type", b"").decode("latin-1") or None
        self._text.clear()

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._in_file:
            self._writer.write(data[start:end])
        elif len(self._text) + end - start <= MAX_FIELD_BYTES:
            self._text.extend(data[start:end])
        else:
            raise InvalidInput((self._part or b"").decode("utf-8", "replace"), "a form field is too large")

    def _part_end(self) -> None:
        if self._in_file:
            self._got_file = True
        elif self._part:
            self.upload.fields[self._part.decode("utf-8", "replace")] = self._text.decode("utf-8", "replace")
        self._in_file = False

    def feed(self, chunk: bytes) -> None:
        try:
            self._parser.write(chunk)
        except MultipartParseError:
            raise InvalidInput(self._file_field.decode(), "the multipart body is malformed") from None

    def finish(self) -> ReceivedUpload:
        self.feed(b"")
        self._parser.finalize()
        if self._got_file:
            self.upload.stored = self._writer.finish()
        return self.upload


async def receive_upload(request: Request, writer: BlobWriter, file_field: str = "file",
                         too_large: str = "the file is larger than {max_bytes} bytes") -> ReceivedUpload:
    """Stream the request body through the parser; disk writes and hashing run off the event loop.

    `too_large` words the error for a file past the writer's limit (each API says it its own way).
    """
    try:
        receiver = UploadReceiver(request.headers.get("content-type", ""), writer, file_field)
        async for chunk in request.stream():
            await anyio.to_thread.run_sync(receiver.feed, chunk)
        return await anyio.to_thread.run_sync(receiver.finish)
    except TooLarge as exc:
        raise InvalidInput(file_field, too_large.format(max_bytes=exc.max_bytes)) from None
    finally:
        writer.abort()
