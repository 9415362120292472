"""The Canvas-compatible dialect: /api/v1 courses, users, accounts, progress and files."""
