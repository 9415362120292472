"""Owner-only files for the data folder and its secrets (the signing secret and D2L keys live in the
database; credentials.json holds every bootstrap credential).

The data folder is 0700, so blobs and temp files beneath it are private whatever their own mode;
secret-bearing files are 0600 from their first byte (created with that mode, never chmod'ed after), and
an older, wider folder or file is tightened when the service starts.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
CREDENTIALS = "credentials.json"


def prepare_data_dir(path: Path) -> None:
    """Make the data folder owner-only (created so, or tightened) and tighten credentials.json in it."""
    path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    tighten(path, PRIVATE_DIR)
    tighten(path / CREDENTIALS, PRIVATE_FILE)


def tighten(path: Path | str, mode: int) -> None:
    """Take away every permission bit of `path` outside `mode` (a missing path is left alone)."""
    try:
        current = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        return
    if current & ~mode:
        os.chmod(path, current & mode)


def create_private(path: Path | str) -> None:
    """Create an empty owner-only file unless one exists; tighten the one that does."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    except FileExistsError:
        tighten(path, PRIVATE_FILE)


def write_private(path: Path, text: str) -> None:
    """Replace `path` by `text` in a file that is owner-only from creation (mkstemp makes it 0600,
    whatever the umask) and renamed into place whole, so no reader sees it wider or half written."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
