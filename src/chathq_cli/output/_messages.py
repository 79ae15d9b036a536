"""Messages on stderr: success, information, warnings, hints, debug lines and errors."""

from __future__ import annotations

import traceback
from pathlib import Path

from chathq_cli.output._choice import error_fields
from chathq_cli.output._env import Env
from chathq_cli.output._format import dumps, escape_control

_RED, _YELLOW, _GREEN, _BOLD, _RESET = "\x1b[31m", "\x1b[33m", "\x1b[32m", "\x1b[1m", "\x1b[0m"


class Messages:
    """The stderr half of `Output`: one line per message, coloured only on a terminal."""

    env: Env
    no_color: bool
    json_errors: bool
    debug_enabled: bool

    @property
    def _stderr_color(self) -> bool:
        return self.env.stderr_isatty and not self.no_color

    def _paint(self, text: str, *codes: str) -> str:
        return "".join(codes) + text + _RESET if self._stderr_color else text

    def _message(self, text: str) -> None:
        self.env.stderr.write(text + "\n")
        self.env.stderr.flush()

    def success(self, msg: str) -> None:
        text = escape_control(msg, keep_newlines=True)
        self._message(self._paint("✓ ", _GREEN) + text if self.env.stderr_isatty else text)

    def next_step(self, command: str, why: str) -> None:
        """After a creation, the command to run next (`Next: portal org use org_1 to work in
        it`): for a person at a terminal, so never in JSON output nor in a pipe or log."""
        if not self.env.stderr_isatty or getattr(self, "is_json", False):
            return
        self._message(f"{self._paint('Next:', _BOLD)} {escape_control(command)} {why}")

    def wrote(self, path: Path | str | None, what: str) -> None:
        """`Wrote 200,000 records to usage.csv (10.2 MB)`: at a terminal, after a file is
        complete, so a person sees where the data went; scripts know, and get nothing.
        Nothing either when the data went to stdout (no path, or `-`)."""
        from chathq_cli.output._files import is_stdout

        if path is None or is_stdout(path) or not self.env.stderr_isatty:
            return
        path = Path(path)
        size = f" ({file_size(path.stat().st_size)})" if path.is_file() else ""
        self.success(f"Wrote {what} to {path}{size}")

    def info(self, msg: str) -> None:
        self._message(escape_control(msg, keep_newlines=True))

    def warn(self, msg: str) -> None:
        self._message(
            self._paint("warning:", _YELLOW) + " " + escape_control(msg, keep_newlines=True)
        )

    def hint(self, msg: str) -> None:
        self._message(self._paint("hint:", _BOLD) + " " + escape_control(msg))

    def debug(self, line: str) -> None:
        if self.debug_enabled:
            self._message(escape_control(line))

    def error(self, err: BaseException) -> None:
        """`error: ...` (+ `hint: ...`), or exactly one JSON error object in JSON mode."""
        if self.debug_enabled:
            self._write_traceback(err)
        fields = error_fields(err)
        if self.json_errors:
            self._message(dumps({"error": fields}))
            return
        self._message(self._paint("error:", _BOLD, _RED) + " " + escape_control(fields["message"]))
        hint = getattr(err, "hint", None)
        if hint:
            self.hint(str(hint))
        if self.debug_enabled and fields["request_id"]:
            self._message("request-id: " + escape_control(fields["request_id"]))

    def _write_traceback(self, err: BaseException) -> None:
        # An error the boundary built to wrap another one was never raised: show the original.
        origin = err.__cause__ if err.__traceback__ is None and err.__cause__ is not None else err
        if origin.__traceback__ is not None:
            self.env.stderr.write("".join(traceback.format_exception(origin)))


def file_size(size: int) -> str:
    """`size` bytes for people: "512 bytes", "48.3 kB", "10.2 MB" (SI units, as `ls -h --si`)."""
    if size < 1000:
        return f"{size} bytes"
    value = size / 1000
    for unit in ("kB", "MB"):
        if value < 999.95:
            return f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} GB"
