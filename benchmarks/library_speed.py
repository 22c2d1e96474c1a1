"""How fast the practice library is with many practices, compared with a plain page of the site.

    .venv/bin/python benchmarks/library_speed.py                  # 10,000 practices, both DBs
    .venv/bin/python benchmarks/library_speed.py --practices 2000 --databases sqlite

For each database this script builds a fresh site in a temporary folder (migrate, load_demo,
`generate_practices N`, collectstatic), serves it with gunicorn (2 workers, production settings,
Redis as the cache when it answers on 127.0.0.1:6379), loads it with Debian's `wrk` at
concurrency 4, and prints each page's median latency and its ratio to the floor: a plain
content page of the same site (/about/).

The pages:
- floor: /about/, a StandardPage;
- library with two facets: /practices/ filtered by the commonest theme and a governance level;
- search: /practices/?q=<a word in most practices' text>.

Each page is warmed up first (the library caches its facet counts and result lists, so the
numbers are for a running site, not the first visitor after a publication); the cold figure for
each page, the first request after the cache was emptied, is printed too. Any non-2xx answer or
socket error is counted and reported, and makes the script exit with status 1.
"""

import argparse
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/{name}"
REDIS_URL = "redis://127.0.0.1:6379/14"


@dataclass
class Result:
    name: str
    path: str
    median_ms: float
    requests_per_second: float
    errors: int
    cold_ms: float


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
        env["DATABASE_URL"] = POSTGRES_URL.format(name="urbanexchange_benchmark")
    if use_redis:
        env["REDIS_URL"] = REDIS_URL
    return env


def reset_postgres() -> None:
    for statement in (
        "DROP DATABASE IF EXISTS urbanexchange_benchmark WITH (FORCE)",
        "CREATE DATABASE urbanexchange_benchmark",
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


def build_site(env: dict, practices: int) -> None:
    started = time.monotonic()
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_demo", "--quiet")
    manage(env, "generate_practices", str(practices), "--seed", "1")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    print(f"  built the site with {practices} practices in {time.monotonic() - started:.0f} s")


def benchmark_paths(env: dict) -> dict[str, str]:
    """The floor, the library with its two commonest facet values, and a common-word search."""
    code = (
        "from django.db.models import Count\n"
        "from practices.models import GovernanceLevel, Theme\n"
        "theme = Theme.objects.annotate(n=Count('practices')).order_by('-n').first()\n"
        "level = GovernanceLevel.objects.annotate(n=Count('practices')).order_by('-n').first()\n"
        "print(theme.slug, level.slug)\n"
    )
    theme, level = manage(env, "shell", "-v", "0", "-c", code).split()
    return {
        "floor (plain page)": "/about/",
        "library, 2 facets": f"/practices/?theme={theme}&level={level}",
        "search, common word": "/practices/?q=city",
    }


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


def first_request_ms(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310
        response.read()
        if response.status != 200:
            sys.exit(f"{url} answered {response.status}")
    return (time.perf_counter() - started) * 1000


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def run_wrk(url: str, duration: int, connections: int) -> tuple[float, float, int]:
    """wrk's median latency (ms), requests per second and error count for `url`."""
    subprocess.run(  # noqa: S603
        ["wrk", "-t", "2", "-c", str(connections), "-d", "2s", url],  # noqa: S607
        check=True,
        capture_output=True,
    )
    output = subprocess.run(  # noqa: S603
        [  # noqa: S607
            "wrk",
            "-t",
            "2",
            "-c",
            str(connections),
            "-d",
            f"{duration}s",
            "--timeout",
            "10s",
            "--latency",
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    median = re.search(r"^\s*50%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    if not median or not rate:
        sys.exit(f"could not read wrk's output:\n{output}")
    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output):
        errors += int(match.group(1))
    socket_errors = r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)"
    if match := re.search(socket_errors, output):
        errors += sum(int(n) for n in match.groups())
    return float(median.group(1)) * _UNITS[median.group(2)], float(rate.group(1)), errors


def benchmark(database: str, args, use_redis: bool) -> list[Result]:
    print(f"\n== {database} ==")
    var_dir = Path(tempfile.mkdtemp(prefix=f"ux-benchmark-{database}-"))
    env = site_env(database, var_dir, use_redis)
    if database == "postgres":
        reset_postgres()
    if use_redis:
        flush_redis()
    build_site(env, args.practices)
    paths = benchmark_paths(env)
    port = free_port()
    server = start_server(env, port, var_dir / "gunicorn.log")
    results = []
    try:
        for name, path in paths.items():
            url = f"http://127.0.0.1:{port}{path}"
            if use_redis:
                flush_redis()
            cold = first_request_ms(url)
            median, rate, errors = run_wrk(url, args.duration, args.connections)
            results.append(Result(name, path, median, rate, errors, cold))
    finally:
        server.terminate()
        server.wait(timeout=20)
    if not args.keep:
        shutil.rmtree(var_dir, ignore_errors=True)
    else:
        print(f"  kept the site in {var_dir}")
    return results


def report(database: str, results: list[Result]) -> bool:
    floor = results[0].median_ms
    limits = {"library, 2 facets": 1.5, "search, common word": 3.0}
    ok = True
    print(f"\n{database}: median latency at concurrency 4 (gunicorn, 2 workers)")
    header = ("page", "median", "x floor", "limit", "req/s", "errors", "cold")
    print("  {:<22} {:>9} {:>8} {:>6} {:>8} {:>7} {:>9}".format(*header))
    for result in results:
        ratio = result.median_ms / floor
        limit = limits.get(result.name)
        passed = result.errors == 0 and (limit is None or ratio <= limit)
        ok &= passed
        print(
            f"  {result.name:<22} {result.median_ms:>7.2f}ms {ratio:>7.2f}x "
            f"{(f'{limit:.1f}x' if limit else '-'):>6} {result.requests_per_second:>8.0f} "
            f"{result.errors:>7} {result.cold_ms:>7.1f}ms {'ok' if passed else 'FAIL'}"
        )
        print(f"    {result.path}")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--practices", type=int, default=10_000)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--no-redis", action="store_true", help="use the local memory cache")
    parser.add_argument("--keep", action="store_true", help="keep the built sites")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    use_redis = not args.no_redis and redis_answers()
    print(f"cache: {'Redis' if use_redis else 'local memory (per worker)'}")
    all_ok = True
    for database in args.databases.split(","):
        all_ok &= report(database, benchmark(database, args, use_redis))
    sys.exit(0 if all_ok else 1)


if __name__ == "__main__":
    main()
