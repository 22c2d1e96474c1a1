"""How fast the practice library is on the work real visitors do, against a plain page.

    .venv/bin/python benchmarks/library_speed.py                     # 10,000 practices, both DBs
    .venv/bin/python benchmarks/library_speed.py --practices 100000 --databases sqlite
    .venv/bin/python benchmarks/library_speed.py --practices 2000 --duration 5

For each database this script builds a fresh site in a temporary folder (migrate, load_demo,
`generate_practices N`, collectstatic), serves it with gunicorn (2 workers, production settings,
Redis as the cache when it answers on 127.0.0.1:6379, else production's shared file cache) and
loads it at concurrency 4. Every request of a workload is a DIFFERENT URL, so that no list is
served from the cache of rendered fragments: the miss path alone is measured.

The workloads, each against the floor (a plain content page, /about/, repeated):
- library with two facets: every combination of two values of two facets, in random order, on
  page 1, and on page 2 where there is one (Debian's `wrk` with a Lua script that walks the
  list, each of its threads its own share);
- search: one or two words (the words of the generated practices, among them words that most
  practices contain, like "city"), page 1 (wrk likewise);
- the first request after a publication: a practice is published again (Wagtail's revision
  publish, in a separate process, as the editor's request would), then four different library
  URLs are asked at once, at concurrency 4, before anything else: each worker updates its index
  on the first of them; 25 publications, 100 requests;

and prints the median latency of each, its ratio to the floor, the target (2x, 3x, 3x; 4x for
the pages with 100,000 practices or more) and pass or fail, with the memory of each worker
(its resident set after the run, and the arrays of its library index). Any non-2xx answer or
socket error is counted and fails the run; the script exits with status 1 if a target is
missed.
"""

import argparse
import http.client
import json
import os
import random
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
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


def build_site(env: dict, practices: int) -> None:
    started = time.monotonic()
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_demo", "--quiet")
    manage(env, "generate_practices", str(practices), "--seed", "1")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    if "DATABASE_URL" in env:
        # What autovacuum does soon after a bulk load: the planner's statistics.
        reset = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", "VACUUM ANALYZE", POSTGRES_DB]
        subprocess.run(reset, check=True, capture_output=True)  # noqa: S603
    print(f"  built the site with {practices} practices in {time.monotonic() - started:.0f} s")


#: Run in the site's shell: the URLs of each workload, from the site's own vocabulary and index.
PATHS_CODE = """
import itertools, json, random
from django.http import QueryDict
from practices.library import LibraryQuery
from practices.library.index import library_index
from practices.library.search import ranked_ids
from practices.management.commands import generate_practices as generated
from practices.models import PracticeIndexPage
library = PracticeIndexPage.objects.first()
index = library_index(library)
base = library.url
rng = random.Random(1)
values = {key: list(terms) for key, terms in index.vocabulary.items()}
values['year'] = [str(year) for year in index.facets['year'].values]
values['status'] = list(index.facets['status'].values)
facet_paths = []
for first, second in itertools.combinations(sorted(values), 2):
    for a, b in itertools.product(values[first], values[second]):
        querystring = f'{first}={a}&{second}={b}'
        query = LibraryQuery.from_querydict(QueryDict(querystring)).resolve(index.vocabulary)
        total = len(index.match(query, None)[0])
        if total:
            facet_paths.append(f'{base}?{querystring}')
        if total > 20:
            facet_paths.append(f'{base}?{querystring}&page=2')
text = ' '.join(
    [name + ' ' + does for name, does in generated.INTERVENTIONS] + generated.GOALS
    + generated.PROBLEMS + generated.ACTIVITIES + generated.RESULTS
)
words = sorted({w.strip('.,;:()').lower() for w in text.split()})
words = [w for w in words if len(w) >= 5 and w.isascii() and w.isalpha() and ranked_ids((w,))]
search_paths = [f'{base}?q={w}' for w in words] + [f'{base}?q=city']
pairs = [(a, b) for a, b in itertools.combinations(words, 2)]
rng.shuffle(pairs)
for a, b in pairs:
    if len(search_paths) >= 4000:
        break
    if ranked_ids((a, b)):
        search_paths.append(f'{base}?q={a}+{b}')
rng.shuffle(facet_paths)
rng.shuffle(search_paths)
common = sum(1 for w in words if len(ranked_ids((w,))) > len(index.ids[:index.used]) / 2)
print(json.dumps({
    'facets': facet_paths, 'search': search_paths, 'common_words': common,
    'index_bytes': index.memory(), 'practices': int(index.used),
}))
"""

#: Run in the site's shell: publishes a generated practice again for each line it reads.
PUBLISHER_CODE = """
import random, sys
from practices.models import PracticePage
rng = random.Random(2)
generated = PracticePage.objects.live().filter(slug__startswith='generated-')
ids = list(generated.values_list('pk', flat=True))
print('ready', flush=True)
for line in sys.stdin:
    practice = PracticePage.objects.get(pk=rng.choice(ids))
    practice.summary = practice.summary + ' '
    practice.save_revision().publish()
    print('published', flush=True)
"""

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


def workload_paths(env: dict) -> dict:
    return json.loads(manage(env, "shell", "-v", "0", "-c", PATHS_CODE).strip().splitlines()[-1])


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


def after_publications(
    env: dict, port: int, paths: list[str], publications: int, connections: int
) -> tuple[float, int, int]:
    """Median latency of the first `connections` requests after each publication."""
    publisher = subprocess.Popen(  # noqa: S603
        [PYTHON, "manage.py", "shell", "-v", "0", "-c", PUBLISHER_CODE],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert publisher.stdout.readline().strip() == "ready"
    latencies, errors = [], 0
    walk = iter(paths)
    try:
        for _ in range(publications):
            publisher.stdin.write("publish\n")
            publisher.stdin.flush()
            assert publisher.stdout.readline().strip() == "published"
            batch = [next(walk) for _ in range(connections)]
            answers: list[tuple[float, int]] = []

            def ask(path: str, answers=answers) -> None:
                answers.append(timed_get(port, path))

            threads = [threading.Thread(target=ask, args=(path,)) for path in batch]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            latencies += [elapsed for elapsed, _status in answers]
            errors += sum(1 for _elapsed, status in answers if status != 200)
            time.sleep(0.3)  # the second bump, after the publisher's commit, has landed
    finally:
        publisher.stdin.close()
        publisher.wait(timeout=30)
    return statistics.median(latencies), len(latencies), errors


def worker_memory_mb(server: subprocess.Popen) -> list[float]:
    """The resident set of each gunicorn worker (children of the master), in MB."""
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    sizes = []
    for child in children:
        status = Path(f"/proc/{child}/status").read_text()
        if match := re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE):
            sizes.append(int(match.group(1)) / 1024)
    return sizes


def benchmark(database: str, args, use_redis: bool) -> tuple[list[Result], dict]:
    print(f"\n== {database}, {args.practices} practices ==")
    var_dir = Path(tempfile.mkdtemp(prefix=f"ux-benchmark-{database}-"))
    env = site_env(database, var_dir, use_redis)
    if database == "postgres":
        reset_postgres()
    if use_redis:
        flush_redis()
    build_site(env, args.practices)
    workloads = workload_paths(env)
    # An order of URLs, not a secret.
    rng = random.Random(3)  # noqa: S311
    facets, searches = workloads["facets"], workloads["search"]
    # The publication workload gets URLs of its own, never asked by the facet workload.
    needed = args.publications * args.connections
    publication_paths, facets = facets[:needed], facets[needed:]
    rng.shuffle(facets)
    print(
        f"  {len(facets)} facet URLs, {len(searches)} search URLs "
        f"({workloads['common_words']} words in most practices)"
    )
    port = free_port()
    server = start_server(env, port, var_dir / "gunicorn.log")
    results = []
    big = args.practices >= 100_000
    try:
        # Warm both workers up (the index is read on a worker's first library request).
        for _ in range(8):
            timed_get(port, "/about/")
            timed_get(port, "/practices/")
        floor = run_wrk(port, ["/about/"], args.duration, args.connections, var_dir)
        results.append(Result("floor: /about/", *floor, None, "/about/"))
        facet = run_wrk(port, facets, args.duration, args.connections, var_dir)
        results.append(Result("library, 2 facets", *facet, 4.0 if big else 2.0, facets[0]))
        search = run_wrk(port, searches, args.duration, args.connections, var_dir)
        results.append(Result("search, 1-2 words", *search, 4.0 if big else 3.0, searches[0]))
        published = after_publications(
            env, port, publication_paths, args.publications, args.connections
        )
        results.append(
            Result("first after publication", *published, 4.0 if big else 3.0, "(facet URLs)")
        )
        memory = worker_memory_mb(server)
    finally:
        server.terminate()
        server.wait(timeout=20)
    if not args.keep:
        shutil.rmtree(var_dir, ignore_errors=True)
    else:
        print(f"  kept the site in {var_dir}")
    info = {"memory": memory, "index_bytes": workloads["index_bytes"], "urls": len(facets)}
    return results, info


def report(database: str, practices: int, results: list[Result], info: dict) -> bool:
    floor = results[0].median_ms
    ok = True
    print(
        f"\n{database}, {practices} practices: median latency, concurrency 4, gunicorn 2 workers,"
        " every request a different URL"
    )
    header = ("workload", "median", "x floor", "target", "requests", "errors", "")
    print("  {:<26} {:>9} {:>8} {:>7} {:>9} {:>7} {}".format(*header))
    for result in results:
        ratio = result.median_ms / floor
        passed = result.errors == 0 and (result.target is None or ratio <= result.target)
        ok &= passed
        target = f"<={result.target:.0f}x" if result.target else "-"
        print(
            f"  {result.name:<26} {result.median_ms:>7.2f}ms {ratio:>7.2f}x {target:>7} "
            f"{result.requests:>9} {result.errors:>7} {'ok' if passed else 'FAIL'}"
        )
    memory = ", ".join(f"{size:.0f} MB" for size in info["memory"])
    print(
        f"  memory per worker (resident): {memory}; "
        f"library index arrays: {info['index_bytes'] / 1e6:.2f} MB"
    )
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--practices", type=int, default=10_000)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per workload")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--publications", type=int, default=25)
    parser.add_argument("--no-redis", action="store_true", help="use the shared file cache")
    parser.add_argument("--keep", action="store_true", help="keep the built sites")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    use_redis = not args.no_redis and redis_answers()
    print(f"cache: {'Redis' if use_redis else 'shared files (production default)'}")
    print(f"load before the run: {os.getloadavg()[0]:.2f} (1 min average, {os.cpu_count()} CPUs)")
    all_ok = True
    for database in args.databases.split(","):
        results, info = benchmark(database, args, use_redis)
        all_ok &= report(database, args.practices, results, info)
    print(f"\nload after the run: {os.getloadavg()[0]:.2f}")
    sys.exit(0 if all_ok else 1)


if __name__ == "__main__":
    main()
