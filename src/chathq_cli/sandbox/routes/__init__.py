"""One router per resource of SPEC §5, plus the sandbox-only endpoints."""
