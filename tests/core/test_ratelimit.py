"""Rate limits: exact across processes, keyed by the client allauth sees."""

import multiprocessing

import pytest
from django.db import connections
from django.test import RequestFactory, override_settings

from core import ratelimit
from core.models import RateLimitWindow


def test_the_limit_refuses_the_use_after_the_last(db):
    assert [ratelimit.take("k", limit=3, window=60) for _ in range(5)] == [
        True,
        True,
        True,
        False,
        False,
    ]
    assert RateLimitWindow.objects.get(key="k").count == 3


def test_a_new_window_starts_after_the_old_one_ends(db):
    assert ratelimit.take("k", limit=1, window=60)
    assert not ratelimit.take("k", limit=1, window=60)
    RateLimitWindow.objects.filter(key="k").update(
        started=RateLimitWindow.objects.get(key="k").started.replace(year=2000)
    )
    assert ratelimit.take("k", limit=1, window=60)


def _take_many(key: str, times: int, results) -> None:
    connections.close_all()
    results.put(sum(ratelimit.take(key, limit=25, window=3600) for _ in range(times)))
    connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_two_processes_together_never_take_more_than_the_limit():
    connections.close_all()
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    workers = [context.Process(target=_take_many, args=("race", 20, results)) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    assert results.get(timeout=5) + results.get(timeout=5) == 25
    assert RateLimitWindow.objects.get(key="race").count == 25


def test_the_client_is_the_address_that_connected_without_trusted_proxies():
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert ratelimit.client_ip(request) == "10.0.0.1"


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_behind_one_trusted_proxy_the_client_is_the_address_the_proxy_saw():
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9"
    )
    assert ratelimit.client_ip(request) == "203.0.113.9"
