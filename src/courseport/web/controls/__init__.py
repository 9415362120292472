"""Stand-in controls under /_courseport (issue 18): job timing, fault injection, the request log.

Each module holds its routes in ROUTES (one Router under /_courseport, answered with the admin API's
Canvas-style error bodies); app.py mounts each with one line. Every route needs the token of an
administrator of the caller's tenant (`access.tenant_admin`).
"""
