"""`make bench`: start-up and request timings against the budgets of SPEC §7.

Each command runs RUNS times after one warm-up; the median wall time is reported. Reading
sizes: `portal account show --json` runs against a sandbox started here on a free port, with
the token in PORTAL_TOKEN (what CI does), so the figure is the CLI's and not the keyring's.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = int(os.environ.get("BENCH_RUNS", "15"))
ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PORTAL = str(BIN / "portal")


def median_ms(argv: list[str], env: dict[str, str]) -> float:
    subprocess.run(argv, env=env, capture_output=True, check=True)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(argv, env=env, capture_output=True, check=True)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def start_sandbox(workdir: Path, env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [PORTAL, "sandbox", "serve", "--port", "0", "--db", str(workdir / "bench.db")],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if "listening on " in line:
            return proc, line.rsplit(" ", 1)[-1].strip()
        if not line and proc.poll() is not None:
            break
    proc.kill()
    raise SystemExit("the sandbox did not start")


def bash_completion_rows(env: dict[str, str]) -> list[tuple[str, float, str]]:
    """The time of the bash completion function itself, measured inside one bash with
    $EPOCHREALTIME: what a user waits for on TAB. It starts no process (tests/completion/)."""
    if not shutil.which("bash"):
        return [("bash completion", float("nan"), "bash not installed")]
    from chathq_cli.state import completion_cache as _completion_cache

    calls = 200
    rows = []
    # A fresh cache of 50 accounts, so the dynamic case reads it and starts no refresh.
    accounts = [(f"acct_bench{n}", f"Account {n}") for n in range(50)]
    cache = Path(env["XDG_CACHE_HOME"]) / "chathq"  # what the script reads on Linux
    _completion_cache.store(cache, "default", {"accounts": accounts})
    for label, words in (
        ("bash TAB: command name (portal acc)", "portal acc"),
        ("bash TAB: choice (usage --unit)", "portal usage --unit ''"),
        ("bash TAB: cached ID (account use)", "portal account use ''"),
    ):
        script = f"""
source {ROOT / "completions" / "portal.bash"}
COMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1))
start=$EPOCHREALTIME
for ((n = 0; n < {calls}; n++)); do __portal_complete; done
end=$EPOCHREALTIME
echo "$start $end"
"""
        out = subprocess.run(
            ["bash", "--norc", "--noprofile", "-c", script],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        per_call = (float(out[1]) - float(out[0])) * 1000 / calls
        rows.append((label, per_call, "budget: no Python start-up; well under 100 ms"))
    return rows


def main() -> None:
    # Measure what an installed portal does: byte-compiled. An editable install under
    # PYTHONDONTWRITEBYTECODE=1 would otherwise recompile every module on every run.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], check=True)
    workdir = Path(tempfile.mkdtemp(prefix="portal-bench."))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env.update(
        PORTAL_CONFIG_DIR=str(workdir / "config"),
        XDG_CACHE_HOME=str(workdir / "cache"),
        NO_COLOR="1",
        COLUMNS="100",
    )
    rows: list[tuple[str, float, str]] = []

    typer_help = median_ms(
        [sys.executable, str(ROOT / "benchmarks/minimal_typer.py"), "--help"], env
    )
    version = median_ms([PORTAL, "--version"], env)
    gh = shutil.which("gh")
    if gh:
        gh_version = median_ms([gh, "--version"], env)
        rows.append(("gh --version", gh_version, "reference"))
        rows.append(("portal --version", version, f"budget <= gh ({gh_version:.0f} ms)"))
    else:
        rows.append(("portal --version", version, "budget <= gh --version (gh not installed)"))
    rows.append(("minimal Typer app --help", typer_help, "reference"))
    for argv in (["--help"], ["account", "--help"], ["help", "environment"]):
        ms = median_ms([PORTAL, *argv], env)
        rows.append(
            (f"portal {' '.join(argv)}", ms, f"budget <= {typer_help * 1.15:.0f} ms (1.15x)")
        )

    rows.extend(bash_completion_rows(env))

    proc, url = start_sandbox(workdir, env)
    try:
        env["PORTAL_HOST"] = url
        login = subprocess.run(
            [
                PORTAL,
                "auth",
                "login",
                "--email",
                "owner@demo.chathq.test",
                "--password-stdin",
                "--insecure-storage",
            ],
            input="chathq-demo\n",
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        del login
        token = subprocess.run(
            [PORTAL, "auth", "token"], env=env, capture_output=True, text=True, check=True
        ).stdout.strip()
        budget = f"budget <= {typer_help + 100:.0f} ms"
        ms = median_ms([PORTAL, "account", "show", "--json"], env)
        rows.append(("portal account show --json (token in a file)", ms, budget))
        env["PORTAL_TOKEN"] = token
        ms = median_ms([PORTAL, "account", "show", "--json"], env)
        rows.append(("portal account show --json (PORTAL_TOKEN)", ms, budget))
        # The same request with the bare stack (Typer, pydantic-settings, httpx, pydantic):
        # what portal cannot go below without changing the stack.
        account = json.loads(
            subprocess.run(
                [PORTAL, "account", "show", "--json"], env=env, capture_output=True, check=True
            ).stdout
        )["id"]
        floor = [sys.executable, str(ROOT / "benchmarks/stack_floor.py"), "show", "--json"]
        ms = median_ms([*floor, "--account", account], env)
        rows.append(("the same with the bare stack", ms, "reference (benchmarks/stack_floor.py)"))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)

    width = max(len(name) for name, _, _ in rows)
    print(f"median of {RUNS} runs, {os.cpu_count()} cores")
    for name, ms, note in rows:
        print(f"{name:<{width}}  {ms:7.1f} ms   {note}")


if __name__ == "__main__":
    main()
