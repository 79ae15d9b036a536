"""The command groups of `portal`: one module per group, each exposing `app = typer.Typer()`.

Only `chathq_cli.cli.app` imports these modules. Keep their module level light (typer, the
options, the runtime): httpx, keyring, jq, segno and the API models load inside command bodies.
"""
