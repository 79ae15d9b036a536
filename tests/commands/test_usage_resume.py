"""`portal usage --all --output FILE` stops and resumes (SPEC §8): a stopped export keeps
FILE.part and FILE.checkpoint, `--resume` ends byte-identical to an uninterrupted export, and
anything that is not the same export, or a changed .part, is refused with exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from chathq_cli.commands.usage import listing
from support.harness import Sandbox, assert_one_line_error
from support.inprocess import FAST_RETRIES, Portal

PAGE = 10  # small pages: a stop lands in the middle of the demo account's 120 records
EXPORT = ("usage", "--all", "--output")
NO_RETRY = {"PORTAL_RETRY_ATTEMPTS": "1"}


class Stopping(httpx.BaseTransport):
    """The real transport, until page `at` of usage records: then `failure` happens."""

    def __init__(self, at: int, failure: BaseException) -> None:
        self.real = httpx.HTTPTransport()
        self.at = at
        self.failure = failure
        self.pages = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/usage_records"):
            self.pages += 1
            if self.pages >= self.at:
                raise self.failure
        return self.real.handle_request(request)


@pytest.fixture(autouse=True)
def _small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(listing, "PAGE_SIZE", PAGE)


@pytest.fixture
def reference(portal: Portal, tmp_path: Path) -> dict[str, bytes]:
    """An uninterrupted export per format, to compare with."""
    portal.sign_in()
    files = {}
    for fmt in ("csv", "json", "table"):
        target = tmp_path / f"reference.{fmt}"
        portal.run(*EXPORT, str(target), "--format", fmt)
        files[fmt] = target.read_bytes()
    assert files["csv"].count(b"\n") > 4 * PAGE  # enough pages to stop in the middle
    return files


def paths(target: Path) -> tuple[Path, Path]:
    return Path(f"{target}.part"), Path(f"{target}.checkpoint")


@pytest.mark.parametrize("fmt", ["csv", "json", "table"])
def test_a_lost_network_keeps_the_part_and_resume_finishes_it(
    portal: Portal, reference: dict[str, bytes], tmp_path: Path, fmt: str
) -> None:
    target = tmp_path / "usage.out"
    part, checkpoint = paths(target)
    gone = Stopping(3, httpx.ConnectError("network is unreachable"))
    result = portal.run(
        *EXPORT, str(target), "--format", fmt, transport=gone, env=NO_RETRY, exit_code=1
    )
    assert "could not reach" in result.stderr
    if fmt != "json":  # with --format json the error is one JSON object, without hints
        assert "records are saved in" in result.stderr and "--resume" in result.stderr
    assert not target.exists()
    saved = json.loads(checkpoint.read_text())
    assert saved["rows"] == 2 * PAGE
    assert part.stat().st_size == saved["size"]
    assert reference[fmt].startswith(part.read_bytes())

    portal.run(*EXPORT, str(target), "--format", fmt, "--resume")
    assert target.read_bytes() == reference[fmt]
    assert not part.exists() and not checkpoint.exists()


def test_ctrl_c_says_interrupted_and_resume_finishes(
    portal: Portal, reference: dict[str, bytes], tmp_path: Path
) -> None:
    target = tmp_path / "usage.csv"
    part, checkpoint = paths(target)
    stop = Stopping(4, KeyboardInterrupt())
    result = portal.run(*EXPORT, str(target), "--format", "csv", transport=stop, exit_code=130)
    assert result.stderr.splitlines()[0] == "interrupted"
    assert f"hint: {3 * PAGE} records are saved in" in result.stderr
    assert part.exists() and checkpoint.exists() and not target.exists()
    portal.run(*EXPORT, str(target), "--format", "csv", "--resume")
    assert target.read_bytes() == reference["csv"]


def test_resuming_twice_and_after_an_unsaved_tail(
    portal: Portal, reference: dict[str, bytes], tmp_path: Path
) -> None:
    target = tmp_path / "usage.csv"
    part, _ = paths(target)
    first = Stopping(2, httpx.ConnectError("down"))
    portal.run(*EXPORT, str(target), "--format", "csv", transport=first, env=NO_RETRY, exit_code=1)
    again = Stopping(3, httpx.ConnectError("down"))
    portal.run(
        *EXPORT,
        str(target),
        "--format",
        "csv",
        "--resume",
        transport=again,
        env=NO_RETRY,
        exit_code=1,
    )
    # A process killed between two checkpoints leaves rows the checkpoint does not cover.
    with part.open("ab") as stream:
        stream.write(b"2026-11-01T00:00:00Z,sms,half a row")
    portal.run(*EXPORT, str(target), "--format", "csv", "--resume")
    assert target.read_bytes() == reference["csv"]


@pytest.mark.parametrize(
    "other",
    [
        ["--unit", "sms"],
        ["--format", "table"],
        ["--unpaid"],
        ["--account", "OTHER"],
    ],
)
def test_a_checkpoint_of_another_export_is_refused(
    portal: Portal, sandbox: Sandbox, reference: dict[str, bytes], tmp_path: Path, other: list[str]
) -> None:
    target = tmp_path / "usage.csv"
    part, checkpoint = paths(target)
    stop = Stopping(3, httpx.ConnectError("down"))
    portal.run(*EXPORT, str(target), "--format", "csv", transport=stop, env=NO_RETRY, exit_code=1)
    before = (part.read_bytes(), checkpoint.read_bytes())
    if other[0] == "--account":
        token = sandbox.sign_in()
        mine = sandbox.get("me", token)["default_account_id"]
        others = [a["id"] for a in sandbox.accounts(token) if a["id"] != mine]
        other = ["--account", others[0]]
    result = portal.run(*EXPORT, str(target), "--format", "csv", *other, "--resume", exit_code=2)
    assert_one_line_error(result, mentions="--resume")
    assert (part.read_bytes(), checkpoint.read_bytes()) == before
    assert not target.exists()


def test_a_changed_part_is_refused(
    portal: Portal, reference: dict[str, bytes], tmp_path: Path
) -> None:
    target = tmp_path / "usage.csv"
    part, _ = paths(target)
    stop = Stopping(3, httpx.ConnectError("down"))
    portal.run(*EXPORT, str(target), "--format", "csv", transport=stop, env=NO_RETRY, exit_code=1)
    changed = part.read_bytes().replace(b"sms", b"SMS", 1)
    part.write_bytes(changed)
    result = portal.run(*EXPORT, str(target), "--format", "csv", "--resume", exit_code=2)
    assert_one_line_error(result, mentions="changed")
    assert part.read_bytes() == changed
    part.write_bytes(changed[:100])  # shorter than the checkpoint says
    portal.run(*EXPORT, str(target), "--format", "csv", "--resume", exit_code=2)


def test_without_resume_an_existing_part_is_never_appended_to(
    portal: Portal, reference: dict[str, bytes], tmp_path: Path
) -> None:
    target = tmp_path / "usage.csv"
    part, checkpoint = paths(target)
    stop = Stopping(3, httpx.ConnectError("down"))
    portal.run(*EXPORT, str(target), "--format", "csv", transport=stop, env=NO_RETRY, exit_code=1)
    before = part.read_bytes()
    for extra in ([], ["--force"]):
        result = portal.run(*EXPORT, str(target), "--format", "csv", *extra, exit_code=2)
        assert "--resume" in result.stderr
    assert part.read_bytes() == before and checkpoint.exists()


def test_resume_with_nothing_to_resume_exports_afresh(
    portal: Portal, reference: dict[str, bytes], tmp_path: Path
) -> None:
    target = tmp_path / "usage.csv"
    portal.run(*EXPORT, str(target), "--format", "csv", "--resume")
    assert target.read_bytes() == reference["csv"]


def test_a_stop_before_the_first_page_leaves_nothing(portal: Portal, tmp_path: Path) -> None:
    portal.sign_in()
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "usage.csv"
    stop = Stopping(1, KeyboardInterrupt())
    result = portal.run(*EXPORT, str(target), "--format", "csv", transport=stop, exit_code=130)
    assert result.stderr == "interrupted\n"
    assert list(out_dir.iterdir()) == []


@pytest.mark.parametrize(
    "args",
    [
        ["usage", "--all", "--resume"],
        ["usage", "--summary", "--output", "x.csv", "--resume"],
        ["usage", "--all", "--output", "-", "--resume"],
        ["usage", "--all", "--output", "/dev/null", "--resume"],
        ["usage", "--all", "--output", "x.json", "--jq", ".[]", "--resume"],
    ],
)
def test_resume_is_only_for_an_export_to_a_file(
    portal: Portal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    result = portal.run(*args, exit_code=2)  # not signed in: exit 2 means no request was made
    assert_one_line_error(result, mentions="--resume")


def test_at_a_terminal_the_export_says_what_it_wrote(
    portal: Portal, reference: dict[str, bytes], tmp_path: Path
) -> None:
    target = tmp_path / "usage.csv"
    result = portal.run(*EXPORT, str(target), "--format", "csv", tty=True)
    rows = reference["csv"].count(b"\n") - 1
    size = len(reference["csv"]) / 1000
    assert f"Wrote {rows:,} records to {target} ({size:.1f} kB)" in result.stderr
    quiet = portal.run(*EXPORT, str(target), "--format", "csv", "--force")
    assert quiet.stderr == ""


def test_a_retried_page_is_shown_on_the_progress_line(
    portal: Portal, sandbox: Sandbox, reference: dict[str, bytes], tmp_path: Path
) -> None:
    target = tmp_path / "usage.csv"
    sandbox.faults(0.5, ["error_before"], seed=5)
    try:
        result = portal.run(
            *EXPORT,
            str(target),
            "--format",
            "csv",
            tty=True,
            env={**FAST_RETRIES, "NO_COLOR": "1"},
        )
    finally:
        sandbox.faults(0.0)
    assert "retrying page " in result.stderr
    assert target.read_bytes() == reference["csv"]


@pytest.mark.parametrize(("rate", "seed"), [(0.3, 48), (0.5, 2)])
def test_an_export_under_faults_matches_the_fault_free_one(
    portal: Portal,
    sandbox: Sandbox,
    reference: dict[str, bytes],
    tmp_path: Path,
    rate: float,
    seed: int,
) -> None:
    """No attempt limit given (the default): a page is retried for as long as the run makes
    progress. The seeds make one page fail more than 5 times in a row, which used to end the
    export."""
    target = tmp_path / "usage.csv"
    sandbox.faults(rate, ["error_before", "error_after", "rate_limit"], seed=seed)
    try:
        result = portal.run(
            *EXPORT,
            str(target),
            "--format",
            "csv",
            "--debug",
            env={"PORTAL_RETRY_MAX_DELAY": "0.01"},
        )
    finally:
        sandbox.faults(0.0)
    assert "/usage_records?" in result.stderr and "(attempt 6)" in result.stderr
    assert target.read_bytes() == reference["csv"]


def test_a_jq_export_that_stops_leaves_nothing(portal: Portal, tmp_path: Path) -> None:
    # --jq writes only once every record is in: a stop has nothing written to resume.
    portal.sign_in()
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "ids.json"
    stop = Stopping(3, httpx.ConnectError("down"))
    args = (*EXPORT, str(target), "--jq", ".[].id")
    result = portal.run(*args, transport=stop, env=NO_RETRY, exit_code=1)
    assert "--resume" not in result.stderr
    assert list(out_dir.iterdir()) == []
    done = portal.run(*args, tty=True)
    assert len(target.read_text().splitlines()) == 120
    assert "Wrote 120 records to" in done.stderr
