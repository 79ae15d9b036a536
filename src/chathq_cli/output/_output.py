"""`Output`: the one object that writes to the terminal (data to stdout, the rest to stderr)."""

from __future__ import annotations

import copy
import csv
import getpass
import itertools
import os
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import IO, TYPE_CHECKING, Any, Literal, TextIO, cast

from chathq_cli.errors import Cancelled, PortalError, UsageError
from chathq_cli.output._env import Env
from chathq_cli.output._format import (
    Column,
    dumps,
    escape_control,
    escape_control_keep_layout,
    infer_columns,
    plain_cell,
    table_cell,
)

if TYPE_CHECKING:
    from pathlib import Path

    from rich.console import Console
    from rich.table import Table

    from chathq_cli.output._jq import JqProgram

Format = Literal["table", "json", "csv"]

_RED, _YELLOW, _GREEN, _BOLD, _RESET = "\x1b[31m", "\x1b[33m", "\x1b[32m", "\x1b[1m", "\x1b[0m"
_TRUE = {"1", "true", "yes", "on"}
_NOTHING: Any = object()


class _TerminalSafeWriter:
    """The stream csv.writer writes to: each row made terminal-safe on its way out.

    Escaping the finished row, not each cell, costs one regex scan per row (exports of a
    million rows). It is equivalent: the escapes contain no quote, comma or newline, so the
    CSV quoting around them stays right.
    """

    def __init__(self, stream: IO[str]) -> None:
        self._write = stream.write

    def write(self, text: str) -> int:
        return self._write(escape_control_keep_layout(text))


def _env_no_color() -> bool:
    # NO_COLOR (no-color.org): any non-empty value. PORTAL_NO_COLOR: a boolean like our settings.
    return bool(os.environ.get("NO_COLOR")) or (
        os.environ.get("PORTAL_NO_COLOR", "").strip().lower() in _TRUE
    )


class Output:
    """Renders data as a table, TSV, JSON or CSV, and messages, errors and prompts on stderr.

    `rows` and `obj` are plain JSON-able dicts with the API's field names
    (`model.model_dump(mode="json")`). `--jq` implies JSON: it works on the JSON document.
    """

    def __init__(
        self,
        *,
        fmt: Format | None = None,
        json: bool = False,
        jq: str | None = None,
        preferred: Format | None = None,
        no_color: bool = False,
        no_prompt: bool = False,
        debug: bool = False,
        env: Env | None = None,
    ) -> None:
        """`fmt`, `json` and `jq` are the command line's flags; `preferred` is PORTAL_FORMAT or
        the config file's `format`. `choose_format` turns them into the one format in force."""
        self.env = env if env is not None else Env.from_system()
        self.jq = jq
        self.fmt: Format = choose_format(fmt, json=json, jq=jq, preferred=preferred)
        # Errors are JSON only when JSON was asked for: --jq shapes the data, not the errors
        # (like gh), and `portal api` prints JSON data whatever the format.
        self.json_errors = json or fmt == "json" or (fmt is None and preferred == "json")
        self.no_color = no_color or _env_no_color()
        self.no_prompt = no_prompt
        self.debug_enabled = debug
        self._jq_program: JqProgram | None = None

    @property
    def is_json(self) -> bool:
        """True when data is printed as the API's JSON (--json, --format json, or --jq)."""
        return self.fmt == "json"

    @property
    def is_terminal_table(self) -> bool:
        """True when data is shown to a person as a Rich table (table format on a TTY)."""
        return self.fmt == "table" and self.env.stdout_isatty

    # -- set-up ------------------------------------------------------------------------------

    def compile_jq(self) -> None:
        """Compile `--jq` now, so a bad expression is a usage error before any request."""
        if self.jq is not None and self._jq_program is None:
            from chathq_cli.output._jq import JqProgram

            self._jq_program = JqProgram(self.jq)

    @property
    def _stderr_color(self) -> bool:
        return self.env.stderr_isatty and not self.no_color

    def _paint(self, text: str, *codes: str) -> str:
        return "".join(codes) + text + _RESET if self._stderr_color else text

    def _console(self, stream: IO[str], isatty: bool) -> Console:
        from rich.console import Console

        return Console(
            file=stream,
            force_terminal=isatty,
            no_color=self.no_color,
            width=self.env.columns,
            highlight=False,
            markup=False,
            emoji=False,
        )

    # -- where the data goes ---------------------------------------------------------------------

    def redirected(self, stream: IO[str]) -> Output:
        """The same Output (format, --jq, messages on stderr) writing its data to `stream`.

        The data is written as for a pipe: TSV/CSV/JSON, never a Rich table.
        """
        clone = copy.copy(self)
        clone.env = replace(self.env, stdout=stream, stdout_isatty=False)
        return clone

    @contextmanager
    def to_destination(
        self, path: Path | str | None, *, force: bool, param: str = "--output"
    ) -> Iterator[Output]:
        """This Output writing to `--output FILE` (`None`/`-`: stdout itself), safely.

        See `open_destination` for the rules; call `check_destination` before any request.

            check_destination(output_path, force=force)   # before the first request
            with rt.out.to_destination(output_path, force=force) as out:
                out.list(rows, columns)
        """
        from chathq_cli.output._files import is_stdout, open_destination

        if is_stdout(path):
            yield self
            return
        with open_destination(path, force=force, param=param, env=self.env) as stream:
            yield self.redirected(stream)

    # -- data (stdout) -----------------------------------------------------------------------

    def list(self, rows: Iterable[dict[str, Any]], columns: Sequence[Column]) -> None:
        """A list of resources. JSON and TSV/CSV stream row by row; only the TTY table holds.

        Nothing is written before the first row (or the end of an empty list) has arrived: a
        lazy `rows` makes its first request then, and an error leaves stdout empty, without
        a CSV/TSV header. An empty result still prints the header for scripts.
        """
        iterator = iter(rows)
        first = next(iterator, _NOTHING)
        rows = iterator if first is _NOTHING else itertools.chain((first,), iterator)
        if self.fmt == "json":
            if self.jq is not None:
                self.write_json([dict(row) for row in rows])
            else:
                self._stream_json_array(rows)
        elif self.fmt == "csv":
            writer = self._csv_writer()
            writer.writerow([c.key for c in columns])
            for row in rows:
                writer.writerow([plain_cell(row, c) for c in columns])
        elif self.env.stdout_isatty:
            self._rich_table(rows, columns)
        else:
            self._write_tsv([c.header for c in columns])
            for row in rows:
                self._write_tsv([plain_cell(row, c) for c in columns])
        self.env.stdout.flush()

    def object(self, obj: Mapping[str, Any], fields: Sequence[Column] | None = None) -> None:
        """A single resource: a key/value view for people, the JSON object for scripts."""
        if self.fmt == "json":
            self.write_json(dict(obj))
            return
        columns = list(fields) if fields is not None else infer_columns(obj)
        if self.fmt == "csv":
            writer = self._csv_writer()
            writer.writerow([c.key for c in columns])
            writer.writerow([plain_cell(obj, c) for c in columns])
        elif self.env.stdout_isatty:
            from rich.text import Text

            console = self._console(self.env.stdout, True)
            grid = self._key_value_grid([c.header for c in columns], console.width)
            for column in columns:
                grid.add_row(Text(column.header), Text(table_cell(obj, column)))
            console.print(grid)
        else:
            for column in columns:
                self._write_tsv([column.header, plain_cell(obj, column)])
        self.env.stdout.flush()

    def value(self, text: str) -> None:
        """One bare line (`portal account id`, `portal auth token`), for `$(...)`."""
        if self.env.stdout_isatty:
            text = escape_control(text)
        self.env.stdout.write(text + "\n")
        self.env.stdout.flush()

    def write_json(self, data: Any) -> None:
        """Any JSON document, honouring `--jq` (strings raw, other values compact, like gh)."""
        if self.jq is None:
            self.env.stdout.write(dumps(data, indent=2) + "\n")
        else:
            from chathq_cli.output._jq import JqProgram

            self.compile_jq()
            program = self._jq_program or JqProgram(self.jq)
            lines = []
            for result in program.results(data):
                if isinstance(result, str):
                    # Raw like `jq -r`, but inert on a terminal even when piped through `cat`
                    # or `less -R`: newlines and tabs stay (multi-line text, @tsv), other
                    # controls (ESC, BEL, CR, C1, bidi overrides) become visible escapes.
                    lines.append(escape_control_keep_layout(result))
                else:
                    lines.append(dumps(result))
            self.env.stdout.write("".join(line + "\n" for line in lines))
        self.env.stdout.flush()

    def _stream_json_array(self, rows: Iterable[Mapping[str, Any]]) -> None:
        out = self.env.stdout
        first = True
        for row in rows:
            body = dumps(row, indent=2).replace("\n", "\n  ")
            out.write(("[\n  " if first else ",\n  ") + body)
            first = False
        out.write("[]\n" if first else "\n]\n")

    def _csv_writer(self) -> Any:
        # CSV is often `cat`-ed: control characters are escaped in every cell, always.
        return csv.writer(_TerminalSafeWriter(self.env.stdout), lineterminator="\n")

    def _write_tsv(self, cells: Sequence[str]) -> None:
        # Tabs and newlines inside a value would break the row: escape them like any control.
        self.env.stdout.write("\t".join(escape_control(cell) for cell in cells) + "\n")

    def _rich_table(self, rows: Iterable[Mapping[str, Any]], columns: Sequence[Column]) -> None:
        """A table fitted to the terminal's width (see `_layout`), or one block per row."""
        from rich import box
        from rich.table import Table
        from rich.text import Text

        from chathq_cli.output._layout import plan_table, wraps

        cells = [[table_cell(row, c) for c in columns] for row in rows]
        if not cells:
            self.info("No results.")
            return
        console = self._console(self.env.stdout, True)
        layout = plan_table(columns, cells, console.width)
        if layout is None:
            self._records(console, columns, cells)
            return
        table = Table(
            box=box.SIMPLE_HEAD,
            show_edge=False,
            pad_edge=False,
            padding=(0, 1, 0, 0),  # with the blank divider: two cells between columns
            header_style="bold",
        )
        for index, width in zip(layout.indexes, layout.widths, strict=True):
            column = columns[index]
            table.add_column(
                column.header,
                justify="right" if column.kind in ("money", "int") else "left",
                width=width,
                no_wrap=not wraps(column),
                overflow="fold" if wraps(column) else "ellipsis",
            )
        for row in cells:
            table.add_row(*(Text(row[i]) for i in layout.indexes))
        console.print(table)

    def _records(
        self, console: Console, columns: Sequence[Column], cells: Sequence[Sequence[str]]
    ) -> None:
        """The record view: one key/value block per row, for a terminal too narrow for a table."""
        from rich.text import Text

        grid = self._key_value_grid([c.header for c in columns], console.width)
        for number, row in enumerate(cells):
            if number:
                grid.add_row("", "")
            for column, cell in zip(columns, row, strict=True):
                grid.add_row(Text(column.header), Text(cell))
        console.print(grid)

    @staticmethod
    def _key_value_grid(headers: Sequence[str], width: int) -> Table:
        from rich.table import Table

        from chathq_cli.output._layout import key_width

        keys = key_width(headers, width)
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", width=keys, overflow="fold")
        grid.add_column(max_width=max(1, width - keys - 2), overflow="fold")
        return grid

    # -- messages (stderr) -------------------------------------------------------------------

    def _message(self, text: str) -> None:
        self.env.stderr.write(text + "\n")
        self.env.stderr.flush()

    def success(self, msg: str) -> None:
        text = escape_control(msg, keep_newlines=True)
        self._message(self._paint("✓ ", _GREEN) + text if self.env.stderr_isatty else text)

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

    # -- prompts -----------------------------------------------------------------------------

    def _can_prompt(self) -> bool:
        return self.env.stdin_isatty and not self.no_prompt

    def _ask(self, question: str) -> str:
        self.env.stderr.write(question)
        self.env.stderr.flush()
        line = self.env.stdin.readline()
        if not line:  # Ctrl-D: the user walked away from the question
            self.env.stderr.write("\n")
            raise Cancelled("cancelled; nothing was changed")
        return line.rstrip("\r\n")

    def confirm(
        self, question: str, *, yes: bool, flag: str = "--yes", default: bool = False
    ) -> None:
        """Return when confirmed; raise `Cancelled` on "no", `UsageError` when it cannot ask."""
        if yes:
            return
        if not self._can_prompt():
            raise UsageError(
                f"cannot ask for confirmation without a terminal; pass {flag}", param=flag
            )
        suffix = "[Y/n]" if default else "[y/N]"
        answer = self._ask(f"{escape_control(question)} {suffix} ").strip().lower()
        if answer in ("y", "yes") or (not answer and default):
            return
        raise Cancelled("cancelled; nothing was changed")

    def confirm_typed(
        self, question: str, expected: str, *, yes: bool, flag: str = "--yes"
    ) -> None:
        """Ask the user to type `expected` exactly (an account name, an e-mail address)."""
        if yes:
            return
        if not self._can_prompt():
            raise UsageError(
                f"cannot ask for confirmation without a terminal; pass {flag}", param=flag
            )
        self._message(escape_control(question, keep_newlines=True))
        answer = self._ask(f'Type "{escape_control(expected)}" to confirm: ')
        if answer != expected:
            raise Cancelled("the text did not match; nothing was changed")

    def prompt(self, label: str, *, hidden: bool = False, flag: str) -> str:
        """Ask for a value on the terminal; hidden input does not echo (getpass)."""
        if not self._can_prompt():
            raise UsageError(
                f"cannot prompt for {label} without a terminal; pass {flag}", param=flag
            )
        question = f"{label}: "
        if hidden and self.env.is_system_stdin:
            try:
                answer = getpass.getpass(question, stream=cast(TextIO, self.env.stderr))
            except EOFError:
                self.env.stderr.write("\n")
                raise Cancelled("cancelled; nothing was changed") from None
        else:
            answer = self._ask(question)
        if not hidden:
            answer = answer.strip()
        if not answer:
            raise UsageError(f"no {label.lower()} given", param=flag)
        return answer

    def read_stdin_secret(self, what: str) -> str:
        """The first line of stdin (`--password-stdin`, `--with-token`), stripped."""
        line = self.env.stdin.readline().strip()
        if not line:
            raise UsageError(f"no {what} on standard input")
        return line

    @contextmanager
    def progress(
        self, description: str, total: int | None = None
    ) -> Iterator[Callable[[int], None]]:
        """A progress bar on stderr when it is a terminal; a no-op otherwise."""
        if not self.env.stderr_isatty:
            yield lambda advance: None
            return
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        bar = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self._console(self.env.stderr, True),
            transient=True,
        )
        with bar:
            task = bar.add_task(escape_control(description), total=total)
            yield lambda advance: bar.advance(task, advance)


def choose_format(
    fmt: Format | None,
    *,
    json: bool = False,
    jq: str | None = None,
    preferred: Format | None = None,
) -> Format:
    """The one place that decides the output format from the flags and the preference.

    Contradicting flags are bad input, not a silent choice: `--json --format csv` and
    `--jq EXPR --format table` are usage errors. A preference (PORTAL_FORMAT, the config file)
    yields to any flag.
    """
    if json and fmt not in (None, "json"):
        raise UsageError(f"--json contradicts --format {fmt}; give only one", param="--json")
    if jq is not None and fmt not in (None, "json"):
        raise UsageError(
            f"--jq filters JSON and cannot be combined with --format {fmt}", param="--jq"
        )
    if json or jq is not None:
        return "json"
    return fmt or preferred or "table"


def error_fields(err: BaseException) -> dict[str, Any]:
    """The JSON error object's fields (SPEC §3) for any exception."""
    if isinstance(err, PortalError):
        return {
            "type": err.type,
            "code": err.code,
            "message": err.message,
            "param": err.param,
            "request_id": err.request_id,
        }
    return {
        "type": "cli_error",
        "code": None,
        "message": str(err) or type(err).__name__,
        "param": None,
        "request_id": None,
    }
