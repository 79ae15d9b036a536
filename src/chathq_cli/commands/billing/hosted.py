"""`portal billing portal`: the hosted billing page, where cards are added."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from chathq_cli.cli.frame import command

if TYPE_CHECKING:
    from chathq_cli.cli.runtime import Runtime

app = typer.Typer()


@command(app, "portal", data=True, account=True)
def portal(
    rt: Runtime,
    print_url: Annotated[
        bool, typer.Option("--print-url", help="Print the link instead of opening a browser.")
    ] = False,
) -> None:
    """Open the hosted billing page (add cards, change billing details) in the browser.

    The link is short-lived and signs you in to the billing page: do not share it. It is
    printed instead of opened with --print-url, when standard output is not a terminal, or
    when no browser can be started.

    \b
    Examples:
      portal billing portal
      portal billing portal --print-url
    """
    client = rt.client()
    account_id = rt.account_id()
    session = client.create_billing_portal_session(account_id)
    out = rt.out
    expires = f"{session.expires_at:%Y-%m-%d %H:%M} UTC"
    if out.is_json:
        out.object(session.model_dump(mode="json"))
        return
    if print_url or not out.env.stdout_isatty:
        out.value(session.url)
        out.info(f"The link expires at {expires}.")
        return
    if _open_browser(session.url):
        out.success(f"Opened the billing page in your browser (the link expires at {expires})")
        return
    out.info("Could not open a browser; open this link (it expires at " + expires + "):")
    out.value(session.url)


def _open_browser(url: str) -> bool:
    import webbrowser

    try:
        return bool(webbrowser.open(url, new=2))
    except webbrowser.Error:
        return False
