"""SPEC §7: the bulk usage export and the usage summary, measured against a real sandbox.

For each size (default 100,000 and 1,000,000 records) this starts
`portal sandbox serve --usage-records N`, then measures, each in its own process:

- `portal usage --all --format csv --output F`: wall time and peak RSS (ru_maxrss of the child);
- a bare httpx loop paging through the same records (limit=1000, following next_cursor);
- `portal usage --summary` (wall time of the whole command) and the summary endpoint alone.

Budgets: peak memory <= 120 MiB at 1M and within 15% of the 100k figure; export wall time
<= 1.3x the bare loop, and CPU time <= 1.5x its CPU at 1M; summary under 1 s. Prints a table and
exits 1 when a budget is missed.

With `--faults RATE` (e.g. 0.3) the export runs once more with the sandbox's faults on
(error_before, error_after, rate_limit: every 503/429 asks for a 1 s Retry-After), and the
table gives its wall time, CPU, peak memory and the number of page requests it made; its
file must be byte-identical to the fault-free one. The bare loop has no retries, so it is
not run under faults, and no time budget applies (the waits are the server's).

    .venv/bin/python benchmarks/usage_export.py [--sizes 100000 1000000] [--repeat 3]
    .venv/bin/python benchmarks/usage_export.py --sizes 1000000 --faults 0.3
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

NOW = "2026-11-15T12:00:00Z"
OWNER = ("owner@demo.chathq.test", "chathq-demo")
LISTENING_RE = re.compile(r"portal sandbox listening on (http://127\.0\.0\.1:\d+)")
MIB = 1024 * 1024

MEMORY_BUDGET_MIB = 120.0
MEMORY_SPREAD = 0.15
WALL_RATIO_BUDGET = 1.3
CPU_RATIO_BUDGET = 1.5
CPU_BUDGET_RECORDS = 1_000_000
FAULT_KINDS = ["error_before", "error_after", "rate_limit"]
FAULT_SEED = 17
SUMMARY_BUDGET_S = 1.0

# The baseline: what a hand-written script would do to page through the records.
BARE_LOOP = """
import sys, httpx
url, token, account = sys.argv[1:4]
count, cursor = 0, None
with httpx.Client(base_url=url, headers={"Authorization": "Bearer " + token}, timeout=60) as c:
    while True:
        params = {"limit": 1000}
        if cursor:
            params["starting_after"] = cursor
        page = c.get(f"/v1/accounts/{account}/usage_records", params=params).json()
        count += len(page["data"])
        if not page["has_more"]:
            break
        cursor = page["next_cursor"]
print(count)
"""


@dataclass
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds of the child
    peak_mib: float
    stdout: str
    stderr: str = ""


def run_measured(cmd: list[str], env: dict[str, str]) -> Run:
    """Run `cmd`; its wall time and its own peak RSS (os.wait4 gives that child's rusage)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out_chunks: list[bytes] = []
    err_chunks: list[bytes] = []
    # Drain both pipes while waiting, so a chatty child never blocks.
    readers = [
        threading.Thread(target=lambda: out_chunks.append(proc.stdout.read())),  # type: ignore[union-attr]
        threading.Thread(target=lambda: err_chunks.append(proc.stderr.read())),  # type: ignore[union-attr]
    ]
    for reader in readers:
        reader.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    for reader in readers:
        reader.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(
            f"failed ({proc.returncode}): {' '.join(cmd)}\n{b''.join(err_chunks).decode()[-3000:]}"
        )
    cpu = usage.ru_utime + usage.ru_stime
    return Run(
        wall,
        cpu,
        usage.ru_maxrss / 1024,
        b"".join(out_chunks).decode(),
        b"".join(err_chunks).decode(errors="replace"),
    )


class Sandbox:
    def __init__(self, records: int, workdir: Path) -> None:
        cmd = [sys.executable, "-m", "chathq_cli", "sandbox", "serve", "--port", "0"]
        cmd += ["--seed", "demo", "--clock", NOW, "--db", str(workdir / "sandbox.db")]
        cmd += ["--usage-records", str(records)]
        started = time.perf_counter()
        self.proc = subprocess.Popen(
            cmd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            env=os.environ | {"PYTHONUNBUFFERED": "1"},
        )
        assert self.proc.stdout is not None
        log = []
        for line in self.proc.stdout:
            log.append(line)
            match = LISTENING_RE.search(line)
            if match:
                self.url = match.group(1)
                break
        else:
            sys.exit("the sandbox stopped before listening:\n" + "".join(log))
        self.startup = time.perf_counter() - started
        # Keep draining its log so the server never blocks on a full pipe.
        threading.Thread(target=lambda: [None for _ in self.proc.stdout], daemon=True).start()  # type: ignore[union-attr]
        self.http = httpx.Client(base_url=self.url, timeout=120)
        response = self.http.post(
            "/v1/auth/sessions", json={"email": OWNER[0], "password": OWNER[1]}
        )
        response.raise_for_status()
        self.token = response.json()["token"]
        self.http.headers["Authorization"] = f"Bearer {self.token}"

    def biggest_account(self) -> tuple[str, int]:
        """The owner's account holding the generated records, and how many it has."""
        best = ("", -1)
        for org in self.http.get("/v1/orgs", params={"limit": 100}).json()["data"]:
            accounts = self.http.get(f"/v1/orgs/{org['id']}/accounts", params={"limit": 100})
            for account in accounts.json()["data"]:
                count = self.summary_total(account["id"])
                if count > best[1]:
                    best = (account["id"], count)
        return best

    def summary_total(self, account_id: str) -> int:
        response = self.http.get(f"/v1/accounts/{account_id}/usage_summary")
        response.raise_for_status()
        return int(response.json()["total"]["count"])

    def close(self) -> None:
        self.http.close()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def measure_faults(
    sandbox: Sandbox, env: dict[str, str], rate: float, reference: Path, workdir: Path
) -> dict[str, float]:
    """The export once more with faults on: its figures, and the same bytes as `reference`."""
    target = workdir / "usage-faults.csv"
    cmd = [sys.executable, "-m", "chathq_cli", "usage", "--all", "--format", "csv"]
    cmd += ["--output", str(target)]
    sandbox.http.post(
        "/_sandbox/faults", json={"rate": rate, "kinds": FAULT_KINDS, "seed": FAULT_SEED}
    )
    try:
        run = run_measured(cmd, env)
    finally:
        sandbox.http.post("/_sandbox/faults", json={"rate": 0.0, "kinds": FAULT_KINDS, "seed": 0})
    if target.read_bytes() != reference.read_bytes():
        sys.exit("the export under faults differs from the fault-free one")
    records = sum(1 for _ in reference.open(encoding="utf-8")) - 1  # minus the header
    pages = max(1, -(-records // 1000))  # the last page says has_more=false
    return {
        "faults_rate": rate,
        "faults_s": run.wall,
        "faults_cpu_s": run.cpu,
        "faults_peak_mib": run.peak_mib,
        "faults_page_requests": replayed_attempts(rate, pages),
        "faults_pages": pages,
    }


def replayed_attempts(rate: float, pages: int) -> int:
    """The requests an export of `pages` pages made under the sandbox's faults.

    The sandbox draws each /v1 request's fault from a generator seeded by POST
    /_sandbox/faults, and the export (account and token given, stderr not a terminal) makes
    no request but its pages, one at a time; so replaying the draws gives the count exactly,
    without --debug's logging inflating the CPU measured.
    """
    from chathq_cli.sandbox.faults import Faults

    faults = Faults(rate, FAULT_KINDS, FAULT_SEED)
    attempts = 0
    for _ in range(pages):
        while True:
            attempts += 1
            fault = faults.draw()
            if fault is None:
                break
            if fault == "error_after":
                faults.drop_connection()  # the sandbox's draw of how the answer is lost
    return attempts


def measure(records: int, repeat: int, workdir: Path, faults: float | None) -> dict[str, float]:
    sandbox = Sandbox(records, workdir)
    try:
        account_id, count = sandbox.biggest_account()
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(workdir),
            "PORTAL_HOST": sandbox.url,
            "PORTAL_TOKEN": sandbox.token,
            "PORTAL_ACCOUNT": account_id,
            "PORTAL_CONFIG_DIR": str(workdir / "config"),
            "NO_COLOR": "1",
            "LANG": "C.UTF-8",
        }
        target = workdir / "usage.csv"
        portal = [sys.executable, "-m", "chathq_cli"]
        export_cmd = [*portal, "usage", "--all", "--format", "csv", "--output", str(target)]
        export_cmd.append("--force")  # each repeat replaces the last one's file
        bare_cmd = [sys.executable, "-c", BARE_LOOP, sandbox.url, sandbox.token, account_id]

        exports, bares = [], []
        for _ in range(repeat):  # interleaved, so drift in the machine hits both alike
            bares.append(run_measured(bare_cmd, env))
            exports.append(run_measured(export_cmd, env))
            with target.open(encoding="utf-8") as stream:
                rows = sum(1 for _ in stream) - 1  # minus the header
            if rows != count or int(bares[-1].stdout) != count:
                sys.exit(f"row count mismatch: csv {rows}, bare {bares[-1].stdout}, api {count}")

        fault_figures = {}
        if faults is not None:
            fault_figures = measure_faults(sandbox, env, faults, target, workdir)

        summaries = [run_measured([*portal, "usage", "--summary"], env) for _ in range(repeat)]
        endpoint = []
        for _ in range(repeat):
            started = time.perf_counter()
            sandbox.summary_total(account_id)
            endpoint.append(time.perf_counter() - started)
        return {
            "records": count,
            "sandbox_start_s": sandbox.startup,
            "export_s": statistics.median(r.wall for r in exports),
            "export_cpu_s": statistics.median(r.cpu for r in exports),
            "export_peak_mib": max(r.peak_mib for r in exports),
            "bare_s": statistics.median(r.wall for r in bares),
            "bare_cpu_s": statistics.median(r.cpu for r in bares),
            "bare_peak_mib": max(r.peak_mib for r in bares),
            "summary_cli_s": statistics.median(r.wall for r in summaries),
            "summary_api_s": statistics.median(endpoint),
            # Wall-time ratios mean little on a busy machine: show how busy it was.
            "load": os.getloadavg()[0],
            **fault_figures,
        }
    finally:
        sandbox.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument(
        "--faults", type=float, metavar="RATE", help="also export with this fault rate (0-1)"
    )
    args = parser.parse_args()

    results = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="portal-bench-") as tmp:
            print(f"measuring {size:,} generated records...", file=sys.stderr, flush=True)
            results.append(measure(size, args.repeat, Path(tmp), args.faults))

    print(
        f"{'records':>10} {'export s':>9} {'bare s':>7} {'ratio':>6} {'cpu s':>6} "
        f"{'bare cpu':>8} {'cpu ratio':>9} {'peak MiB':>9} {'bare MiB':>9} {'summary s':>9} "
        f"{'api s':>6} {'seed s':>6} {'load':>5}"
    )
    for r in results:
        print(
            f"{r['records']:>10,} {r['export_s']:>9.2f} {r['bare_s']:>7.2f} "
            f"{r['export_s'] / r['bare_s']:>6.2f} {r['export_cpu_s']:>6.2f} "
            f"{r['bare_cpu_s']:>8.2f} {r['export_cpu_s'] / r['bare_cpu_s']:>9.2f} "
            f"{r['export_peak_mib']:>9.1f} {r['bare_peak_mib']:>9.1f} "
            f"{r['summary_cli_s']:>9.2f} {r['summary_api_s']:>6.3f} "
            f"{r['sandbox_start_s']:>6.1f} {r['load']:>5.1f}"
        )
    faulted = [r for r in results if "faults_s" in r]
    if faulted:
        print(
            f"\n{'records':>10} {'faults':>6} {'export s':>9} {'cpu s':>6} {'peak MiB':>9} "
            f"{'pages':>6} {'attempts':>8}  (same bytes as without faults)"
        )
    for r in faulted:
        print(
            f"{r['records']:>10,} {r['faults_rate']:>6.0%} {r['faults_s']:>9.2f} "
            f"{r['faults_cpu_s']:>6.2f} {r['faults_peak_mib']:>9.1f} "
            f"{r['faults_pages']:>6,} {r['faults_page_requests']:>8,}"
        )

    problems = []
    for r in results:
        if r["export_peak_mib"] > MEMORY_BUDGET_MIB:
            problems.append(f"peak {r['export_peak_mib']:.1f} MiB > {MEMORY_BUDGET_MIB} MiB")
        if r["export_s"] > WALL_RATIO_BUDGET * r["bare_s"]:
            problems.append(f"export {r['export_s'] / r['bare_s']:.2f}x the bare loop")
        # SPEC §7 sets the CPU budget at a million records; below, the CLI's start-up (0.3 s
        # against the bare loop's 0.13 s of importing httpx) weighs on the ratio.
        if r["records"] >= CPU_BUDGET_RECORDS and (
            r["export_cpu_s"] > CPU_RATIO_BUDGET * r["bare_cpu_s"]
        ):
            problems.append(
                f"export CPU {r['export_cpu_s'] / r['bare_cpu_s']:.2f}x the bare loop's"
            )
        if "faults_peak_mib" in r and r["faults_peak_mib"] > MEMORY_BUDGET_MIB:
            problems.append(f"peak under faults {r['faults_peak_mib']:.1f} MiB")
        if r["summary_api_s"] > SUMMARY_BUDGET_S:
            problems.append(f"summary endpoint {r['summary_api_s']:.2f} s")
    peaks = [r["export_peak_mib"] for r in results]
    if len(peaks) > 1 and max(peaks) > min(peaks) * (1 + MEMORY_SPREAD):
        problems.append(f"peak memory grows with size: {min(peaks):.1f} -> {max(peaks):.1f} MiB")
    for problem in problems:
        print("over budget: " + problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
