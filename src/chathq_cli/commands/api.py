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
    method_opt: Annotated[
        str | None,
        typer.Option(
            "-X", "--method", metavar="METHOD", help="The HTTP method (as the METHOD argument)."
        ),
    ] = None,
    include: Annotated[
        bool,
        typer.Option(
            "-i", "--include", help="Print the status line and the response headers first."
        ),
    ] = False,
    silent: Annotated[
        bool, typer.Option("--silent", help="Do not print the response body.")
    ] = False,
    paginate: Annotated[
        bool,
        typer.Option(
            "--paginate",
            help="Follow next_cursor and print every page's items as one JSON array, "
            "streamed as the pages arrive.",
        ),
    ] = False,
    slurp: Annotated[
        bool,
        typer.Option(
            "--slurp",
            help="With --paginate: read every page first, then print one JSON array of all "
            "their items (nothing is printed when a page fails).",
        ),
    ] = False,
) -> None:
    """Make an authenticated request to the portal API and print the JSON response.

    PATH is relative to /v1 (a leading /v1/ is optional); {account} and {org} are replaced by
    the current account and org ids. Fields (-f, -F) form a JSON body, or the query string
    for GET. The method is GET, or POST when fields or --input are given. Requests get the
    same retries and idempotency keys as every other command; pass -H 'Idempotency-Key: K'
    to choose the key. -X/--method, -i/--include, --silent, --paginate and --slurp work as
    in gh: --paginate prints every page's items as one JSON array as the pages arrive (a
    failed page leaves it unfinished); with --slurp all pages are read before anything is
    printed.

    \b
    Examples:
      portal api me
      portal api 'accounts/{account}/members' --jq '.data[].email'
      portal api 'accounts/{account}/usage_records' -f unit=sms -f status=unpaid --paginate
      portal api 'accounts/{account}/invoices' --paginate --slurp --jq 'length'
      portal api -X HEAD me -i
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
    method_arg = _one_method(method_arg, method_opt)
    _check_paging_flags(paginate=paginate, slurp=slurp, include=include)
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
            param = "METHOD" if method_opt is None else "--method"
            raise errors.UsageError(
                f"{param}: unknown method {method_arg!r} (expected one of {', '.join(METHODS)})",
                param=param,
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
        items = client.paginate_raw(path, params=params or None)
        if silent:
            for _ in items:  # every page is still fetched (and a failure still reported)
                pass
        elif slurp:
            data.write_json(list(items))
        else:
            # Streamed as one JSON array (Output.list in JSON mode); with --jq collected first.
            data.list(items, [])
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
    if include:
        data.value(_head(response))
    if not silent:
        _print_response(data, response)


def _one_method(positional: str | None, option: str | None) -> str | None:
    """The method given as the METHOD argument or -X/--method (both: they must agree)."""
    from chathq_cli import errors

    if option is None:
        return positional
    if positional is not None and positional.upper() != option.strip().upper():
        raise errors.UsageError(
            f"--method {option} and the METHOD argument {positional} disagree; give one",
            param="--method",
        )
    return option.strip()


def _check_paging_flags(*, paginate: bool, slurp: bool, include: bool) -> None:
    from chathq_cli import errors

    if slurp and not paginate:
        raise errors.UsageError("--slurp works with --paginate", param="--slurp")
    if include and paginate:
        raise errors.UsageError(
            "--include shows one response's headers; it cannot be combined with --paginate",
            param="--include",
        )


def _head(response: Any) -> str:
    """The status line and the headers, as gh -i prints them, then a blank line."""
    lines = [f"{response.http_version} {response.status_code} {response.reason_phrase}"]
    lines += [f"{name.title()}: {value}" for name, value in response.headers.multi_items()]
    return "\n".join(lines) + "\n"


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
