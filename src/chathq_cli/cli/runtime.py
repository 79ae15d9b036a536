"""What a command needs at run time: settings, the Output, clients, credentials, the config file.

The command frame (`_options.command`) builds one `Runtime` from the shared flags and hands it
to the command; everything heavy (settings, httpx, keyring, the API models) is imported here
lazily, when the command asks for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, cast

from chathq_cli import errors, output
from chathq_cli.cli import environment
from chathq_cli.cli.prompts import Prompter

if TYPE_CHECKING:
    from chathq_cli.client import PortalClient, RetryPolicy
    from chathq_cli.output._choice import Format
    from chathq_cli.state.config_file import ConfigFile
    from chathq_cli.state.credentials import CredentialStore
    from chathq_cli.state.settings import Settings


@dataclass
class GlobalFlags:
    """Flags given right after `portal` (the root callback), merged into every command's."""

    debug: bool = False
    profile: str | None = None
    no_color: bool = False
    no_input: bool = False


# Set by the root callback of each invocation (chathq_cli.cli.app); one invocation per process,
# and the callback resets it, so in-process test runs do not leak flags into each other.
global_flags = GlobalFlags()


def set_global_flags(
    *, debug: bool, profile: str | None, no_color: bool, no_input: bool = False
) -> None:
    global global_flags
    global_flags = GlobalFlags(debug=debug, profile=profile, no_color=no_color, no_input=no_input)


class Runtime:
    """Settings and the Output, plus lazily built clients and stores for one command."""

    def __init__(
        self, settings: Settings, out: output.Output, prompts: Prompter | None = None
    ) -> None:
        self.settings = settings
        self.out = out
        self.prompts = prompts if prompts is not None else Prompter(out)
        self._client: PortalClient | None = None
        self._anonymous: PortalClient | None = None
        self._credentials: CredentialStore | None = None
        self._config: ConfigFile | None = None

    def _new_client(
        self, token: str | None, token_source: errors.TokenSource | None = None
    ) -> PortalClient:
        from chathq_cli.client import PortalClient

        return PortalClient(
            self.settings.host,
            token,
            retry=self._retry_policy(),
            on_debug=self.out.debug if self.settings.debug else None,
            token_source=token_source,
            transport=environment.current().transport,
        )

    def _retry_policy(self) -> RetryPolicy:
        """The client's default policy with the PORTAL_RETRY_* values settings checked."""
        from chathq_cli.client import RetryPolicy

        default = RetryPolicy()
        s = self.settings
        return RetryPolicy(
            attempts=s.retry_attempts or default.attempts,
            # Given, it caps a page of a paged read too; unset, pages follow progress.
            page_attempts=s.retry_attempts,
            max_delay=default.max_delay if s.retry_max_delay is None else s.retry_max_delay,
            total_timeout=s.retry_total_timeout or default.total_timeout,
        )

    def client(self) -> PortalClient:
        """A client signed in with the resolved token (env, keyring or the opt-in file)."""
        if self._client is None:
            from chathq_cli.state.credentials import resolve_token

            # Plain-text storage is said at `auth login --insecure-storage` and in `auth status`,
            # not on every command (a warning on each `--json` call is noise in CI logs).
            credential = resolve_token(self.settings, self.credentials())
            self._client = self._new_client(credential.token, credential.source)
        return self._client

    def anonymous_client(self) -> PortalClient:
        """A client without a token (sign-in, password reset)."""
        if self._anonymous is None:
            self._anonymous = self._new_client(None)
        return self._anonymous

    def client_with(self, token: str) -> PortalClient:
        """A client for a token that is not (yet) the stored one: checking or ending it."""
        return self._new_client(token)

    def credentials(self) -> CredentialStore:
        if self._credentials is None:
            from chathq_cli.state.credentials import CredentialStore

            self._credentials = CredentialStore(
                config_dir=self.settings.config_dir, timeout=self.settings.keyring_timeout
            )
        return self._credentials

    def config(self) -> ConfigFile:
        if self._config is None:
            from chathq_cli.state.config_file import ConfigFile

            self._config = ConfigFile(self.settings.config_dir)
        return self._config

    def account_id(self) -> str:
        """--account/PORTAL_ACCOUNT > the profile's account > the signed-in user's default.

        The first two arrive merged in `settings.account`. The default comes from `GET /v1/me`;
        it is not written to the profile: a command that only reads leaves config.toml alone
        (`auth login` and `account use` are the commands that choose the account).
        """
        if self.settings.account:
            return self._named_account(self.settings.account)
        no_account = errors.UsageError(
            "no account selected",
            param="--account",
            hint="portal account list, then portal account use ACCOUNT (or pass --account)",
        )
        client = self.client()
        try:
            me = client.get_me()
        except errors.PermissionDenied as error:
            # An API key may not read /me. Its account is not remembered: the key already
            # names it, and CI must not rewrite the profile.
            found = api_key_account(client)
            if found is None:
                raise no_account from error
            self.settings.account = found[1]
            return found[1]
        if not me.default_account_id:
            raise no_account
        if self.settings.org and client.get_account(me.default_account_id).org_id != (
            self.settings.org
        ):
            # The selected org has no account selected (say, `org use` of an org without
            # accounts): the default account of another org must not stand in for it.
            raise errors.UsageError(
                f"no account selected in org {self.settings.org}",
                param="--account",
                hint="portal account list, then portal account use ACCOUNT (or pass --account)",
            )
        self.settings.account = me.default_account_id
        return me.default_account_id

    def _named_account(self, ref: str) -> str:
        """`--account` as given: an ID as it is, a name looked up once (cli/resolve.py)."""
        from chathq_cli.cli.resolve import find_account, is_account_id

        if not is_account_id(ref):
            self.settings.account = find_account(self.client(), ref, "--account").id
        return self.settings.account or ref

    def org_id(self) -> str:
        """--org/PORTAL_ORG > the profile's org > the organization of the current account."""
        if self.settings.org:
            from chathq_cli.cli.resolve import find_org, is_org_id

            if not is_org_id(self.settings.org):
                self.settings.org = find_org(self.client(), self.settings.org, "--org").id
            return self.settings.org
        org = self.client().get_account(self.account_id()).org_id
        self.settings.org = org
        return org

    def remember(self, **values: str | None) -> None:
        """Store the current org/account/email/host in the profile (never a secret)."""
        self.config().update_profile(self.settings.profile, **values)


def is_api_key(token: str) -> bool:
    return token.startswith("sk_")


def api_key_account(client: PortalClient) -> tuple[str, str] | None:
    """(org id, account id) of the one account an API key sees; None if it sees none or several.

    An API key acts on exactly one account, and may not read /me to learn which; listing what
    it can see tells.
    """
    seen = [
        (org.id, acct.id) for org in client.list_orgs() for acct in client.list_accounts(org.id)
    ]
    return seen[0] if len(seen) == 1 else None


def runtime(
    *,
    fmt: Literal["table", "json", "csv"] | None = None,
    json: bool = False,
    jq: str | None = None,
    debug: bool = False,
    profile: str | None = None,
    no_color: bool = False,
    no_input: bool = False,
    account: str | None = None,
    org: str | None = None,
    host: str | None = None,
    with_settings: bool = True,
) -> Runtime:
    """Merge the command's shared flags with the global ones, load settings, set up the Output.

    `with_settings=False` gives the defaults without reading PORTAL_* or config.toml, for
    commands that need nothing of the profile.

    Called by the command frame (`_options.command`) only: a command receives the Runtime.
    """
    debug = debug or global_flags.debug
    no_color = no_color or global_flags.no_color or environment.wants_plain()
    no_input = no_input or global_flags.no_input
    profile = profile or global_flags.profile
    term = environment.current().terminal()
    # The Output goes first, so an error while loading the settings prints in the right format.
    preferred = cast("Format | None", environment.preferred_format())
    out = output.Output(
        fmt=fmt, json=json, jq=jq, preferred=preferred, no_color=no_color, debug=debug, env=term
    )
    output.set_current(out)

    from chathq_cli.inputs.names import not_blank

    # An empty --account "" (say, from an unset shell variable) must not mean "the default".
    for flag, value in (
        ("--account", account),
        ("--org", org),
        ("--host", host),
        ("--profile", profile),
    ):
        not_blank(value, flag)

    from chathq_cli.state.settings import Settings, load_settings

    if not with_settings:
        return Runtime(Settings.model_construct(no_color=no_color, debug=debug), out)
    flags: dict[str, Any] = {
        "profile": profile,
        "account": account,
        "org": org,
        "host": host,
        # Booleans only when given, so PORTAL_DEBUG / the config file can still turn them on.
        "debug": True if debug else None,
        "no_color": True if no_color else None,
        "no_prompt": True if no_input else None,
    }
    settings = load_settings(**{k: v for k, v in flags.items() if v is not None})
    out = output.Output(
        fmt=fmt,
        json=json,
        jq=jq,
        preferred=settings.format,
        no_color=settings.no_color or environment.wants_plain(),
        debug=settings.debug,
        env=term,
    )
    output.set_current(out)
    out.compile_jq()
    return Runtime(settings, out, Prompter(out, off=_prompts_off(no_input, settings)))


def _prompts_off(no_input: bool, settings: Settings) -> str | None:
    """Why prompts are off by the user's choice, in the words of where it was chosen."""
    if no_input:
        return "--no-input was given"
    if not settings.no_prompt:
        return None
    if environment.variable("PORTAL_NO_PROMPT"):
        return "PORTAL_NO_PROMPT is set"
    return "no_prompt is on in config.toml"
