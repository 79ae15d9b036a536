"""Exports that survive being stopped: `FILE.part` plus a checkpoint, and `--resume`.

    with open_resumable(path, force=force, resume=resume, key=what, env=env) as part:
        start_after = part.resumed.cursor if part.resumed else None
        for page in pages:                    # written to part.stream
            ...
            part.save(page.next_cursor, rows_so_far)

The rules on top of `open_destination`'s (see `_files.py`; only a regular FILE can resume):

- After each page the export calls `save`: the checkpoint `FILE.checkpoint` (JSON, mode 0600,
  rewritten in place by one write) records what the export is (`key`: host, account,
  filters, format), the cursor that continues after the page, the rows and bytes written
  and the SHA-256 of those bytes.
- When the export stops (an error, Ctrl-C, SIGTERM, SIGHUP) after a checkpoint, `FILE.part`
  is cut back to the checkpoint's bytes and both stay, and the user is told how to go on;
  before any checkpoint, both are removed as before.
- `--resume` continues a `FILE.part` only when its checkpoint is for the same `key` and the
  file still starts with exactly the bytes the checkpoint vouches for (anything after them,
  from a process killed between two checkpoints, is cut off); anything else is a usage error
  (exit 2) that changes nothing. With nothing to resume, `--resume` starts afresh.
- Without `--resume`, an existing `FILE.part` is never written to (`check_destination`).
- FILE appears only when the export completes; the checkpoint then goes.
- A lock (flock) on `FILE.part` keeps two exports from writing the same file.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from chathq_cli.errors import PortalError, UsageError
from chathq_cli.output._files import (
    Destination,
    _cleanup_on_signals,
    _umask,
    _write_errors,
    check_destination,
    open_destination,
)

if TYPE_CHECKING:
    from chathq_cli.output._env import Env

VERSION = 1


@dataclass(frozen=True)
class Checkpoint:
    """How far an export got: enough to continue it and to check nothing else touched it."""

    key: dict[str, Any]  # what the export is (host, account, filters, format)
    cursor: str  # the next page starts after this
    rows: int
    size: int  # bytes of FILE.part this checkpoint covers
    sha256: str  # of those bytes
    version: int = VERSION


def checkpoint_path(target: Path) -> Path:
    return target.with_name(target.name + ".checkpoint")


class _HashingFile(io.FileIO):
    """The .part file, hashing every byte that reaches it (no second read of the file)."""

    def __init__(self, fd: int, digest: Any, size: int) -> None:
        super().__init__(fd, "w", closefd=True)
        self.digest = digest
        self.size = size

    def write(self, data: Any) -> int:
        written = super().write(data)
        if written:
            self.digest.update(memoryview(data)[:written])
            self.size += written
        return written or 0


class ResumableFile:
    """The export's stream, what it resumes from, and `save()` after each page."""

    def __init__(
        self,
        stream: IO[Any],
        key: dict[str, Any],
        resumed: Checkpoint | None,
        raw: _HashingFile | None = None,
        checkpoint: Path | None = None,
    ) -> None:
        self.stream = stream
        self.key = key
        self.resumed = resumed
        self.saved = resumed
        self.rows = resumed.rows if resumed is not None else 0
        self._raw = raw
        self._checkpoint = checkpoint
        self._checkpoint_fd: int | None = None
        self._checkpoint_length = 0

    def save(self, cursor: str | None, rows: int) -> None:
        """Everything written so far is `rows` rows, and the export continues after `cursor`
        (None: it cannot; the export is ending)."""
        self.rows = rows
        if self._raw is None or self._checkpoint is None or cursor is None:
            return
        self.stream.flush()
        checkpoint = Checkpoint(
            self.key, cursor, rows, self._raw.size, self._raw.digest.copy().hexdigest()
        )
        self._write(checkpoint)
        self.saved = checkpoint

    def _write(self, checkpoint: Checkpoint) -> None:
        """Rewrite the checkpoint in place: one small write, padded with spaces (valid JSON
        whitespace) over a longer earlier one. A rename per page would cost more than the
        page on some file systems (measured: 7 ms on an overlay)."""
        if self._checkpoint is None:
            return
        if self._checkpoint_fd is None:
            # Not truncated: until the first write lands, a resumed export's checkpoint stays
            # whole. Never through a symlink planted in its place.
            flags = os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
            self._checkpoint_fd = os.open(self._checkpoint, flags, 0o600)
            self._checkpoint_length = os.fstat(self._checkpoint_fd).st_size
        data = json.dumps(asdict(checkpoint)).encode()
        padded = data + b" " * max(0, self._checkpoint_length - len(data))
        os.pwrite(self._checkpoint_fd, padded, 0)
        self._checkpoint_length = len(padded)

    def close_checkpoint(self) -> None:
        if self._checkpoint_fd is not None:
            with suppress(OSError):
                os.close(self._checkpoint_fd)
            self._checkpoint_fd = None


@contextmanager
def open_resumable(
    path: Path | str | None,
    *,
    force: bool,
    resume: bool,
    key: Mapping[str, Any],
    env: Env | None = None,
    param: str = "--output",
    on_kept: Callable[[str], None] | None = None,
) -> Iterator[ResumableFile]:
    """A stream for an export under the rules above. `on_kept` is told, when the export stops
    with its work kept, how to go on (unless the error carries the advice itself)."""
    wanted = dict(key)
    destination = check_destination(path, force=force, param=param, resume=resume)
    if destination.kind != "replace":
        if resume:
            raise UsageError(
                "--resume needs --output FILE: a regular file, written through FILE.part",
                param="--resume",
            )
        with open_destination(path, force=force, param=param, env=env) as stream:
            yield ResumableFile(stream, wanted, None)
        return
    part = destination.part
    checkpoint_file = checkpoint_path(destination.target or part)
    with _cleanup_on_signals():
        fd, resumed, digest, size = _open_part(part, checkpoint_file, wanted, resume=resume)
        raw = _HashingFile(fd, digest, size)
        exported = ResumableFile(
            io.TextIOWrapper(io.BufferedWriter(raw, 1 << 16), encoding="utf-8", newline=""),
            wanted,
            resumed,
            raw,
            checkpoint_file,
        )
        try:
            with _write_errors(destination.path, param):
                yield exported
                exported.stream.flush()
                os.fsync(raw.fileno())  # the rename must not expose an empty file on a crash
                os.fchmod(raw.fileno(), _final_mode(destination))
                exported.stream.close()
            os.replace(part, destination.target or part)
            exported.close_checkpoint()
            checkpoint_file.unlink(missing_ok=True)
        except BaseException as stop:
            _stopped(stop, raw, part, checkpoint_file, exported.saved, on_kept)
            raise
        finally:
            exported.close_checkpoint()
            if not raw.closed:
                with suppress(OSError, ValueError):
                    raw.close()


def _open_part(
    part: Path, checkpoint_file: Path, key: dict[str, Any], *, resume: bool
) -> tuple[int, Checkpoint | None, Any, int]:
    """FILE.part open and locked, the checkpoint it resumes from (if any), and the hash and
    size of what it holds. Every refusal comes before anything is changed."""
    if resume and os.path.lexists(part):
        checkpoint = _read_checkpoint(checkpoint_file, part)
        _check_same_export(checkpoint, key, part)
        try:
            fd = os.open(part, os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError as error:
            raise UsageError(f"--resume: {part}: {error.strerror}", param="--resume") from None
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise UsageError(f"--resume: {part} is not a regular file", param="--resume")
        _lock(fd, part)
        digest, size = _verified(fd, checkpoint)
        return fd, checkpoint, digest, size
    # A checkpoint without its .part is of no use: the export starts afresh.
    checkpoint_file.unlink(missing_ok=True)
    try:
        fd = os.open(part, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    except FileExistsError:
        raise UsageError(
            f"--output: {part} already exists: another export to this file may be running",
            param="--output",
        ) from None
    except OSError as error:
        raise UsageError(f"--output: {part}: {error.strerror}", param="--output") from None
    try:
        _lock(fd, part)
    except BaseException:
        os.close(fd)
        raise
    return fd, None, hashlib.sha256(), 0


def _lock(fd: int, part: Path) -> None:
    try:
        import fcntl
    except ImportError:  # not on this platform: O_EXCL still guards a fresh export
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise UsageError(
            f"--resume: another portal process is writing {part}", param="--resume"
        ) from None


def _read_checkpoint(checkpoint_file: Path, part: Path) -> Checkpoint:
    refuse = UsageError(
        f"--resume: {part} has no usable checkpoint ({checkpoint_file}), so what it holds "
        "cannot be checked",
        param="--resume",
        hint=f"remove {part} and export again without --resume",
    )
    try:
        data = json.loads(checkpoint_file.read_text(encoding="utf-8"))
        checkpoint = Checkpoint(**data)
    except (OSError, ValueError, TypeError):
        raise refuse from None
    ok = (
        checkpoint.version == VERSION
        and isinstance(checkpoint.key, dict)
        and isinstance(checkpoint.cursor, str)
        and all(isinstance(n, int) and n >= 0 for n in (checkpoint.rows, checkpoint.size))
        and isinstance(checkpoint.sha256, str)
    )
    if not ok:
        raise refuse
    return checkpoint


def _check_same_export(checkpoint: Checkpoint, key: dict[str, Any], part: Path) -> None:
    """The same host, account, filters and format, or a usage error naming what differs."""
    different = [name for name in key if checkpoint.key.get(name) != key[name]]
    different += [name for name in checkpoint.key if name not in key]
    if different:
        what = ", ".join(dict.fromkeys(different))
        raise UsageError(
            f"--resume: {part} was written by another export (not the same {what} as this "
            "command's); resume it with the same account and options",
            param="--resume",
            hint=f"or remove {part} to export afresh",
        )


def _verified(fd: int, checkpoint: Checkpoint) -> tuple[Any, int]:
    """Hash the bytes the checkpoint covers; cut off what follows them (an unsaved page)."""
    digest = hashlib.sha256()
    left = checkpoint.size
    offset = 0
    while left > 0:
        chunk = os.pread(fd, min(left, 1 << 20), offset)
        if not chunk:
            break
        digest.update(chunk)
        offset += len(chunk)
        left -= len(chunk)
    if left > 0 or digest.hexdigest() != checkpoint.sha256:
        os.close(fd)
        raise UsageError(
            "--resume: the partial file changed since its checkpoint; it cannot be continued",
            param="--resume",
            hint="remove the .part file and its .checkpoint, and export again",
        )
    os.ftruncate(fd, checkpoint.size)
    os.lseek(fd, 0, os.SEEK_END)
    return digest, checkpoint.size


def _final_mode(destination: Destination) -> int:
    if destination.existing_mode is not None:
        return destination.existing_mode
    return 0o666 & ~_umask()


def _stopped(
    stop: BaseException,
    raw: _HashingFile | None,
    part: Path,
    checkpoint_file: Path,
    saved: Checkpoint | None,
    on_kept: Callable[[str], None] | None,
) -> None:
    """Keep the work up to the last checkpoint (and say how to go on), or leave nothing."""
    if raw is not None:
        with suppress(OSError, ValueError):
            raw.close()  # unflushed text is dropped with the cut below
    if saved is None:
        part.unlink(missing_ok=True)
        checkpoint_file.unlink(missing_ok=True)
        return
    with suppress(OSError):
        os.truncate(part, saved.size)
    advice = (
        f"{saved.rows:,} records are saved in {part}; run the same command with --resume "
        "to continue"
    )
    if isinstance(stop, PortalError) and not stop.hint:
        stop.hint = advice  # shown under the error
    elif isinstance(stop, KeyboardInterrupt):
        stop.add_note(advice)  # the error boundary shows it under "interrupted"
    elif on_kept is not None:
        on_kept(advice)
