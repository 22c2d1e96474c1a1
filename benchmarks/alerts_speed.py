"""How long `send_practice_alerts` takes for 10,000 alerts over 10,000 practices, with one day's
50 new practices, and how many queries it runs per alert (issue 11: under a minute).

    .venv/bin/python benchmarks/alerts_speed.py [--alerts 10000] [--practices 10000]
        [--new 50] [--databases sqlite postgres]

A fresh site per database (production settings, `migrate`, `load_demo`, `generate_practices`),
then alerts made from the library's own vocabulary: one to three facet values, and a search word
taken from the practices' titles for a third of them, daily and weekly, all confirmed a day ago.
Fifty practices are then dated as published an hour ago, and the digests are sent through the
site's mail queue (rows in the outgoing mail table, as in production; nothing leaves the machine).
The run is measured in the process that sends, from the first query to the last e-mail queued.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import manage, reset_postgres, site_env  # noqa: E402

SETUP_AND_RUN = r"""
import datetime, json, random, time
from django.db import connection
from django.utils import timezone
from practices import alerts
from practices.library.facets import get_vocabulary
from practices.library.query import LibraryQuery
from practices.models import AlertDigest, PracticeAlert, PracticePage

random.seed(7)
ALERTS, NEW = {alerts}, {new}
vocabulary = get_vocabulary()
keys = [k for k in ("theme", "fund", "country", "level", "group", "city") if vocabulary.get(k)]
words = [w.lower() for t in PracticePage.objects.values_list("title", flat=True)[:2000]
         for w in t.split() if len(w) > 5 and w.isalpha()]
day_ago = timezone.now() - datetime.timedelta(days=1)
rows = []
for number in range(ALERTS):
    filters = {{}}
    for key in random.sample(keys, random.randint(1, min(3, len(keys)))):
        filters[key] = (random.choice(list(vocabulary[key])),)
    q = random.choice(words) if number % 3 == 0 and words else ""
    query = LibraryQuery(q=q, filters=filters)
    rows.append(PracticeAlert(
        email=f"reader{{number}}@example.test", query=alerts.stored_query(query),
        description=alerts.describe(query)[:500],
        frequency="daily" if number % 2 else "weekly",
        confirmed_at=day_ago, covered_until=day_ago,
    ))
PracticeAlert.objects.bulk_create(rows, batch_size=1000)
new_ids = random.sample(list(PracticePage.objects.live().values_list("pk", flat=True)), NEW)
PracticePage.objects.filter(pk__in=new_ids).update(
    first_published_at=timezone.now() - datetime.timedelta(hours=1))
queries = [0]
def count(execute, sql, params, many, context):
    queries[0] += 1
    return execute(sql, params, many, context)
with connection.execute_wrapper(count):
    start = time.perf_counter()
    run = alerts.send_digests()
    seconds = time.perf_counter() - start
again = alerts.send_digests()
print(json.dumps({{
    "seconds": round(seconds, 2), "queries": queries[0], "alerts": ALERTS,
    "sent": run.sent, "empty": run.empty, "second_run_sent": again.sent,
    "digests": AlertDigest.objects.count(),
}}))
"""


def measure(database: str, practices: int, alert_count: int, new: int) -> dict:
    var_dir = Path(tempfile.mkdtemp(prefix=f"alerts-{database}-"))
    if database == "postgres":
        reset_postgres()
    env = site_env(database, var_dir, use_redis=False)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_demo", "--quiet")
    manage(env, "generate_practices", str(practices))
    output = manage(env, "shell", "-c", SETUP_AND_RUN.format(alerts=alert_count, new=new))
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alerts", type=int, default=10_000)
    parser.add_argument("--practices", type=int, default=10_000)
    parser.add_argument("--new", type=int, default=50)
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgres"])
    args = parser.parse_args()
    print(f"{args.alerts} alerts, {args.practices} practices, {args.new} new")
    print(
        "| database | seconds | digests sent | alerts with nothing new | queries "
        "| per digest sent |"
    )
    print("|---|---|---|---|---|---|")
    failed = False
    for database in args.databases:
        result = measure(database, args.practices, args.alerts, args.new)
        per_digest = result["queries"] / max(1, result["sent"])
        print(
            f"| {database} | {result['seconds']} | {result['sent']} | {result['empty']} | "
            f"{result['queries']} | {per_digest:.2f} |"
        )
        if result["second_run_sent"]:
            print(f"  a second run sent {result['second_run_sent']} digests again")
            failed = True
        failed = failed or result["seconds"] >= 60
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
