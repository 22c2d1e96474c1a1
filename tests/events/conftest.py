import pytest

from tests.factories import make_event_index, make_member


@pytest.fixture
def events_index(home_page):
    return make_event_index(home_page)


@pytest.fixture
def editor(db):
    return make_member("editor@urbanexchange.test", first_name="Eva", last_name="Editor")


@pytest.fixture
def members(db):
    """Factory: n verified members with profiles."""

    def make(n: int, prefix: str = "officer"):
        return [
            make_member(
                f"{prefix}{i}@city{i}.test",
                first_name=f"Officer{i}",
                last_name="Example",
                organisation=f"City {i}",
                organisation_type="city",
                country="BE",
            )
            for i in range(n)
        ]

    return make


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Call a service as a request would: its e-mails go out once its transaction commits.

    The test's own transaction never commits, so the callbacks run when the call returns.
    """

    def call(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return call
