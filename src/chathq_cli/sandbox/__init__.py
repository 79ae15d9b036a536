"""The sandbox: a complete local implementation of the portal API (SPEC §6).

FastAPI + SQLite, seeded demo data, fault injection. Imports the wire models in
`chathq_cli.api` and nothing of the CLI layers. Entry point: `create_app()` in `app.py`.
"""
