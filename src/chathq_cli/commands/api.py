"""`portal api`: an authenticated raw request to the portal API, like `gh api`.

This module exposes the plain function `api(...)`; `chathq_cli.cli.app` registers it directly on
the root app (not as a group), so it is invoked as `portal api [METHOD] PATH ...`.

The request goes through `PortalClient.request`, so it gets the same authentication, retries
and idempotency keys as every other command; API errors end with the usual exit codes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from chathq_cli.cli.frame import framed

if TYPE_CHECKING:
    from chathq_cli.cli.runtime import Runtime
    from chathq_cli.output import Output

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def _read_input(source: str, rt: Runtime) -> bytes:
    from chathq_cli import errors

    if source == "-":
        rt.prompts.reading("the request body")
        stdin = rt.out.env.stdin
        binary = getattr(stdin, "buffer", None)  # the body is bytes: pass them through as sent
        return binary.read() if binary is not None else stdin.read().encode("utf-8")
    try:
        with open(source, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise errors.UsageError(
            f"--input: cannot read {source!r}: {exc.strerror}", param="--input"
        ) from exc


def _expand_path(path: str, rt: Runtime) -> str:
    """`{account}` and `{org}` stand for the current account and org, as `{owner}` in gh."""
    if "{account}" in path:
        path = path.replace("{account}", rt.account_id())
    if "{org}" in path:
        path = path.replace("{org}", rt.org_id())
    return path


@framed(data="jq", account=True, org=True)
def api(
    rt: Runtime,
    first: Annotated[
        str | None,
        typer.Argument(
            metavar="METHOD",
            show_default=False,
            help="HTTP method (GET, POST, PUT, PATCH, DELETE, HEAD); may be left out.",
        ),
    ] = None,
    second: Annotated[
        str | None,
        typer.Argument(
            metavar="PATH",
            show_default=False,
            help="API path, e.g. me or 'accounts/{account}/members'.",
        ),
    ] = None,
    raw_fields: Annotated[
        list[str] | None,
        typer.Option("-f", "--raw-field", metavar="KEY=VALUE", help="Add a string field."),
    ] = None,
    typed_fields: Annotated[
        list[str] | None,
        typer.Option(
            "-F",
            "--field",
            metavar="KEY=VALUE",
            help="Add a typed field: true/false/null/numbers become JSON, @FILE reads a file.",
        ),
    ] = None,
    input_: Annotated[
        str | None,
        typer.Option("--input", metavar="FILE", help="Send FILE (or - for stdin) as the body."),
    ] = None,
    raw_headers: Annotated[
        list[str] | None,
        typer.Option("-H", "--header", metavar="'NAME: VALUE'", help="Add a request header."),
    ] = None,
    paginate: Annotated[
        bool,
        typer.Option("--paginate", help="Follow next_cursor and print every page's data."),
    ] = False,
) -> None:
    """Make an authenticated request to the portal API and print the JSON response.

    PATH is relative to /v1 (a leading /v1/ is optional); {account} and {org} are replaced by
    the current account and org ids. Fields (-f, -F) form a JSON body, or the query string
    for GET. The method is GET, or POST when fields or --input are given. Requests get the
    same retries and idempotency keys as every other command; pass -H 'Idempotency-Key: K'
    to choose the key.

    \b
    Examples:
      portal api me
      portal api 'accounts/{account}/members' --jq '.data[].email'
      portal api 'accounts/{account}/usage_records' -f unit=sms -f status=unpaid --paginate
      portal api PATCH 'accounts/{account}' -f name="Acme Support EU"
      portal api POST 'accounts/{account}/invitations' -f 'emails[]=a@x.test' -f role=member
      portal api POST orgs --input body.json
    """
    from chathq_cli import errors
    from chathq_cli.inputs.fields import as_params, build_fields, field_flags, parse_headers

    # Errors follow the usual format (text unless PORTAL_FORMAT/--json says otherwise); the
    # response itself is always JSON, written by `data` below.
    # Two optional arguments read as `[METHOD] PATH`: a lone argument is the path.
    method_arg, path = (None, first) if second is None else (first, second)
    if not path:
        raise errors.UsageError("missing PATH (e.g. `portal api me`)", param="PATH")
    raw_fields, typed_fields = raw_fields or [], typed_fields or []
    fields = build_fields(
        raw_fields, typed_fields, lambda: rt.prompts.stdin_text("a field value (-F KEY=@-)")
    )
    flags = field_flags(raw_fields, typed_fields)
    headers = parse_headers(raw_headers or [])
    if method_arg is None:
        method = "POST" if (fields or input_ is not None) and not paginate else "GET"
    else:
        method = method_arg.upper()
        if method not in METHODS:
            raise errors.UsageError(
                f"unknown method {method_arg!r} (expected one of {', '.join(METHODS)})",
                param="METHOD",
            )
    if paginate and method != "GET":
        raise errors.UsageError("--paginate only works with GET", param="--paginate")

    body: bytes | None = None
    json_body: Any = None
    params: list[tuple[str, str]] = []
    if input_ is not None:
        body = _read_input(input_, rt)
        params = as_params(fields, flags)  # with a body from --input, fields go to the query string
        headers.setdefault("Content-Type", "application/json")
    elif method in ("GET", "HEAD", "DELETE"):
        params = as_params(fields, flags)
    elif fields:
        json_body = fields

    path = _expand_path(path, rt)
    client = rt.client()
    data = _json_output(rt)
    if paginate:
        # Streamed as one JSON array (Output.list in JSON mode); with --jq it is collected first.
        data.list(client.paginate_raw(path, params=params or None), [])
        return
    response = client.request(
        method,
        path,
        params=params or None,
        json=json_body,
        content=body,
        # An Idempotency-Key header given with -H is the key used (and reused on retries).
        headers=headers or None,
    )
    _print_response(data, response)


def _json_output(rt: Runtime) -> Output:
    """An Output in JSON mode on the same streams, for the response (with --jq if given)."""
    from chathq_cli.output import Output

    out = rt.out
    return Output(fmt="json", jq=out.jq, no_color=out.no_color, env=out.env)


def _print_response(data: Output, response: Any) -> None:
    """JSON bodies through write_json (so --jq applies); other text as-is; nothing for 204."""
    from chathq_cli import errors

    if not response.content:
        return
    content_type = response.headers.get("content-type", "")
    if "json" in content_type:
        data.write_json(response.json())
        return
    if content_type.startswith("text/"):
        data.value(response.text.rstrip("\n"))
        return
    raise errors.UsageError(
        f"the response is binary ({content_type or 'unknown type'}, {len(response.content)} bytes)"
        " and is not printed",
        param="PATH",
        hint="use the command for it, e.g. `portal billing invoices download ID -o FILE`",
    )
