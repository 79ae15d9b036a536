"""`--output FILE`: writing a command's data to a file the user named, without harming it.

Two steps, so that a bad path is an error before any request is made:

    from chathq_cli.output import check_destination, open_destination

    check_destination(path, force=force)                 # exit 2 now, not after the download
    ...
    with open_destination(path, force=force, binary=True, env=rt.out.env) as stream:
        for chunk in chunks:
            stream.write(chunk)

(`Output.to_destination` wraps the second step for tables/CSV/JSON and yields an `Output`.)

The rules, by what is at FILE:

- `None` or `-`: standard output.
- absent, or a regular file: written to `FILE.part` in the same directory, renamed over FILE
  only when everything was written. An existing FILE is replaced only with `--force`, and
  keeps its permission bits; a new one gets the umask's. `FILE.part` is created exclusively
  (never through a symlink someone planted) with mode 0600, so a partial file is never
  readable by others; its final mode is set just before the rename.
- a symlink: followed, and its final target handled by these same rules (the link stays a
  link, to the new file), as the shell's `>` and `curl -o` do.
- a character device, FIFO or block device (`/dev/null`, `/dev/tty`, a named pipe), or
  `/dev/stdout`, `/dev/stderr`, `/dev/fd/N`, `/proc/self/fd/N`: written directly, no
  `.part`, no rename (renaming over `/dev/null` would replace the device node).
  `/dev/stdout` and friends write to the process's own descriptor, like bash does, so
  `-o /dev/stdout >> log` appends and a socket as stdout works.
- a directory, a socket file, a missing or unwritable directory, a read-only file: a usage
  error naming the option (exit 2).

While `FILE.part` exists, any exception (Ctrl-C included), SIGTERM or SIGHUP removes it and
leaves FILE untouched. SIGTERM/SIGHUP then end the process with 143/129 (128 + the signal) by
raising `Terminated`, a `SystemExit`, so every `finally` up the stack runs; a signal the user
ignores (`nohup`) stays ignored, and one with a Python handler gets that handler called.
"""

from __future__ import annotations

import errno
import os
import re
import signal
import stat
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import IO, TYPE_CHECKING, Any, Literal

from chathq_cli.errors import PortalError, UsageError

if TYPE_CHECKING:
    from chathq_cli.output._env import Env

Kind = Literal["stdout", "replace", "direct"]

# Paths that name one of this process's own descriptors.
_FD_ALIASES = re.compile(
    r"^/(?:dev/(?:fd/(?P<fd>\d+)|(?P<std>stdout|stderr))|proc/self/fd/(?P<pfd>\d+))$"
)
_STD_FDS = {"stdout": 1, "stderr": 2}
# Write errors that are about the destination (not a closed pipe: that is the boundary's).
_DESTINATION_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS}


@dataclass(frozen=True)
class Destination:
    """Where `--output` writes, as `check_destination` found it."""

    kind: Kind
    path: Path | None = None  # as the user gave it
    target: Path | None = None  # "replace": the file renamed over (a symlink's final target)
    fd: int | None = None  # "direct" through /dev/stdout and friends: the descriptor
    existing_mode: int | None = None  # "replace" over an existing file: its permission bits

    @property
    def part(self) -> Path:
        if self.target is None:
            raise ValueError("only a file replaced on success has a .part file")
        return self.target.with_name(self.target.name + ".part")


class Terminated(SystemExit):
    """SIGTERM or SIGHUP arrived while `FILE.part` was being written; exits with 128 + signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(128 + signum)
        self.signum = signum


def is_stdout(path: Path | str | None) -> bool:
    return path is None or os.fspath(path) == "-"


def check_destination(
    path: Path | str | None,
    *,
    force: bool,
    param: str = "--output",
    binary: bool = False,
    env: Env | None = None,
    resume: bool | None = None,
) -> Destination:
    """Check that `path` can be written under the rules above; UsageError (exit 2) if not.

    Call it before the first request. `binary` with no path refuses a terminal as stdout
    (a PDF would garble it) when `env` says stdout is one. `resume` (an export that can
    resume, see `_resume.py`): True lets an existing FILE.part be continued; False refuses it
    and names --resume.
    """
    if path is None or os.fspath(path) == "-":
        if binary and env is not None and env.stdout_isatty:
            raise UsageError(
                "refusing to write binary data to a terminal",
                param=param,
                hint=f"pass {param} FILE, or redirect standard output to a file",
            )
        return Destination("stdout")
    given = Path(path)
    text = os.fspath(path)
    shown = repr(text) if not text.isprintable() else text
    if not text or "\0" in text:
        raise UsageError(f"{param}: {shown} is not a file name", param=param)

    alias = _FD_ALIASES.match(text)
    if alias:
        fd = int(alias["fd"] or alias["pfd"] or _STD_FDS[alias["std"] or "stdout"])
        try:
            os.fstat(fd)
        except OSError:
            raise UsageError(
                f"{param}: {shown}: descriptor {fd} is not open", param=param
            ) from None
        return Destination("direct", given, fd=fd)

    try:
        info: os.stat_result | None = os.stat(given)  # follows symlinks
    except FileNotFoundError:
        info = None  # absent, or a symlink to something absent: created through the link
    except OSError as error:  # ELOOP, EACCES, ENOTDIR, ENAMETOOLONG...
        raise UsageError(f"{param}: {shown}: {error.strerror}", param=param) from None

    if info is not None and stat.S_ISDIR(info.st_mode):
        raise UsageError(f"{param}: {shown} is a directory", param=param)
    if info is not None and stat.S_ISSOCK(info.st_mode):
        raise UsageError(f"{param}: {shown} is a socket; it cannot be opened", param=param)
    if info is not None and not stat.S_ISREG(info.st_mode):
        # A device or a FIFO: written in place, never replaced.
        if not os.access(given, os.W_OK):
            raise UsageError(f"{param}: {shown} is not writable", param=param)
        return Destination("direct", given)

    target = Path(os.path.realpath(given))
    parent = target.parent
    if not parent.is_dir():
        raise UsageError(f"{param}: directory {parent} does not exist", param=param)
    if not os.access(parent, os.W_OK | os.X_OK):
        raise UsageError(f"{param}: cannot write in {parent}", param=param)
    existing_mode = None
    if info is not None:
        if not force:
            raise UsageError(
                f"{param}: {shown} already exists; pass --force to replace it",
                param=param,
                hint="--force replaces the file only once everything was written",
            )
        if not os.access(target, os.W_OK):
            raise UsageError(f"{param}: {shown} is read-only", param=param)
        existing_mode = stat.S_IMODE(info.st_mode) & 0o777  # never set-id bits
    destination = Destination("replace", given, target=target, existing_mode=existing_mode)
    if os.path.lexists(destination.part) and not resume:
        how = "pass --resume to continue it, or remove it" if resume is False else "remove it"
        raise UsageError(
            f"{param}: {destination.part} already exists: another export to this file may be "
            "running, or one was stopped",
            param=param,
            hint=f"{how} if no other export is running",
        )
    return destination


@contextmanager
def open_destination(
    path: Path | str | None,
    *,
    force: bool,
    binary: bool = False,
    param: str = "--output",
    env: Env | None = None,
) -> Iterator[IO[Any]]:
    """A stream to write the data to (text in UTF-8, or bytes with `binary`), under the rules
    in this module's docstring. The checks run again here (the path may have changed since
    `check_destination`); FILE is in place, complete, only when the block ends normally.
    """
    destination = check_destination(path, force=force, param=param, binary=binary, env=env)
    if destination.kind == "stdout":
        stream: IO[Any] = env.stdout if env is not None else sys.stdout
        if binary:
            stream = stream.buffer  # type: ignore[attr-defined]
        yield stream
        stream.flush()
        return
    if destination.kind == "direct":
        with _open_direct(destination, binary=binary, param=param) as direct:
            yield direct
        return
    with _replace_on_success(destination, binary=binary, param=param) as part:
        yield part


@contextmanager
def _open_direct(destination: Destination, *, binary: bool, param: str) -> Iterator[IO[Any]]:
    if destination.fd is not None:
        if destination.fd in (1, 2):  # what Python buffered goes first
            sys.stdout.flush()
            sys.stderr.flush()
        fd = os.dup(destination.fd)
    else:
        try:
            flags = os.O_WRONLY | os.O_APPEND | os.O_NOCTTY | os.O_CLOEXEC
            fd = os.open(destination.path or "", flags)
        except OSError as error:
            raise UsageError(
                f"{param}: {destination.path}: {error.strerror}", param=param
            ) from None
    with _write_errors(destination.path, param), _fdopen(fd, binary) as stream:
        yield stream


@contextmanager
def _replace_on_success(destination: Destination, *, binary: bool, param: str) -> Iterator[IO[Any]]:
    part, target = destination.part, destination.target or destination.part
    final_mode = (
        destination.existing_mode if destination.existing_mode is not None else 0o666 & ~_umask()
    )
    created = False
    with _cleanup_on_signals():
        try:
            try:
                fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
                created = True  # from here on, any failure removes it
            except FileExistsError:
                raise UsageError(
                    f"{param}: {part} already exists: another export to this file may be running",
                    param=param,
                ) from None
            except OSError as error:
                raise UsageError(f"{param}: {part}: {error.strerror}", param=param) from None
            with _write_errors(destination.path, param), _fdopen(fd, binary) as stream:
                yield stream
                stream.flush()
                os.fsync(stream.fileno())  # the rename must not expose an empty file on a crash
                os.fchmod(stream.fileno(), final_mode)
            os.replace(part, target)
        except BaseException:
            # Ctrl-C, SIGTERM/SIGHUP (Terminated), a failed request: FILE stays as it was,
            # and a .part that is not ours (the O_EXCL failure) is left alone.
            if created:
                part.unlink(missing_ok=True)
            raise


def _fdopen(fd: int, binary: bool) -> IO[Any]:
    if binary:
        return os.fdopen(fd, "wb")
    return os.fdopen(fd, "w", encoding="utf-8", newline="")


@contextmanager
def _write_errors(path: Path | None, param: str) -> Iterator[None]:
    """A full disk or an I/O error on FILE: one `error:` line (exit 1), not a traceback."""
    try:
        yield
    except OSError as error:
        if error.errno not in _DESTINATION_ERRNOS:
            raise
        raise PortalError(f"{param}: cannot write {path}: {error.strerror}", param=param) from error


def _umask() -> int:
    # Linux tells the umask without changing it; elsewhere set-and-restore (this runs before
    # any worker thread creates files).
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


_HANDLED_SIGNALS = tuple(
    sig for sig in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if sig
)


@contextmanager
def _cleanup_on_signals() -> Iterator[None]:
    """Turn SIGTERM/SIGHUP into `Terminated` for the block, so the .part file is removed.

    Handlers can only be set from the main thread; elsewhere the block runs unprotected (the
    signals then act as before). The previous handlers are back when the block ends.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous: dict[int, Any] = {}
    unwinding = False

    def handler(signum: int, frame: FrameType | None) -> None:
        nonlocal unwinding
        if unwinding:  # a second signal while cleaning up: the first one is being obeyed
            return
        earlier = previous.get(signum)
        if callable(earlier):
            earlier(signum, frame)  # it may raise (we then clean up) or decide to carry on
            return
        unwinding = True
        raise Terminated(signum)

    for sig in _HANDLED_SIGNALS:
        current = signal.getsignal(sig)
        if current in (signal.SIG_IGN, None):  # nohup, or set outside Python: leave it
            continue
        previous[sig] = current
        signal.signal(sig, handler)
    try:
        yield
    finally:
        for sig, earlier in previous.items():
            signal.signal(sig, earlier)
