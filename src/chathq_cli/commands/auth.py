"""`portal auth`: sign in and out, inspect the stored credential, switch profiles.

Secrets (passwords, tokens, codes) only ever come from a hidden prompt or stdin, never argv.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Annotated, Any

import typer

from chathq_cli.cli.frame import command

if TYPE_CHECKING:
    from chathq_cli.cli.prompts import Prompter
    from chathq_cli.cli.runtime import Runtime

app = typer.Typer(help="Sign in and out, and manage profiles.", no_args_is_help=True)

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


def _ask_email(prompts: Prompter, email: str | None) -> str:
    from chathq_cli.inputs.names import check_email

    return check_email(email or prompts.text("Email", flag="--email"), "--email")


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
            rt, _ask_email(rt.prompts, email), password_stdin=password_stdin
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
    _remember_profile(rt, profile_name, host_url, who, remember)


def _remember_profile(
    rt: Runtime,
    profile_name: str,
    host_url: str,
    who: str | None,
    remember: dict[str, str | None],
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
    if remember:
        config.update_profile(profile_name, **remember)
    if config.current_profile() != profile_name:
        config.set_current_profile(profile_name)
        rt.out.info(f"Profile {profile_name!r} is now the current profile")


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
    from chathq_cli import errors
    from chathq_cli.cli.runtime import is_api_key
    from chathq_cli.output import Column
    from chathq_cli.state.credentials import resolve_token

    try:
        cred = resolve_token(rt.settings, rt.credentials())
    except errors.KeyringUnavailable as exc:
        # Nothing in the environment or the opt-in file, and the keyring cannot be asked:
        # as far as portal can tell, this profile is signed out.
        raise errors.AuthRequired(
            f"not signed in to {rt.settings.host} (profile {rt.settings.profile!r}); {exc.message}",
            hint=exc.hint,
        ) from exc
    client = rt.client()
    info: dict[str, Any] = {
        "host": rt.settings.host,
        "profile": rt.settings.profile,
        "user": None,
        "user_id": None,
        "token_kind": "api_key" if is_api_key(cred.token) else "session",
        "token_source": cred.source,
        "totp_enabled": None,
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
    except errors.Unauthenticated as exc:
        from chathq_cli.cli.hints import hint_for

        raise errors.AuthRequired(
            f"the token from {cred.source} is not valid for {rt.settings.host}: {exc.message}",
            # A bad PORTAL_TOKEN is fixed in the environment, not by signing in again.
            hint=hint_for(exc) if cred.source == "env" else "portal auth login",
        ) from exc
    rt.out.object(
        info,
        [
            Column("host", "Host"),
            Column("profile", "Profile"),
            Column("user", "User"),
            Column("token_kind", "Token"),
            Column("token_source", "Stored in"),
            Column("totp_enabled", "Two-factor", "bool"),
            Column("org", "Org", "id"),
            Column("account", "Account", "id"),
        ],
    )


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
    if cred.source == "file":
        rt.out.warn("using the token stored in plain text (--insecure-storage)")
    rt.out.value(cred.token)


@command(app, "list", data=True)
def list_(
    rt: Runtime,
) -> None:
    """List the profiles in the config file, marking the current one.

    \b
    Examples:
      portal auth list
      portal auth list --json
    """
    from chathq_cli.output import Column

    config = rt.config()
    current = config.current_profile()
    rows = [
        {
            "profile": name,
            "current": name == current,
            "host": config.get("host", name),
            "email": config.get("email", name),
            "org": config.get("org", name),
            "account": config.get("account", name),
        }
        for name in config.profiles()
    ]
    rt.out.list(
        rows,
        [
            Column("current", "Current", "bool"),
            Column("profile", "Profile", priority=1),
            Column("host", "Host"),
            Column("email", "Email"),
            Column("account", "Account", "id"),
        ],
    )


@command(app, profile=False)
def switch(
    rt: Runtime,
    name: Annotated[str, typer.Argument(metavar="PROFILE", help="The profile to make current.")],
) -> None:
    """Make another profile the current one.

    \b
    Examples:
      portal auth switch work
      portal auth switch default
    """
    from chathq_cli import errors

    if not name.strip():
        raise errors.UsageError("PROFILE must not be empty", param="PROFILE")
    config = rt.config()
    known = config.profiles()
    if name not in known:
        listing = ", ".join(known) if known else "none yet"
        raise errors.UsageError(
            f"unknown profile {name!r} (known profiles: {listing})",
            param="PROFILE",
            hint=f"portal auth login --profile {name}",
        )
    config.set_current_profile(name)
    host = config.get("host", name)
    email = config.get("email", name)
    detail = f" ({email} on {host})" if email and host else ""
    rt.out.success(f"Switched to profile {name!r}{detail}")


@command(app, "reset-password", host=True)
def reset_password(
    rt: Runtime,
    email: Annotated[
        str | None,
        typer.Option(
            "--email",
            metavar="EMAIL",
            help="The account's e-mail (default: the profile's, else asked).",
        ),
    ] = None,
    have_code: Annotated[
        bool,
        typer.Option("--have-code", help="Do not send a new code; use one already received."),
    ] = False,
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin",
            help="Read the e-mailed code (first line) and the new password (second) from stdin.",
        ),
    ] = False,
) -> None:
    """Reset a forgotten password with a code sent by e-mail.

    Sends the code, then asks for it and for the new password (twice). Signing in
    again is needed afterwards: a reset ends the user's other sessions.

    \b
    Examples:
      portal auth reset-password --email owner@demo.chathq.test
      portal auth reset-password --email me@example.com --have-code
      printf '%s\\n%s\\n' "$CODE" "$NEW_PASSWORD" | \\
        portal auth reset-password --email me@example.com --have-code --password-stdin
    """
    from chathq_cli import errors

    out = rt.out
    address = _ask_email(rt.prompts, email or rt.settings.email)
    client = rt.anonymous_client()
    if not have_code:
        client.request_password_reset(address)
        out.info(f"If {address} has an account on {rt.settings.host}, a reset code is on its way.")

    if password_stdin:
        code = rt.prompts.stdin_line("code", flag="--password-stdin")
        new_password = rt.prompts.stdin_line("new password", flag="--password-stdin")
    else:
        try:
            code = rt.prompts.secret("Code from the e-mail", flag="--password-stdin")
            new_password = rt.prompts.secret("New password", flag="--password-stdin")
            again = rt.prompts.secret("New password again", flag="--password-stdin")
        except errors.UsageError as exc:
            # No terminal: the code (if just sent) is still valid; say how to finish in a script.
            raise errors.UsageError(
                exc.message,
                param="--password-stdin",
                hint="pipe the code and the new password (one per line) into "
                "`portal auth reset-password --email ADDRESS --have-code --password-stdin`",
            ) from exc
        code = code.strip()
        if new_password != again:
            raise errors.UsageError("the two passwords do not match", param="new_password")
    if not code:
        raise errors.UsageError("the code must not be empty", param="code")
    from chathq_cli.inputs.passwords import check_new_password

    check_new_password(new_password, "--password-stdin" if password_stdin else None)
    client.confirm_password_reset(address, code, new_password)
    out.success(f"Password changed for {address}")
    out.hint(f"other sessions were signed out; run `portal auth login --email {address}`")
