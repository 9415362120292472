"""Every route of the xAPI face (mounted at protocol.PREFIX by app.py)."""

from courseport.dialects.xapi import cmi5, documents, statements

ROUTES = [statements.about, statements.put_statement, statements.post_statements, statements.get_statements,
          statements.head_statements,
          *documents.ROUTES, cmi5.fetch]
