"""Files portal keeps on this machine: read as TOML, written atomically and privately.

Standard library only, so the completion cache and the credentials file need nothing heavier.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
import tomllib
from pathlib import Path
from typing import Any

from chathq_cli import errors


def write_private(path: Path, text: str) -> None:
    """Write `text` to `path` atomically (temp file + os.replace), 0600 in a 0700 directory.

    Only a directory created here is made 0700: an existing one (PORTAL_CONFIG_DIR=/tmp, say)
    is the user's, and its mode stays as it is; the file itself is 0600 either way.
    """
    directory = path.parent
    _make_private_dir(directory)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise _path_error("cannot write", path, exc) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise _path_error("cannot write", path, exc) from None
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _make_private_dir(directory: Path) -> None:
    """Create `directory` 0700 (missing parents with default modes, like `mkdir -p`)."""
    if directory.is_dir():
        return
    try:
        directory.parent.mkdir(parents=True, exist_ok=True)
        directory.mkdir(mode=0o700)
    except FileExistsError as exc:
        if directory.is_dir():
            return  # created meanwhile by someone else: theirs, not ours to chmod
        raise _path_error("cannot create the config directory", directory, exc) from None
    except OSError as exc:
        raise _path_error("cannot create the config directory", directory, exc) from None
    # mkdir's mode is filtered by the umask; make sure of 0700 on what we created.
    os.chmod(directory, 0o700)


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file as a dict; {} when missing; a UsageError naming the file when unusable."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise errors.UsageError(
            f"cannot read {path}: {exc}", hint=f"fix or remove {path}", param="config"
        ) from None
    except OSError as exc:
        raise _path_error("cannot read", path, exc) from None


def _path_error(action: str, path: Path, exc: OSError) -> errors.PortalError:
    """One line naming `path` and what is wrong with it.

    A path that is not what it should be (a file for a directory, no permission) is the
    user's setup to fix: exit 2. Anything else (a full disk) is a plain failure: exit 1.
    """
    hint = "fix the path or its permissions, or set PORTAL_CONFIG_DIR to another directory"
    if isinstance(exc, NotADirectoryError | FileExistsError):
        blocker = next((p for p in (path, *path.parents) if p.exists() and not p.is_dir()), None)
        reason = f"{blocker} is not a directory" if blocker else "a parent is not a directory"
    elif isinstance(exc, IsADirectoryError):
        reason = "it is a directory, not a file"
    elif isinstance(exc, PermissionError):
        reason = "permission denied"
    elif isinstance(exc, FileNotFoundError):
        # The directory exists but takes no new files (PORTAL_CONFIG_DIR=/proc/self).
        reason = "no file can be created there"
    elif exc.errno == errno.EROFS:
        reason = "read-only file system"
    else:
        return errors.PortalError(f"{action} {path}: {exc.strerror or exc}")
    return errors.UsageError(f"{action} {path}: {reason}", param="config", hint=hint)
