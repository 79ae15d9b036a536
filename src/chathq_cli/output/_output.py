"""`Output`: the one object that writes to the terminal (data to stdout, the rest to stderr)."""

from __future__ import annotations

import copy
import getpass
import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import IO, TYPE_CHECKING, Any, TextIO, cast

from chathq_cli.errors import Cancelled
from chathq_cli.output._choice import Format, choose_format, error_fields
from chathq_cli.output._env import Env
from chathq_cli.output._format import (
    Column,
    dumps,
    escape_control,
    escape_control_keep_layout,
    infer_columns,
    table_cell,
)
from chathq_cli.output._machine import (
    DataStream,
    stream_json_array,
    write_csv,
    write_csv_pages,
    write_tsv,
    write_tsv_fields,
)
from chathq_cli.output._messages import Messages

if TYPE_CHECKING:
    from pathlib import Path

    from rich.console import Console

    from chathq_cli.output._jq import JqProgram
    from chathq_cli.output._pager import PagedStream
    from chathq_cli.output._progress import Progress

__all__ = ["Format", "Output", "choose_format", "error_fields"]

_NOTHING: Any = object()


class Output(Messages):
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
        self.no_color = no_color
        self.debug_enabled = debug
        self._jq_program: JqProgram | None = None
        self._pager: PagedStream | None = None

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

    def _console(self, stream: IO[str], isatty: bool) -> Console:
        from chathq_cli.output._table import make_console

        return make_console(stream, terminal=isatty, no_color=self.no_color, width=self.env.columns)

    # -- where the data goes ---------------------------------------------------------------------

    def page_with(self, command: str | None, variables: Mapping[str, str] | None = None) -> None:
        """Show data longer than the screen through the pager `command` (None: never), run
        with the environment `variables` (None: this process's).

        Only when stdout is a terminal of known height; `end_paging()` must follow.
        """
        if not command or not self.env.stdout_isatty or self._pager is not None:
            return
        from chathq_cli.output._pager import PagedStream, screen_rows

        rows = screen_rows(self.env.stdout)
        if rows is not None:
            self._pager = PagedStream(self.env.stdout, command, rows, variables)
            self.env = replace(self.env, stdout=cast(IO[str], self._pager))

    def end_paging(self) -> None:
        """The command is done with stdout: show what the pager holds and wait for it."""
        pager, self._pager = self._pager, None
        if pager is not None:
            self.env = replace(self.env, stdout=pager.terminal)
            pager.close()

    def _release_pager(self) -> None:
        if self._pager is not None:
            self._pager.release()

    def _message(self, text: str) -> None:
        # Held data goes out first: stderr and stdout share the screen, in the order written.
        self._release_pager()
        super()._message(text)

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

    @property
    def _stdout(self) -> IO[str]:
        # Every write of the data goes through here: a full disk is an OutputError (exit 1).
        return cast(IO[str], DataStream(self.env.stdout))

    # -- data (stdout) -----------------------------------------------------------------------

    def list(
        self, rows: Iterable[dict[str, Any]], columns: Sequence[Column], *, continued: bool = False
    ) -> None:
        """A list of resources. JSON and TSV/CSV stream row by row; only the TTY table holds.

        Nothing is written before the first row (or the end of an empty list) has arrived: a
        lazy `rows` makes its first request then, and an error leaves stdout empty, without
        a CSV/TSV header. An empty result still prints the header for scripts.

        `continued`: the rows go on from a list written earlier to the same stream (a resumed
        export): no header, and the JSON array goes on after its last element.
        """
        iterator = iter(rows)
        first = next(iterator, _NOTHING)
        rows = iterator if first is _NOTHING else itertools.chain((first,), iterator)
        if self.fmt == "json":
            if self.jq is not None:
                self.write_json([dict(row) for row in rows])
            else:
                stream_json_array(self._stdout, rows, continued=continued)
        elif self.fmt == "csv":
            write_csv(self._stdout, columns, rows, header=not continued)
        elif self.env.stdout_isatty:
            self._rich_table(rows, columns)
        else:
            write_tsv(self._stdout, columns, rows, header=not continued)
        self._stdout.flush()

    def csv_pages(
        self,
        pages: Iterable[Sequence[Any]],
        columns: Sequence[Column],
        *,
        continued: bool = False,
    ) -> None:
        """Rows a schema has checked, as CSV a page at a time: what `list` writes in CSV, for
        a bulk export (see `write_csv_pages`). `continued` as for `list`."""
        write_csv_pages(self._stdout, columns, pages, header=not continued)
        self._stdout.flush()

    def object(self, obj: Mapping[str, Any], fields: Sequence[Column] | None = None) -> None:
        """A single resource: a key/value view for people, the JSON object for scripts."""
        if self.fmt == "json":
            self.write_json(dict(obj))
            return
        columns = list(fields) if fields is not None else infer_columns(obj)
        if self.fmt == "csv":
            write_csv(self._stdout, columns, [obj])
        elif self.env.stdout_isatty:
            from chathq_cli.output._table import print_object

            print_object(self._console(self._stdout, True), columns, obj)
        else:
            write_tsv_fields(self._stdout, columns, obj)
        self._stdout.flush()

    def value(self, text: str) -> None:
        """One bare line (`portal account id`, `portal auth token`), for `$(...)`."""
        if self.env.stdout_isatty:
            text = escape_control(text)
        self._stdout.write(text + "\n")
        self._stdout.flush()

    def write_json(self, data: Any) -> None:
        """Any JSON document, honouring `--jq` (strings raw, other values compact, like gh)."""
        if self.jq is None:
            self._stdout.write(dumps(data, indent=2) + "\n")
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
            self._stdout.write("".join(line + "\n" for line in lines))
        self._stdout.flush()

    def _rich_table(self, rows: Iterable[Mapping[str, Any]], columns: Sequence[Column]) -> None:
        from chathq_cli.output._table import print_table

        cells = [[table_cell(row, c) for c in columns] for row in rows]
        if not cells:
            self.info("No results.")
            return
        print_table(self._console(self._stdout, True), columns, cells)

    # -- the terminal side of a question (cli/prompts.py decides whether and what to ask) ---------

    def ask(self, question: str, *, hidden: bool = False) -> str:
        """Write `question` to stderr and return the line typed (without its line end).

        Hidden input does not echo (getpass on the real terminal). End of input (Ctrl-D)
        is the user walking away from the question: Cancelled.
        """
        question = escape_control(question)
        self._release_pager()  # the question must not wait under output a pager holds
        if hidden and self.env.is_system_stdin:
            try:
                return getpass.getpass(question, stream=cast(TextIO, self.env.stderr))
            except EOFError:
                self.env.stderr.write("\n")
                raise Cancelled("cancelled; nothing was changed") from None
        self.env.stderr.write(question)
        self.env.stderr.flush()
        line = self.env.stdin.readline()
        if not line:
            self.env.stderr.write("\n")
            raise Cancelled("cancelled; nothing was changed")
        return line.rstrip("\r\n")

    def say(self, text: str) -> None:
        """Lines that lead up to a question (what is about to happen), on stderr."""
        self._release_pager()
        self._message(escape_control(text, keep_newlines=True))

    @contextmanager
    def progress(
        self, description: str, total: int | None = None, completed: int = 0
    ) -> Iterator[Progress]:
        """A progress bar on stderr when it is a terminal; a no-op otherwise.

        `completed`: work already done before this run (a resumed export).
        """
        from chathq_cli.output._progress import Progress

        if not self.env.stderr_isatty:
            yield Progress()
            return
        if self.no_color:
            import shutil

            from chathq_cli.output._progress import plain_progress

            width = self.env.columns or shutil.get_terminal_size().columns
            with plain_progress(self.env.stderr, description, total, width, completed) as bar:
                yield bar
            return
        from chathq_cli.output._progress import rich_progress

        console = self._console(self.env.stderr, True)
        with rich_progress(console, description, total, completed) as bar:
            yield bar
