"""Every route of the xAPI face (mounted at protocol.PREFIX by app.py). The CORS preflight comes first:
Litestar gives a path its own OPTIONS answer unless the first handler it sees for the path declares one."""

from courseport.dialects.xapi import cmi5, documents, objects, statements

ROUTES = [statements.preflight, statements.about, statements.put_statement, statements.post_statements,
          statements.get_statements, statements.head_statements, *documents.ROUTES, *objects.ROUTES,
          cmi5.fetch]
