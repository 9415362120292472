"""The console: server-rendered pages for course teams at /console/ (sign in, jobs, courses, copies,
blueprints, packages, people). Every page is one or two core calls, the same ones the APIs make;
`routes.ROUTES` is what app.py mounts. See docs/architecture.md, "Console".
"""
