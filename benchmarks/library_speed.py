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
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from harness import (
    PYTHON,
    ROOT,
    Result,
    analyse,
    flush_redis,
    free_port,
    manage,
    print_table,
    redis_answers,
    reset_postgres,
    run_wrk,
    site_env,
    start_server,
    timed_get,
    worker_memory_mb,
)


def build_site(env: dict, practices: int) -> None:
    started = time.monotonic()
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_demo", "--quiet")
    manage(env, "generate_practices", str(practices), "--seed", "1")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    analyse(env)
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


def workload_paths(env: dict) -> dict:
    return json.loads(manage(env, "shell", "-v", "0", "-c", PATHS_CODE).strip().splitlines()[-1])


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
    ok = print_table(f"{database}, {practices} practices", results)
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
