import pytest

from tests.factories import add_edition, make_academy_index, make_expert, make_member


@pytest.fixture
def academy_index(home_page):
    return make_academy_index(home_page)


@pytest.fixture
def editor(db):
    return make_member(
        "editor@urbanexchange.test", first_name="Eva", last_name="Editor", groups=["Editors"]
    )


@pytest.fixture
def experts(db):
    """Two experts from cities and organisations of their own."""
    return [
        make_expert("jonas@research.test", city="Stockholm", organisation="Independent"),
        make_expert("ines@lisboa.test", city="Lisbon", organisation="University of Lisbon"),
    ]


@pytest.fixture
def edition(academy_index, experts):
    return add_edition(academy_index, experts=experts)


@pytest.fixture
def city_member(db):
    return make_member(
        "sofie@mechelen.test",
        first_name="Sofie",
        last_name="Peeters",
        organisation="City of Mechelen",
        organisation_type="city",
        city="Mechelen",
        country="BE",
    )


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Call a service as a request would: its e-mails go out once its transaction commits."""

    def call(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return call
