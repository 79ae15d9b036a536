"""The end-to-end harness: a real sandbox server and `portal` run as a subprocess.

The fixtures are defined in tests/conftest.py:

- `sandbox` (session): `portal sandbox serve --port 0 --seed demo --clock 2026-11-15T12:00:00Z`
  on a free loopback port; `.url`, `.api()`, `.reset()`, `.clock()`, `.faults()`, `.outbox()`,
  `.sign_in()`.
- `cli` (function): `cli.run(*args, exit_code=0, stdin=None, env=None, tty=False)` runs
  `python -m chathq_cli` in a clean environment (own HOME, config dir and a JSON-file keyring)
  and fails the test with args, exit code, stdout and stderr when the exit code is not the
  expected one. `cli.login()`, `cli.token()`, `cli.config_dir`, `cli.keyring_file`.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import shlex
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from support.demo import (  # noqa: F401 - re-exported: tests import them from here too
    ADMIN,
    DEMO_PASSWORD,
    MEMBER,
    OUTSIDER,
    OWNER,
    SANDBOX_NOW,
)

# Where _keyring_backend.py lives: the child processes import it by name (PYTHONPATH).
SUPPORT_DIR = Path(__file__).resolve().parent
SUBPROCESS_TIMEOUT = 30.0
SANDBOX_START_TIMEOUT = 15.0
KEYRING_BACKEND = "_keyring_backend.JsonFileKeyring"
KEYRING_FILE_ENV = "CHATHQ_TEST_KEYRING_FILE"
LISTENING_RE = re.compile(r"portal sandbox listening on (http://127\.0\.0\.1:\d+)")

# What a child process may inherit from the test runner; everything else (PORTAL_*, NO_COLOR,
# DBUS_SESSION_BUS_ADDRESS, a real keyring's settings...) is left behind on purpose.
_INHERITED = ("PATH", "SYSTEMROOT", "TMPDIR")


def base_env() -> dict[str, str]:
    env = {key: os.environ[key] for key in _INHERITED if key in os.environ}
    env.update(LANG="C.UTF-8", LC_ALL="C.UTF-8")
    return env


# --------------------------------------------------------------------------------------------
# The sandbox server


class Sandbox:
    """A running `portal sandbox serve`, plus an HTTP client to set up and inspect its state."""

    def __init__(self, url: str, proc: subprocess.Popen[str], log: list[str]) -> None:
        self.url = url
        self.proc = proc
        self._log = log
        self._http = httpx.Client(base_url=url, timeout=30.0)

    @property
    def log(self) -> str:
        """Everything the server printed so far."""
        return "".join(self._log)

    def api(
        self, method: str, path: str, token: str | None = None, **kwargs: Any
    ) -> httpx.Response:
        """A raw request: `path` is "/v1/...", "/_sandbox/..." or relative to /v1/."""
        if not path.startswith(("/", "http://")):
            path = "/v1/" + path
        headers = dict(kwargs.pop("headers", None) or {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return self._http.request(method, path, headers=headers, **kwargs)

    def _control(self, path: str, body: Mapping[str, Any] | None = None) -> Any:
        response = self.api("POST", path, json=dict(body or {}))
        assert response.status_code < 300, f"{path}: {response.status_code} {response.text}"
        return response.json() if response.content else None

    def reset(self) -> None:
        """Re-seed the demo data; faults off and the clock back at SANDBOX_NOW."""
        self._control("/_sandbox/reset")
        # Belt and braces: a test must never inherit another test's faults or clock.
        self.faults(0.0)
        self.clock(SANDBOX_NOW)

    def clock(self, now: str) -> None:
        self._control("/_sandbox/clock", {"now": now})

    def faults(
        self,
        rate: float,
        kinds: Sequence[str] = ("error_before", "error_after", "rate_limit", "latency"),
        seed: int = 1,
    ) -> None:
        self._control("/_sandbox/faults", {"rate": rate, "kinds": list(kinds), "seed": seed})

    def outbox(self) -> list[dict[str, Any]]:
        response = self.api("GET", "/_sandbox/outbox")
        assert response.status_code == 200, response.text
        body = response.json()
        return body["data"] if isinstance(body, dict) else body

    # Conveniences for setting up state -------------------------------------------------------

    def sign_in(self, email: str = OWNER, password: str = DEMO_PASSWORD) -> str:
        """A session token straight from the API (not through the CLI)."""
        response = self.api("POST", "auth/sessions", json={"email": email, "password": password})
        assert response.status_code == 201, response.text
        return str(response.json()["token"])

    def enable_totp(self, email: str = OWNER) -> TwoFactor:
        """Turn 2FA on for `email` through the API at the pinned clock (SANDBOX_NOW)."""
        import pyotp

        self.clock(SANDBOX_NOW)
        token = self.sign_in(email)
        enrollment = self.api("POST", "me/totp", token)
        assert enrollment.status_code in (200, 201), enrollment.text
        totp = pyotp.TOTP(enrollment.json()["secret"])
        verified = self.api("POST", "me/totp/verify", token, json={"code": totp.at(_NOW)})
        assert verified.status_code in (200, 201), verified.text
        return TwoFactor(self, totp, list(verified.json()["recovery_codes"]))

    def get(self, path: str, token: str) -> Any:
        response = self.api("GET", path, token)
        assert response.status_code == 200, f"GET {path}: {response.status_code} {response.text}"
        return response.json()

    def list_all(self, path: str, token: str) -> list[dict[str, Any]]:
        return list(self.get(path + ("&" if "?" in path else "?") + "limit=1000", token)["data"])

    def accounts(self, token: str) -> list[dict[str, Any]]:
        """Every account the token's user can see, across its orgs."""
        found: list[dict[str, Any]] = []
        for org in self.list_all("orgs", token):
            found += self.list_all(f"orgs/{org['id']}/accounts", token)
        return found

    def account_named(self, token: str, name: str) -> dict[str, Any]:
        for account in self.accounts(token):
            if account["name"] == name:
                return account
        raise AssertionError(f"no account named {name!r} in {self.accounts(token)}")

    def org_named(self, token: str, name: str) -> dict[str, Any]:
        for org in self.list_all("orgs", token):
            if org["name"] == name:
                return org
        raise AssertionError(f"no org named {name!r}")

    def close(self) -> None:
        self._http.close()
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)


_NOW = datetime.fromisoformat(SANDBOX_NOW.replace("Z", "+00:00"))


@dataclass
class TwoFactor:
    sandbox: Sandbox
    totp: Any  # pyotp.TOTP
    recovery_codes: list[str]

    def fresh_code(self, minutes: int) -> str:
        """Move the sandbox clock `minutes` past SANDBOX_NOW and return the code for then.

        Codes are single-use per time step, so each use needs its own step."""
        later = _NOW + timedelta(minutes=minutes)
        self.sandbox.clock(later.isoformat().replace("+00:00", "Z"))
        return str(self.totp.at(later))


def start_sandbox(workdir: Path, *extra_args: str) -> Sandbox:
    """Start the sandbox on a free port and wait for its listening line (or fail showing why)."""
    db = workdir / "sandbox.db"
    cmd = [sys.executable, "-m", "chathq_cli", "sandbox", "serve", "--port", "0"]
    cmd += ["--seed", "demo", "--clock", SANDBOX_NOW, "--db", str(db), *extra_args]
    env = base_env() | {"HOME": str(workdir), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        cmd,
        cwd=workdir,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    log: list[str] = []
    found: dict[str, str] = {}
    ready = threading.Event()

    def drain() -> None:
        # Keeps reading for the server's whole life so a full pipe never blocks it.
        assert proc.stdout is not None
        for line in proc.stdout:
            log.append(line)
            match = LISTENING_RE.search(line)
            if match and not ready.is_set():
                found["url"] = match.group(1)
                ready.set()
        ready.set()  # EOF: the process ended

    threading.Thread(target=drain, daemon=True).start()
    ready.wait(SANDBOX_START_TIMEOUT)
    if "url" not in found:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=5)
        pytest.fail(
            f"the sandbox did not print its listening line within {SANDBOX_START_TIMEOUT:.0f} s"
            f"\ncommand: {shlex.join(cmd)}\nexit code: {proc.returncode}\n"
            f"output:\n{''.join(log)}",
            pytrace=False,
        )
    return Sandbox(found["url"], proc, log)


# --------------------------------------------------------------------------------------------
# Running portal


@dataclass
class Result:
    args: tuple[str, ...]
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)

    def describe(self) -> str:
        return (
            f"portal {shlex.join(self.args)}\nexit code: {self.code}\n"
            f"--- stdout ---\n{self.stdout}\n--- stderr ---\n{self.stderr}"
        )


class LoginByPassword:
    """`login()` and `token()` for both runners (`Cli` here, `Portal` in inprocess.py): each
    has `run()`."""

    def run(self, *args: str, **kwargs: Any) -> Result:
        raise NotImplementedError

    def login(
        self,
        email: str = OWNER,
        password: str = DEMO_PASSWORD,
        *extra: str,
        exit_code: int | None = 0,
        env: Mapping[str, str | None] | None = None,
    ) -> Result:
        """`portal auth login --email EMAIL --password-stdin` with the password on stdin."""
        return self.run(
            "auth",
            "login",
            "--email",
            email,
            "--password-stdin",
            *extra,
            stdin=password + "\n",
            exit_code=exit_code,
            env=env,
        )

    def token(self) -> str:
        """The stored token, as `portal auth token` prints it."""
        token = self.run("auth", "token").stdout.strip()
        assert token, "portal auth token printed nothing"
        return token


class Cli(LoginByPassword):
    """Runs `portal` as a subprocess with an isolated HOME, config dir and keyring."""

    def __init__(self, sandbox: Sandbox, tmp_path: Path) -> None:
        self.sandbox = sandbox
        self.home = tmp_path / "home"
        self.config_dir = tmp_path / "config"
        self.keyring_file = tmp_path / "keyring.json"
        self.home.mkdir(parents=True, exist_ok=True)

    def env(self, extra: Mapping[str, str | None] | None = None) -> dict[str, str]:
        """The child's environment; a None value in `extra` removes that variable."""
        env = base_env() | {
            "HOME": str(self.home),
            "XDG_CONFIG_HOME": str(self.home / ".config"),
            "XDG_DATA_HOME": str(self.home / ".local" / "share"),
            "XDG_CACHE_HOME": str(self.home / ".cache"),
            "PORTAL_HOST": self.sandbox.url,
            "PORTAL_CONFIG_DIR": str(self.config_dir),
            "NO_COLOR": "1",
            "COLUMNS": "100",
            "PYTHON_KEYRING_BACKEND": KEYRING_BACKEND,
            KEYRING_FILE_ENV: str(self.keyring_file),
            "PYTHONPATH": str(SUPPORT_DIR),
        }
        for key, value in (extra or {}).items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = value
        return env

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "chathq_cli", *args]

    def run(
        self,
        *args: str,
        exit_code: int | None = 0,
        stdin: str | None = None,
        env: Mapping[str, str | None] | None = None,
        tty: bool = False,
        timeout: float = SUBPROCESS_TIMEOUT,
    ) -> Result:
        """Run `portal *args`; fail the test unless it exits with `exit_code` (None: any).

        stdin: text fed to the child (None: no input, not a TTY). tty=True puts stdout on a
        pseudo-terminal (100 columns) so the product sees a terminal there; stderr stays a pipe.
        """
        child_env = self.env(env)
        if tty:
            result = self._run_tty(args, child_env, stdin, timeout)
        else:
            try:
                proc = subprocess.run(
                    self.command(*args),
                    cwd=self.home,
                    env=child_env,
                    input=stdin if stdin is not None else "",
                    capture_output=True,
                    text=True,
                    encoding="utf-8",
                    errors="replace",
                    timeout=timeout,
                )
            except subprocess.TimeoutExpired as exc:
                pytest.fail(
                    f"portal {shlex.join(args)} did not finish within {timeout:.0f} s\n"
                    f"--- stdout ---\n{_text(exc.stdout)}\n--- stderr ---\n{_text(exc.stderr)}",
                    pytrace=False,
                )
            result = Result(tuple(args), proc.returncode, proc.stdout, proc.stderr)
        if exit_code is not None and result.code != exit_code:
            pytest.fail(f"expected exit code {exit_code}\n{result.describe()}", pytrace=False)
        return result

    def _run_tty(
        self, args: Sequence[str], env: dict[str, str], stdin: str | None, timeout: float
    ) -> Result:
        env = env | {"TERM": "xterm-256color"}
        master, slave = pty.openpty()
        # 100 columns x 40 rows, like COLUMNS=100.
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
        proc = subprocess.Popen(
            self.command(*args),
            cwd=self.home,
            env=env,
            stdin=subprocess.PIPE,
            stdout=slave,
            stderr=subprocess.PIPE,
        )
        os.close(slave)
        assert proc.stdin is not None and proc.stderr is not None
        proc.stdin.write((stdin or "").encode())
        proc.stdin.close()
        chunks: list[bytes] = []
        err_chunks: list[bytes] = []
        err_thread = threading.Thread(target=lambda: err_chunks.append(proc.stderr.read()))
        err_thread.start()
        deadline = time.monotonic() + timeout
        try:
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    proc.kill()
                    pytest.fail(f"portal {shlex.join(args)} timed out (tty)", pytrace=False)
                ready, _, _ = select.select([master], [], [], min(remaining, 0.5))
                if ready:
                    try:
                        data = os.read(master, 65536)
                    except OSError:  # EIO: the child closed the terminal
                        break
                    if not data:
                        break
                    chunks.append(data)
                elif proc.poll() is not None:
                    break  # exited and nothing left in the terminal buffer
        finally:
            os.close(master)
        proc.wait(timeout=timeout)
        err_thread.join(timeout=timeout)
        stdout = b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")
        stderr = b"".join(err_chunks).decode("utf-8", "replace")
        return Result(tuple(args), proc.returncode, stdout, stderr)

    # Conveniences ----------------------------------------------------------------------------

    def sign_in(self, email: str = OWNER, profile: str = "default") -> str:
        """Fast sign-in for tests that are not about signing in: a session token from the API,
        stored where `auth login` stores it (keyring user `<profile>@<host>` of the test
        keyring). Saves a CLI run (about a second on a loaded machine). Returns the token."""
        token = self.sandbox.sign_in(email)
        data = json.loads(self.keyring_file.read_text()) if self.keyring_file.exists() else {}
        data.setdefault("chathq-cli", {})[f"{profile}@{self.sandbox.url}"] = token
        self.keyring_file.write_text(json.dumps(data))
        return token


def _text(data: bytes | str | None) -> str:
    if data is None:
        return ""
    return data.decode("utf-8", "replace") if isinstance(data, bytes) else data


# --------------------------------------------------------------------------------------------
# Assertions shared by the test modules


def assert_one_line_error(result: Result, *, mentions: str | None = None) -> str:
    """stderr is one `error:` line, optionally one `hint:` line, and no traceback.

    Returns the error line. `mentions`: a word the error line must contain (case-insensitive),
    e.g. the parameter's name.
    """
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert "Traceback" not in result.stderr, result.describe()
    errors = [line for line in lines if line.startswith("error:")]
    hints = [line for line in lines if line.startswith("hint:")]
    assert len(errors) == 1, f"expected exactly one 'error:' line\n{result.describe()}"
    assert len(hints) <= 1, f"expected at most one 'hint:' line\n{result.describe()}"
    assert len(lines) == len(errors) + len(hints), f"unexpected stderr lines\n{result.describe()}"
    if mentions is not None:
        assert mentions.lower() in errors[0].lower(), (
            f"the error should mention {mentions!r}\n{result.describe()}"
        )
    return errors[0]


def assert_error(result: Result, *, mentions: str | None = None) -> str:
    """Like assert_one_line_error, but also accepts the JSON error form of SPEC §3 (one
    `{"error": {...}}` object on stderr), which `portal api` uses since its output is JSON."""
    text = result.stderr.strip()
    if text.startswith("{"):
        assert "\n" not in text, f"expected one JSON error object\n{result.describe()}"
        error = json.loads(text)["error"]
        assert {"type", "code", "message", "param", "request_id"} <= set(error), result.describe()
        if mentions is not None:
            found = f"{error['message']} {error['param']}".lower()
            assert mentions.lower() in found, f"should mention {mentions!r}\n{result.describe()}"
        return str(error["message"])
    return assert_one_line_error(result, mentions=mentions)
