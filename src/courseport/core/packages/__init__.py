"""Packaged courses: import jobs (`package_imports`, D2L `offering_imports`), course exports as Common
Cartridges (`course_exports`, written by the internal `cartridge_writer`), packaged courses and
versions, settings, assets, tags, preview launches, xAPI statements and
an application's xAPI credentials. `packages` (what a package is:
its parsed form and media details) is public. Internal: the parsers (`package_formats` finds a
package's standard and reads cmi5/xAPI; `scorm_manifest`; `cartridges`: IMS Common Cartridge).

`sequencing` (a subpackage: the SCORM 2004 sequencing and navigation engine, pure Python) is public
for the player.

`__all__` is the public face: the modules code outside this package may import (docs/conventions.md).
"""

__all__ = ["assets", "course_exports", "offering_imports", "package_imports", "package_settings", "packages",
           "previews", "scorm_courses", "statements", "tags",
           "attempts", "registrations", "registration_launches", "registration_learners", "registration_postbacks",
           "registration_progress", "registration_settings", "initial_progress", "course_content",
           "launch_navigation", "launch_vault", "sequencing",
           "lrs_credentials", "lrs_statement_checks", "lrs_statements", "lrs_documents", "lrs_launches", "lrs_objects",
           "xapi_credentials"]
