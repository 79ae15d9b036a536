"""The text of the help topics (`portal help environment`, `exit-codes`, `formatting`).

Pure and cheap: no Typer, no settings, no HTTP, so `portal help TOPIC` starts as fast as
`portal --help`. The environment topic's table is checked against the variables the code
reads (tests/unit/test_help_topics.py), and the exit codes come from `errors.ExitCode`, so
neither can drift from the code.
"""

from __future__ import annotations

from collections.abc import Callable

from chathq_cli.errors import ExitCode

# What each exit code means: a new code in errors.ExitCode needs its line here, and only here.
EXIT_CODE_MEANINGS: dict[str, str] = {
    "OK": "success",
    "FAILURE": "failure: server error, network failure after retries, output not written",
    "USAGE": "usage or invalid input: bad flag or value, API 400/422, a prompt with no terminal",
    "CANCELLED": "cancelled: a confirmation was declined",
    "AUTH": "authentication required or failed: not signed in, 401, two-factor code required",
    "PERMISSION": "permission denied: 403, e.g. not the account owner",
    "NOT_FOUND": "not found: 404",
    "CONFLICT": "conflict: 409 (last owner, idempotency key reused, invitation not pending)",
    "RATE_LIMITED": "rate limited or unavailable after retries: 429/503",
    "CHANGES_PENDING": "changes pending: `portal plan` found a difference (not an error)",
    "INTERRUPTED": "interrupted (Ctrl-C): no traceback, no half-written output file",
}

# (variable, meaning, default). Every variable portal reads is here; the test that scans the
# code fails on one that is not.
PORTAL_VARIABLES: tuple[tuple[str, str, str], ...] = (
    (
        "PORTAL_HOST",
        "URL of the portal API (plain http:// only for loopback)",
        "the profile's host, else http://127.0.0.1:8787 (the local sandbox)",
    ),
    (
        "PORTAL_TOKEN",
        "token to use instead of the stored one: an API key in CI",
        "the token stored by `portal auth login`",
    ),
    (
        "PORTAL_PROFILE",
        "configuration profile (like --profile)",
        "current_profile in config.toml, else default",
    ),
    (
        "PORTAL_ACCOUNT",
        "account ID or name for every command (like --account)",
        "the profile's account, else your default account",
    ),
    ("PORTAL_ORG", "organization ID or name (like --org)", "the profile's org"),
    ("PORTAL_EMAIL", "e-mail address offered at sign-in and e-mail changes", "the profile's email"),
    (
        "PORTAL_FORMAT",
        "output format: table, json or csv (like --format)",
        "format in config.toml, else table (TSV when piped)",
    ),
    (
        "PORTAL_NO_PROMPT",
        "never prompt: fail instead, naming the flag to give (1/true/yes/on)",
        "off",
    ),
    ("PORTAL_DEBUG", "log HTTP requests (secrets redacted) and show tracebacks", "off"),
    ("PORTAL_NO_COLOR", "no colour (1/true/yes/on)", "off"),
    (
        "PORTAL_CONFIG_DIR",
        "directory of config.toml and the opt-in token file",
        "the user config directory + /chathq (~/.config/chathq on Linux)",
    ),
    ("PORTAL_KEYRING_TIMEOUT", "seconds to wait for the system keyring (0-120)", "3"),
    ("PORTAL_RETRY_ATTEMPTS", "attempts of a request that failed for a transient reason", "5"),
    (
        "PORTAL_RETRY_TOTAL_TIMEOUT",
        "seconds one request's attempts may take; an export's longest wait for a page",
        "120",
    ),
    ("PORTAL_RETRY_MAX_DELAY", "longest wait in seconds between two attempts", "8"),
    (
        "PORTAL_PAGER",
        "pager for output longer than the screen; `cat` turns paging off",
        "pager in config.toml, else $PAGER, else `less -FRX`",
    ),
)

STANDARD_VARIABLES: tuple[tuple[str, str, str], ...] = (
    ("NO_COLOR", "any value: no colour (no-color.org)", "unset"),
    ("PAGER", "pager when neither PORTAL_PAGER nor the pager key is set", "less -FRX"),
    ("LESS", "options of less when it is the pager", "FRX (quit if it fits, colours, no clear)"),
    ("COLUMNS", "width of tables and help", "the terminal's width"),
    ("TERM", "dumb: no colour and no escape sequences", "from the terminal"),
    ("HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, NO_PROXY", "proxies for requests to the API", "none"),
    ("SSL_CERT_FILE, SSL_CERT_DIR", "CA certificates for https:// hosts", "certifi's bundle"),
    ("XDG_CONFIG_HOME", "where config.toml lives (unless PORTAL_CONFIG_DIR)", "~/.config"),
    ("XDG_CACHE_HOME", "where the completion cache lives", "~/.cache"),
)


def environment() -> str:
    lines = [
        "Environment variables portal reads. A flag wins over a variable, a variable over",
        "config.toml (`portal help config`), which wins over the default.",
        "",
    ]
    for title, table in (("portal's own:", PORTAL_VARIABLES), ("Standard:", STANDARD_VARIABLES)):
        lines.append(title)
        for name, meaning, default in table:
            lines += [f"  {name}", f"      {meaning}", f"      default: {default}"]
        lines.append("")
    lines += [
        "Examples:",
        "  PORTAL_TOKEN=sk_live_... portal usage --json      # CI, with an API key",
        "  PORTAL_PROFILE=work portal account show",
        "  PORTAL_PAGER=cat portal usage --all",
    ]
    return "\n".join(lines)


def exit_codes() -> str:
    lines = ["Exit codes of portal (scripts can rely on them):", ""]
    for code in ExitCode:
        meaning = EXIT_CODE_MEANINGS.get(code.name, code.name.lower().replace("_", " "))
        lines.append(f"  {int(code):>3}  {meaning}")
    lines += [
        "",
        "Errors are one line on stderr (`error: ...`, often with a `hint:` line); with",
        '--format json, one JSON object: {"error": {"type", "code", "message", "param",',
        '"request_id"}}.',
    ]
    return "\n".join(lines)


FORMATTING = """\
Output formats. Data goes to stdout; messages, hints and errors go to stderr.

  --format table   a table on a terminal; when stdout is piped or redirected, tab-separated
                   values (TSV) under a header of the column titles: no colour, no cutting
  --format json    the API's JSON: field names as in the API, stable for scripts
  --format csv     comma-separated values: the table's columns, headed by the JSON field
                   each comes from (id, email, created_at...); money as two columns,
                   FIELD.amount and FIELD.currency
  --json           shorthand for --format json
  --jq EXPR        filter the JSON with a jq expression (implies --json); strings print raw
                   and other values as compact JSON, one per line

The default comes from PORTAL_FORMAT, else `format` in config.toml, else table. JSON, CSV
and TSV carry every column in full, times in ISO 8601 (UTC); a table on a narrow terminal
leaves out the least needed columns. Field names for --jq: `--json` shows them.

Dates: wherever a date is taken (--since, --until) you may give YYYY-MM-DD, an ISO 8601
time, or a relative one computed in UTC from now: 7d, 24h, 2w, today, yesterday,
this-month, last-month.

Examples:
  portal account list --json
  portal team list --jq '.[] | select(.role == "admin") | .email'
  portal usage --since 7d --format csv > usage.csv
  portal usage --since last-month --until this-month --json
  portal secrets list | cut -f1                      # TSV when piped"""


def formatting() -> str:
    return FORMATTING


TOPICS: dict[str, Callable[[], str]] = {
    "environment": environment,
    "exit-codes": exit_codes,
    "formatting": formatting,
}
