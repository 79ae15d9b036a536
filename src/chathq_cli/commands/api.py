"""`portal api`: an authenticated raw request to the portal API, like `gh api`.

This module exposes the plain function `api(...)`; `chathq_cli.cli.app` registers it directly on
the root app (not as a group), so it is invoked as `portal api [METHOD] PATH ...`.

The request goes through `PortalClient.request`, so it gets the same authentication, retries
and idempotency keys as every other command; API errors end with the usual exit codes.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Any

import typer

from chathq_cli.cli.frame import framed

if TYPE_CHECKING:
    from chathq_cli.cli.runtime import Runtime
    from chathq_cli.output import Output

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
_KEY = re.compile(r"^([^\[\]=]+)((?:\[[^\[\]]*\])*)$")
_BRACKET = re.compile(r"\[([^\[\]]*)\]")


def _split_field(raw: str, flag: str) -> tuple[list[str], str]:
    """`a[b][]=v` -> (["a", "b", ""], "v"); an empty part means "append to a list"."""
    from chathq_cli import errors

    key, sep, value = raw.partition("=")
    match = _KEY.match(key.strip())
    if not sep or not match:
        raise errors.UsageError(f"{flag} expects KEY=VALUE, got {raw!r}", param=flag)
    parts = [match.group(1), *_BRACKET.findall(match.group(2))]
    if "" in parts[:-1]:
        raise errors.UsageError(f"{flag}: '[]' may only end a key, got {key!r}", param=flag)
    return parts, value


def _typed(value: str, rt: Runtime) -> Any:
    """Like `gh api -F`: true/false/null and numbers become JSON values; @file reads a file."""
    from chathq_cli import errors

    if value in ("true", "false"):
        return value == "true"
    if value == "null":
        return None
    if re.fullmatch(r"-?\d+", value):
        return int(value)
    if re.fullmatch(r"-?\d+\.\d+", value):
        return float(value)
    if value.startswith("@"):
        source = value[1:]
        if source == "-":
            return rt.out.env.stdin.read()
        try:
            with open(source, encoding="utf-8") as handle:
                return handle.read()
        except OSError as exc:
            raise errors.UsageError(
                f"-F: cannot read {source!r}: {exc.strerror}", param="-F"
            ) from exc
    return value


def _assign(body: dict[str, Any], parts: list[str], value: Any, flag: str) -> None:
    from chathq_cli import errors

    target: Any = body
    for part in parts[:-1]:
        target = target.setdefault(part, {})
        if not isinstance(target, dict):
            raise errors.UsageError(f"{flag}: {part!r} is both a value and an object", param=flag)
    target[parts[-1]] = value


def _build_fields(raw_fields: list[str], typed_fields: list[str], rt: Runtime) -> dict[str, Any]:
    """Merge -f (strings) and -F (typed) into one JSON object, supporting `a[b]` and `a[]`."""
    from chathq_cli import errors

    body: dict[str, Any] = {}
    pairs = [("-f", raw, False) for raw in raw_fields] + [("-F", raw, True) for raw in typed_fields]
    for flag, raw, typed in pairs:
        parts, text = _split_field(raw, flag)
        value = _typed(text, rt) if typed else text
        if parts[-1] == "":
            parent: Any = body
            for part in parts[:-2]:
                parent = parent.setdefault(part, {})
            existing = parent.setdefault(parts[-2], []) if isinstance(parent, dict) else None
            if not isinstance(existing, list):
                raise errors.UsageError(f"{flag}: {parts[-2]!r} is not a list", param=flag)
            existing.append(value)
        else:
            _assign(body, parts, value, flag)
    return body


def _as_params(fields: dict[str, Any]) -> list[tuple[str, str]]:
    """Query parameters from fields: lists repeat the key (`unit=sms&unit=calls`)."""
    from chathq_cli import errors

    def text(value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        return "" if value is None else str(value)

    params: list[tuple[str, str]] = []
    for key, value in fields.items():
        if isinstance(value, dict):
            raise errors.UsageError(
                f"-f/-F: {key!r} is an object; query parameters must be flat", param="-f"
            )
        for item in value if isinstance(value, list) else [value]:
            params.append((key, text(item)))
    return params


def _parse_headers(raw_headers: list[str]) -> dict[str, str]:
    from chathq_cli import errors

    headers: dict[str, str] = {}
    for raw in raw_headers:
        name, sep, value = raw.partition(":")
        if not sep or not name.strip() or any(ch.isspace() for ch in name.strip()):
            raise errors.UsageError(f"-H expects 'Name: value', got {raw!r}", param="-H")
        # A CR/LF would split the header into two (header injection); other controls and
        # non-ASCII are not valid in a header field either (RFC 9110 5.5).
        if any(not 0x20 <= ord(ch) < 0x7F for ch in name + value.strip() if ch != "\t"):
            raise errors.UsageError(
                f"-H {name.strip()!r}: headers may hold printable ASCII only "
                "(no line breaks or control characters)",
                param="-H",
            )
        headers[name.strip()] = value.strip()
    return headers


def _read_input(source: str, rt: Runtime) -> bytes:
    from chathq_cli import errors

    if source == "-":
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

    # Errors follow the usual format (text unless PORTAL_FORMAT/--json says otherwise); the
    # response itself is always JSON, written by `data` below.
    # Two optional arguments read as `[METHOD] PATH`: a lone argument is the path.
    method_arg, path = (None, first) if second is None else (first, second)
    if not path:
        raise errors.UsageError("missing PATH (e.g. `portal api me`)", param="PATH")
    fields = _build_fields(raw_fields or [], typed_fields or [], rt)
    headers = _parse_headers(raw_headers or [])
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
        params = _as_params(fields)  # with a body from --input, fields go to the query string
        headers.setdefault("Content-Type", "application/json")
    elif method in ("GET", "HEAD", "DELETE"):
        params = _as_params(fields)
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
    return Output(fmt="json", jq=out.jq, no_color=out.no_color, no_prompt=True, env=out.env)


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
