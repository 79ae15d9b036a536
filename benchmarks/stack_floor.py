"""The floor under `portal account show --json`: the same work with nothing of portal's own.

A Typer command with portal's global options, settings read by pydantic-settings from
`PORTAL_*`, one GET with httpx, the body validated by a pydantic model and printed as JSON.
`make bench` times it beside portal, so the gap between the two is what portal itself costs
and the gap between this and the minimal Typer app's --help is what the chosen stack costs.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated, Literal

import typer

app = typer.Typer()


@app.command()
def show(
    as_json: Annotated[bool, typer.Option("--json")] = False,
    jq: Annotated[str | None, typer.Option("--jq")] = None,
    output_format: Annotated[str | None, typer.Option("--format")] = None,
    account: Annotated[str | None, typer.Option("--account")] = None,
    debug: Annotated[bool, typer.Option("--debug")] = False,
    no_color: Annotated[bool, typer.Option("--no-color")] = False,
    no_input: Annotated[bool, typer.Option("--no-input")] = False,
    profile: Annotated[str | None, typer.Option("--profile")] = None,
) -> None:
    import httpx
    import pydantic
    from pydantic_settings import BaseSettings, SettingsConfigDict

    class Settings(BaseSettings):
        model_config = SettingsConfigDict(env_prefix="PORTAL_", extra="ignore")
        host: str = "http://127.0.0.1:8787"
        token: pydantic.SecretStr | None = None
        format: Literal["table", "json", "csv"] | None = None

    class Account(pydantic.BaseModel):
        id: str
        org_id: str
        name: str
        plan: str
        status: str = "open"
        role: str | None = None
        created_at: str

    settings = Settings()
    token = settings.token.get_secret_value() if settings.token else ""
    with httpx.Client(base_url=settings.host, headers={"Authorization": f"Bearer {token}"}) as c:
        account = account or c.get("/v1/me").json()["default_account_id"]
        body = c.get(f"/v1/accounts/{account}").content
    sys.stdout.write(json.dumps(Account.model_validate_json(body).model_dump(), indent=2) + "\n")


@app.command()
def other() -> None:
    """A second command, so Typer builds a group as portal's does."""


if __name__ == "__main__":
    app()
