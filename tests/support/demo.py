"""The demo data every test relies on (SPEC §6), named once."""

from __future__ import annotations

# The sandbox clock of every test (the server is started with --clock and put back on reset).
SANDBOX_NOW = "2026-11-15T12:00:00Z"
DEMO_PASSWORD = "chathq-demo"
OWNER = "owner@demo.chathq.test"
ADMIN = "admin@demo.chathq.test"
MEMBER = "member@demo.chathq.test"
OUTSIDER = "outsider@demo.chathq.test"
