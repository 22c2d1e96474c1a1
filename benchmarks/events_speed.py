"""How fast the events are on the work real visitors do, against a plain page of the site.

    .venv/bin/python benchmarks/events_speed.py                 # 1,000 events, both databases
    .venv/bin/python benchmarks/events_speed.py --events 200 --registrations 10000 --duration 5

For each database this script builds a fresh site in a temporary folder (migrate, load_demo,
`generate_events N --registrations M --big-event 5000`, collectstatic), serves it with gunicorn
(2 workers, production settings) and loads it at concurrency 4 with Debian's `wrk`; every
request of a workload with parameters is a different URL. The workloads, against the floor (a
plain content page, /about/):

- /events/ with filters: every combination of when (upcoming, past, reports), kind, format,
  theme, partnership and month that the generated events fill, on page 1 and 2 (target 2x);
- /events/feed.ics: the public calendar, by kind, theme and partnership (target 3x);
- the page of the event with 5,000 registrations (target 1.5x);
- registration over HTTP (PostgreSQL only, the production database): signed-in members post
  the registration form of one event with a limited capacity from 4 concurrent clients; the
  rate is registrations per second, sustained over the run (target at least 50/s), and the
  event must end with exactly its capacity confirmed and the rest on the waiting list.

It prints each median, its ratio to the floor, the target and pass or fail; the script exits
with status 1 if a target is missed or any request failed.
"""

import argparse
import http.client
import json
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import harness

#: Run in the site's shell: the URLs of each workload.
PATHS_CODE = """
import itertools, json, random
from events.models import EventIndexPage, EventPage, EventKind, EventFormat
from practices.models import Theme, Partnership
index = EventIndexPage.objects.first()
base = index.url
rng = random.Random(1)
themes = list(Theme.objects.values_list('slug', flat=True))
partnerships = list(Partnership.objects.values_list('slug', flat=True))
months = sorted({e.starts_at.strftime('%Y-%m') for e in EventPage.objects.only('starts_at')})
def url(path, params):
    query = '&'.join(f'{k}={v}' for k, v in params if v)
    return f'{path}?{query}' if query else path
lists = []
for when in ('', 'past', 'reports'):
    kinds_formats = itertools.product([''] + EventKind.values, [''] + EventFormat.values)
    for (kind, fmt), theme in itertools.product(kinds_formats, [''] + themes):
        params = [('when', when), ('kind', kind), ('format', fmt), ('theme', theme)]
        lists.append(url(base, params))
        lists.append(url(base, params + [('page', 2)]))
    lists += [url(base, [('when', when), ('month', month)]) for month in months]
feeds = []
choices = itertools.product([''] + EventKind.values, [''] + themes, [''] + partnerships)
for kind, theme, partnership in choices:
    feeds.append(url('/events/feed.ics', [('kind', kind), ('theme', theme),
                                          ('partnership', partnership)]))
big = EventPage.objects.get(slug='generated-0')
rng.shuffle(lists)
rng.shuffle(feeds)
print(json.dumps({'lists': lists, 'feeds': feeds, 'big': big.url,
                  'registrations': big.registrations.count()}))
"""

#: Run in the site's shell: an event to register for and signed-in members, with their cookies.
MEMBERS_CODE = """
import json
from datetime import date, time, timedelta
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from importlib import import_module
from django.middleware.csrf import _get_new_csrf_string
from accounts.models import User
from events.models import EventIndexPage, EventPage
index = EventIndexPage.objects.first()
event = EventPage(
    title='Rush', slug='rush', summary='A rush.', start_time=time(10), end_time=time(12),
    start_date=date.today() + timedelta(days=20), organiser_name='O',
    organiser_email='o@example.test', capacity=CAPACITY, has_waiting_list=True,
)
index.add_child(instance=event)
event.save_revision().publish()
members = []
for n in range(MEMBERS):
    user = User.objects.create_user(
        username=f'rush{n}', email=f'rush{n}@example.test', password=None,
        first_name='Rush', last_name=str(n), organisation='City',
    )
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend'
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    members.append(
        {'session': session.session_key, 'csrf': _get_new_csrf_string(), 'email': user.email}
    )
print(json.dumps({
    'url': event.url, 'pk': event.pk, 'members': members,
    'session_cookie': settings.SESSION_COOKIE_NAME, 'csrf_cookie': settings.CSRF_COOKIE_NAME,
}))
"""

COUNT_CODE = """
from collections import Counter
from events.models import Registration
print(dict(Counter(Registration.objects.filter(event_id=EVENT).values_list('state', flat=True))))
"""


@dataclass
class Rate:
    per_second: float
    posted: int
    errors: int
    states: dict


def registration_rush(env: dict, port: int, members: int, capacity: int, clients: int) -> Rate:
    code = MEMBERS_CODE.replace("CAPACITY", str(capacity)).replace("MEMBERS", str(members))
    data = json.loads(harness.manage(env, "shell", "-v", "0", "-c", code).strip().splitlines()[-1])
    queue = list(data["members"])
    lock = threading.Lock()
    errors, posted = [], []

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                if not queue:
                    break
                member = queue.pop()
            body = (
                f"csrfmiddlewaretoken={member['csrf']}&first_name=Rush&last_name=Member"
                f"&email={member['email']}&organisation=City&consent=on"
            )
            cookie = (
                f"{data['session_cookie']}={member['session']}; "
                f"{data['csrf_cookie']}={member['csrf']}"
            )
            connection.request(
                "POST",
                data["url"] + "register/",
                body=body,
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": cookie,
                    "Host": "127.0.0.1",
                },
            )
            response = connection.getresponse()
            response.read()
            with lock:
                (posted if response.status == 302 else errors).append(response.status)
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    states = json.loads(
        harness.manage(env, "shell", "-v", "0", "-c", COUNT_CODE.replace("EVENT", str(data["pk"])))
        .strip()
        .splitlines()[-1]
        .replace("'", '"')
    )
    return Rate(len(posted) / elapsed, len(posted), len(errors), states)


def benchmark(database: str, args) -> tuple[list[harness.Result], Rate | None]:
    print(f"\n== {database}, {args.events} events, {args.registrations} registrations ==")
    var_dir = Path(tempfile.mkdtemp(prefix=f"ux-events-benchmark-{database}-"))
    env = harness.site_env(database, var_dir, use_redis=False)
    if database == "postgres":
        harness.reset_postgres()
    started = time.monotonic()
    harness.manage(env, "migrate", "--noinput", "-v", "0")
    harness.manage(env, "load_demo", "--quiet")
    harness.manage(
        env,
        "generate_events",
        str(args.events),
        "--registrations",
        str(args.registrations),
        "--big-event",
        str(args.big_event),
    )
    harness.manage(env, "collectstatic", "--noinput", "-v", "0")
    harness.analyse(env)
    print(f"  built the site in {time.monotonic() - started:.0f} s")
    paths = json.loads(
        harness.manage(env, "shell", "-v", "0", "-c", PATHS_CODE).strip().splitlines()[-1]
    )
    print(
        f"  {len(paths['lists'])} list URLs, {len(paths['feeds'])} feed URLs, "
        f"{paths['registrations']} registrations on {paths['big']}"
    )
    port = harness.free_port()
    server = harness.start_server(env, port, var_dir / "gunicorn.log")
    results, rate = [], None
    try:
        for _ in range(8):
            harness.timed_get(port, "/about/")
            harness.timed_get(port, "/events/")
        floor = harness.run_wrk(port, ["/about/"], args.duration, args.connections, var_dir)
        results.append(harness.Result("floor: /about/", *floor, None, "/about/"))
        lists = harness.run_wrk(port, paths["lists"], args.duration, args.connections, var_dir)
        results.append(harness.Result("/events/ with filters", *lists, 2.0, paths["lists"][0]))
        feeds = harness.run_wrk(port, paths["feeds"], args.duration, args.connections, var_dir)
        results.append(harness.Result("/events/feed.ics", *feeds, 3.0, paths["feeds"][0]))
        big = harness.run_wrk(port, [paths["big"]], args.duration, args.connections, var_dir)
        results.append(harness.Result("event, 5,000 registrations", *big, 1.5, paths["big"]))
        if database == "postgres":
            rate = registration_rush(env, port, args.members, args.capacity, args.connections)
    finally:
        server.terminate()
        server.wait(timeout=20)
    if not args.keep:
        shutil.rmtree(var_dir, ignore_errors=True)
    return results, rate


def report_rate(rate: Rate, capacity: int, members: int) -> bool:
    confirmed = rate.states.get("confirmed", 0)
    waiting = rate.states.get("waiting", 0)
    ok = (
        rate.errors == 0
        and rate.per_second >= 50
        and confirmed == capacity
        and waiting == members - capacity
    )
    print(
        f"  registration over HTTP: {rate.per_second:.0f}/s over {rate.posted} posts "
        f"(target >= 50/s), {rate.errors} errors; {confirmed} confirmed of {capacity} seats, "
        f"{waiting} waiting {'ok' if ok else 'FAIL'}"
    )
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--registrations", type=int, default=50_000)
    parser.add_argument("--big-event", type=int, default=5000)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--members", type=int, default=600, help="members in the rush")
    parser.add_argument("--capacity", type=int, default=250, help="seats of the rushed event")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    ok = True
    for database in args.databases.split(","):
        results, rate = benchmark(database, args)
        ok &= harness.print_table(f"{database}, {args.events} events", results)
        if rate is not None:
            ok &= report_rate(rate, args.capacity, args.members)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
