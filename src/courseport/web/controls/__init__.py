"""Stand-in controls under /_courseport (issue 18): job timing, fault injection, the request log,
snapshots and the declarative seed.

Each module holds its routes in ROUTES (one Router under /_courseport, answered with the admin API's
Canvas-style error bodies); `mount.py` gathers them and the ASGI wrappers for app.py. Every route needs the token of an
administrator of the caller's tenant (`access.tenant_admin`).
"""
