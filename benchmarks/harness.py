"""What the benchmarks share: a fresh site in a temporary folder, served by gunicorn, loaded
by Debian's `wrk` walking a list of distinct URLs, and a table of medians against the floor.

`library_speed.py` and `events_speed.py` import it; run them from the project's root with the
project's Python (`.venv/bin/python benchmarks/<name>.py`).
"""

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/{name}"
REDIS_URL = "redis://127.0.0.1:6379/14"
#: Dropped and made again for each run; BENCHMARK_POSTGRES_DB names another.
POSTGRES_DB = os.environ.get("BENCHMARK_POSTGRES_DB", "urbanexchange_benchmark")


@dataclass
class Result:
    name: str
    median_ms: float
    requests: int
    errors: int
    target: float | None
    example: str


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def site_env(database: str, var_dir: Path, use_redis: bool) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="urbanexchange.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        VAR_DIR=str(var_dir),
        DEMO_PASSWORD=secrets.token_urlsafe(16),
        EMAIL_URL="dummy://",
    )
    if database == "postgres":
        env["DATABASE_URL"] = POSTGRES_URL.format(name=POSTGRES_DB)
    if use_redis:
        env["REDIS_URL"] = REDIS_URL
    return env


def reset_postgres() -> None:
    for statement in (
        f"DROP DATABASE IF EXISTS {POSTGRES_DB} WITH (FORCE)",
        f"CREATE DATABASE {POSTGRES_DB}",
    ):
        subprocess.run(  # noqa: S603
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", statement],  # noqa: S607
            check=True,
            capture_output=True,
        )


def flush_redis() -> None:
    with socket.create_connection(("127.0.0.1", 6379), timeout=2) as sock:
        sock.sendall(b"SELECT 14\r\nFLUSHDB\r\n")
        time.sleep(0.1)
        sock.recv(64)


WRK_SCRIPT = """
-- Each wrk thread walks its own share of the paths: no URL is asked twice in a run.
local counter = 0
local threads = {}
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end
function init(args)
  paths = {}
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  step = tonumber(args[2])
  i = id + 1
end
function request()
  local path = paths[i]
  i = i + step
  if i > #paths then i = id + 1 end
  return wrk.format("GET", path)
end
"""


def start_server(env: dict, port: int, log: Path) -> subprocess.Popen:
    process = subprocess.Popen(  # noqa: S603
        [
            str(Path(PYTHON).with_name("gunicorn")),
            "urbanexchange.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "-",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=2)  # noqa: S310
            return process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                sys.exit("gunicorn did not start:\n" + log.read_text())
            time.sleep(0.2)


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}
WRK_THREADS = 2


def run_wrk(
    port: int, paths: list[str], duration: int, connections: int, folder: Path
) -> tuple[float, int, int]:
    """wrk's median latency (ms), request count and errors, walking `paths` (or one path)."""
    command = [
        "wrk",
        "-t",
        str(WRK_THREADS),
        "-c",
        str(connections),
        "-d",
        f"{duration}s",
        "--timeout",
        "10s",
        "--latency",
    ]
    if len(paths) > 1:
        script = folder / "walk.lua"
        script.write_text(WRK_SCRIPT)
        listing = folder / "paths.txt"
        listing.write_text("\n".join(paths) + "\n")
        command += ["-s", str(script), f"http://127.0.0.1:{port}", "--", str(listing)]
        command.append(str(WRK_THREADS))
    else:
        command.append(f"http://127.0.0.1:{port}{paths[0]}")
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603
    median = re.search(r"^\s*50%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
    count = re.search(r"^\s*(\d+) requests in", output, re.MULTILINE)
    if not median or not count:
        sys.exit(f"could not read wrk's output:\n{output}")
    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output):
        errors += int(match.group(1))
    socket_errors = r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)"
    if match := re.search(socket_errors, output):
        errors += sum(int(n) for n in match.groups())
    return float(median.group(1)) * _UNITS[median.group(2)], int(count.group(1)), errors


def timed_get(port: int, path: str) -> tuple[float, int]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    started = time.perf_counter()
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    elapsed = (time.perf_counter() - started) * 1000
    connection.close()
    return elapsed, response.status


def worker_memory_mb(server: subprocess.Popen) -> list[float]:
    """The resident set of each gunicorn worker (children of the master), in MB."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    sizes = []
    for child in children:
        status = Path(f"/proc/{child}/status").read_text()
        if match := re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE):
            sizes.append(int(match.group(1)) / 1024)
    return sizes


def analyse(env: dict) -> None:
    """What autovacuum does soon after a bulk load on PostgreSQL: the planner's statistics."""
    if "DATABASE_URL" in env:
        command = [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-qc",
            "VACUUM ANALYZE",
            POSTGRES_DB,
        ]
        subprocess.run(command, check=True, capture_output=True)  # noqa: S603


def print_table(title: str, results: list["Result"]) -> bool:
    """Each result's median and its ratio to the first (the floor); False if one misses."""
    floor = results[0].median_ms
    ok = True
    print(f"\n{title}: median latency, concurrency 4, gunicorn 2 workers, distinct URLs")
    header = ("workload", "median", "x floor", "target", "requests", "errors", "")
    print("  {:<28} {:>9} {:>8} {:>7} {:>9} {:>7} {}".format(*header))
    for result in results:
        ratio = result.median_ms / floor
        passed = result.errors == 0 and (result.target is None or ratio <= result.target)
        ok &= passed
        target = f"<={result.target:g}x" if result.target else "-"
        print(
            f"  {result.name:<28} {result.median_ms:>7.2f}ms {ratio:>7.2f}x {target:>7} "
            f"{result.requests:>9} {result.errors:>7} {'ok' if passed else 'FAIL'}"
        )
    return ok
