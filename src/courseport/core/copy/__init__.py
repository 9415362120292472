"""The copy engine: queuing a course copy and the job that copies in one transaction (`copying`), its
set-based SQL (`copy_tables`) and row-by-row link rewriting (`copy_links`), copy records as a course
sees them (`content_migrations`), the copies behind Learn's course copy (`record_copies`) and D2L's
copy jobs (`offering_copies`) over the same engine, and the one component table (`components`: core
component names -> item types; each dialect maps its wire names onto them).

`copy_tables`, `copy_links` and `outcome_copies` (outcome groups' parents and rubric alignments after a copy) are
listed because a blueprint sync is an incremental copy and runs the engine's steps itself
(core/blueprints/blueprint_imports.py). `late_copies` settles late work a re-copy's due dates moved; a sync
settles its own through the content change hook, so it stays internal.

`__all__` is the public face: the modules code outside this package may import (docs/conventions.md).
"""

__all__ = ["components", "content_migrations", "copy_links", "copy_tables", "copying", "offering_copies",
           "outcome_copies", "record_copies"]
