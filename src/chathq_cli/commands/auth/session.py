"""`portal auth login/logout/status/token`: the stored credential of a profile."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Annotated, Any

import typer

from chathq_cli.cli.frame import command
from chathq_cli.commands.auth._view import (
    EXPIRY_WARNING_SECONDS,
    ask_email,
    expires_in_words,
)

if TYPE_CHECKING:
    from chathq_cli.cli.prompts import Prompter
    from chathq_cli.cli.runtime import Runtime
    from chathq_cli.state.credentials import Credential

app = typer.Typer()

EmailOpt = Annotated[
    str | None,
    typer.Option(
        "--email", metavar="EMAIL", help="E-mail address to sign in with (prompted if omitted)."
    ),
]
PasswordStdinOpt = Annotated[
    bool,
    typer.Option(
        "--password-stdin",
        help="Read the password from stdin (a two-factor code may follow on the second line).",
    ),
]


def _two_factor_code(prompts: Prompter, *, from_stdin: bool) -> str:
    """The TOTP (or recovery) code the server asked for: stdin's second line, or a prompt."""
    from chathq_cli import errors

    hint = (
        "put the code on the second line of stdin with --password-stdin, "
        "or run `portal auth login` in a terminal"
    )
    if from_stdin:
        try:
            return prompts.stdin_line("two-factor code", flag="--password-stdin")
        except errors.UsageError as exc:
            raise errors.AuthRequired("a two-factor code is required", hint=hint) from exc
    try:
        return prompts.secret("Two-factor code (or a recovery code)", flag="--password-stdin")
    except errors.UsageError as exc:
        # No terminal to ask on: this is an authentication failure (exit 4), not bad usage.
        raise errors.AuthRequired("a two-factor code is required", hint=hint) from exc


def _password_session(rt: Runtime, email: str, *, password_stdin: bool) -> tuple[str, str]:
    """Create a session with e-mail + password (+ TOTP when asked). Returns (token, email)."""
    from chathq_cli import errors

    if password_stdin:
        password = rt.prompts.stdin_line("password", flag="--password-stdin")
    else:
        password = rt.prompts.secret("Password", flag="--password-stdin")
    client = rt.anonymous_client()
    try:
        session = client.create_session(email, password)
    except errors.Unauthenticated as exc:
        if exc.code != "totp_required":
            raise
        code = _two_factor_code(rt.prompts, from_stdin=password_stdin).strip()
        session = client.create_session(email, password, totp_code=code)
        if not (len(code) == 6 and code.isdigit()):
            # Not an app code: a recovery code, which the server has now used up.
            rt.out.warn(
                "signed in with a recovery code; it cannot be used again "
                "(`portal me 2fa recovery-codes` makes a new set)"
            )
    return session.token, session.user.email


def _verify_token(rt: Runtime, token: str) -> tuple[str | None, dict[str, str | None]]:
    """Check a pasted token against the server.

    Returns the user's e-mail (None for an API key) and what to remember in the profile: for
    an API key, its one account and that account's org (it may not read /me to find them).
    """
    from chathq_cli import errors
    from chathq_cli.cli.runtime import api_key_account, is_api_key

    client = rt.client_with(token)
    try:
        if not is_api_key(token):
            return client.get_me().email, {}
        found = api_key_account(client)
        return None, {"org": found[0], "account": found[1]} if found else {}
    except errors.Unauthenticated as exc:
        raise errors.AuthRequired(
            f"the token was rejected by {rt.settings.host}: {exc.message}",
            hint="create a new token, or sign in with `portal auth login`",
        ) from exc


def _end_session(rt: Runtime, token: str) -> None:
    """Best effort: end a session on the server (used when it could not be stored)."""
    from chathq_cli import errors
    from chathq_cli.cli.runtime import is_api_key

    if is_api_key(token):
        return
    # The session expires on its own; the original error matters more than this one.
    with contextlib.suppress(errors.PortalError):
        rt.client_with(token).delete_current_session()


@command(app, host=True)
def login(
    rt: Runtime,
    email: EmailOpt = None,
    password_stdin: PasswordStdinOpt = False,
    with_token: Annotated[
        bool,
        typer.Option("--with-token", help="Read a token (API key or session token) from stdin."),
    ] = False,
    insecure_storage: Annotated[
        bool,
        typer.Option(
            "--insecure-storage",
            help="Store the token in a plain-text file (0600) instead of the OS keyring.",
        ),
    ] = False,
) -> None:
    """Sign in to a ChatHQ portal and store the token in the OS keyring.

    Asks for the e-mail, a hidden password and, when the account has two-factor
    authentication, a code from the authenticator app.

    \b
    Examples:
      portal auth login
      portal auth login --email owner@demo.chathq.test
      echo "$PASSWORD" | portal auth login --email me@example.com --password-stdin
      printf '%s\\n%s\\n' "$PASSWORD" "$CODE" | \\
        portal auth login --email me@example.com --password-stdin
      echo "$PORTAL_API_KEY" | portal auth login --with-token
      portal auth login --host https://portal.example.com --profile work
    """
    from chathq_cli import errors

    out = rt.out
    if with_token and (password_stdin or email):
        flag = "--password-stdin" if password_stdin else "--email"
        raise errors.UsageError(
            f"--with-token cannot be combined with {flag}", param="--with-token"
        )

    host_url = rt.settings.host
    profile_name = rt.settings.profile
    remember: dict[str, str | None] = {}
    if not insecure_storage:
        # Find out now, not after the password and a two-factor code have been typed.
        rt.credentials().check_keyring()
    if with_token:
        token = rt.prompts.stdin_line("token", flag="--with-token")
        who, remember = _verify_token(rt, token)
    else:
        token, who = _password_session(
            rt, ask_email(rt.prompts, email), password_stdin=password_stdin
        )

    try:
        where = rt.credentials().set(profile_name, host_url, token, insecure=insecure_storage)
    except errors.PortalError:
        if not with_token:  # end only a session we created, never the user's pasted one
            _end_session(rt, token)
        raise
    if where == "file":
        out.warn(
            "the token is stored in plain text in the config directory "
            "(--insecure-storage); `portal auth logout` removes it"
        )

    who_text = f"as {who}" if who else "with an API key"
    out.success(f"Signed in to {host_url} {who_text}")
    _remember_profile(rt, profile_name, host_url, who, remember, token)
    out.next_step("portal account list", "to see your accounts")


def _remember_profile(
    rt: Runtime,
    profile_name: str,
    host_url: str,
    who: str | None,
    remember: dict[str, str | None],
    token: str,
) -> None:
    config = rt.config()
    same_identity = config.get("host", profile_name) == host_url and (
        config.get("email", profile_name) == who
    )
    if not same_identity:
        # The remembered org/account belonged to someone else (or another server).
        config.update_profile(profile_name, org=None, account=None)
    # email=None (an API key) forgets a previously remembered address.
    config.update_profile(profile_name, host=host_url, email=who)
    if who is not None and not remember and config.get("account", profile_name) is None:
        # Sign-in chooses the account a person works on (their default), so that commands
        # after it need not ask GET /me each time and never write the profile themselves.
        remember = _default_account(rt, token)
    if remember:
        config.update_profile(profile_name, **remember)
    if config.current_profile() != profile_name:
        config.set_current_profile(profile_name)
        rt.out.info(f"Profile {profile_name!r} is now the current profile")


def _default_account(rt: Runtime, token: str) -> dict[str, str | None]:
    """The signed-in person's default account and its org, to remember in the profile."""
    client = rt.client_with(token)
    account_id = client.get_me().default_account_id
    if not account_id:
        return {}
    return {"account": account_id, "org": client.get_account(account_id).org_id}


@command(app, host=True)
def logout(
    rt: Runtime,
) -> None:
    """Sign out: end the session on the server and remove the stored token.

    \b
    Examples:
      portal auth logout
      portal auth logout --profile work
    """
    from chathq_cli import errors
    from chathq_cli.cli.runtime import is_api_key

    out = rt.out
    host_url, profile_name = rt.settings.host, rt.settings.profile
    store = rt.credentials()
    stored = store.get(profile_name, host_url)
    if stored is not None and not is_api_key(stored.token):
        try:
            rt.client_with(stored.token).delete_current_session()
        except (errors.Unauthenticated, errors.MalformedToken):
            pass  # expired, revoked or unusable: nothing to end, only to remove
        except (errors.NetworkError, errors.ServerError, errors.RateLimited) as exc:
            out.warn(f"could not end the session on the server ({exc.message}); removing it here")
    removed = store.delete(profile_name, host_url)
    if removed:
        out.success(f"Signed out of {host_url}")
    else:
        out.info(f"Not signed in to {host_url} (profile {profile_name!r})")
    if rt.settings.token is not None:
        out.hint("PORTAL_TOKEN is set in the environment; unset it to sign out completely")


@command(app, data=True, host=True)
def status(
    rt: Runtime,
) -> None:
    """Show who you are signed in as, where the token comes from, and whether it works.

    Exits with 4 when not signed in or when the server rejects the token.

    \b
    Examples:
      portal auth status
      portal auth status --json
      portal auth status --jq .user
    """
    from chathq_cli.output import Column
    from chathq_cli.state.credentials import resolve_token

    cred = resolve_token(rt.settings, rt.credentials())
    if cred.source == "file":
        # Said here and at sign-in, not on every command.
        rt.out.warn(
            f"the token is stored in plain text in {rt.credentials().file} (--insecure-storage)"
        )
    info = _identity(rt, cred)
    seconds = info["expires_in"]
    if seconds is not None and seconds < EXPIRY_WARNING_SECONDS:
        rt.out.warn(
            f"the session expires {expires_in_words(seconds)}; `portal auth login` renews it"
        )
    if rt.out.is_terminal_table and seconds is not None:
        info = {**info, "expires_in": expires_in_words(seconds)}
    rt.out.object(
        info,
        [
            Column("host", "Host"),
            Column("profile", "Profile"),
            Column("user", "User"),
            Column("token_kind", "Token"),
            Column("token_source", "Stored in"),
            Column("expires_in", "Expires"),
            Column("totp_enabled", "Two-factor", "bool"),
            Column("org", "Org", "id"),
            Column("account", "Account", "id"),
        ],
    )


def _identity(rt: Runtime, cred: Credential) -> dict[str, Any]:
    """What `auth status` shows: the profile, and who the server says the token belongs to."""
    from chathq_cli import errors
    from chathq_cli.cli.runtime import is_api_key

    client = rt.client()
    info: dict[str, Any] = {
        "host": rt.settings.host,
        "profile": rt.settings.profile,
        "user": None,
        "user_id": None,
        "token_kind": "api_key" if is_api_key(cred.token) else "session",
        "token_source": cred.source,
        "totp_enabled": None,
        # Judged by the server's clock (seconds from its now), so a skewed local clock is fine.
        "expires_at": None,
        "expires_in": None,
        "org": rt.settings.org,
        "account": rt.settings.account,
    }
    try:
        if is_api_key(cred.token):
            orgs = list(client.list_orgs())
            info["org"] = info["org"] or (orgs[0].id if orgs else None)
        else:
            me = client.get_me()
            info.update(user=me.email, user_id=me.id, totp_enabled=me.totp_enabled)
            session = client.get_current_session().model_dump(mode="json")
            info.update(expires_at=session["expires_at"], expires_in=session["expires_in"])
    except errors.Unauthenticated as exc:
        from chathq_cli.cli.hints import hint_for

        raise errors.AuthRequired(
            f"the token from {cred.source} is not valid for {rt.settings.host}: {exc.message}",
            # A bad PORTAL_TOKEN is fixed in the environment, not by signing in again.
            hint=hint_for(exc) if cred.source == "env" else "portal auth login",
        ) from exc
    return info


@command(app, host=True)
def token(
    rt: Runtime,
) -> None:
    """Print the token of the current profile, for piping into other tools.

    \b
    Examples:
      portal auth token
      curl -H "Authorization: Bearer $(portal auth token)" http://127.0.0.1:8787/v1/me
    """
    from chathq_cli.state.credentials import resolve_token

    cred = resolve_token(rt.settings, rt.credentials())
    rt.out.value(cred.token)
