"""A pytest plugin for suites that test code against courseport (registered as the `pytest11` entry point
`courseport`, so installing courseport is all it takes).

- `courseport_server` (session): a courseport started for the test session: in this process on a free
  port (uvicorn in a thread; the default), as a `courseport serve` subprocess (`--courseport-mode
  subprocess`), or one already running (`--courseport-url` with `--courseport-admin-token`). Its store is
  SQLite in a temporary folder unless `--courseport-database-url` names another.
- `courseport_tenant` (function): a fresh tenant (an isolated root account) with ready-made clients for
  each face whose client is installed: `.canvas` (canvasapi), `.bbrest` (bbrest), `.scorm` (the SCORM
  Cloud `ApiClient`) and `.d2l` (a d2lvalence user context); deleted after the test.
- `courseport_tenants` (function): a callable making more tenants in one test.

Each option has an environment variable (`COURSEPORT_TESTING_MODE`, `_DATABASE_URL`, `_URL`,
`_ADMIN_TOKEN`, `_KEEP_TENANTS`, `_BB_SWAGGER`). See plugin.py, servers.py and tenants.py.
"""
