"""The blueprint engine: blueprint courses and their associations (`blueprints`), the sync job
(`blueprint_sync`) and the locks a synced copy obeys (`blueprint_locks`, whose checks are registered
with content and files). Internal: `blueprint_imports` (one associated course's import of an
export) and `blueprint_files` (the files part of it).

`__all__` is the public face: the modules code outside this package may import (docs/conventions.md).
"""

__all__ = ["blueprint_locks", "blueprint_sync", "blueprints"]
