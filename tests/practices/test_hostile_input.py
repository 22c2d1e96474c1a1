"""Random and hostile values in every form field and every GET parameter of the public URLs
find no server error (issue 7, section 5). It runs on SQLite and, in CI, on PostgreSQL.

Each test is one group of addresses; hypothesis sends them dictionaries of parameters drawn from
the names each address reads (and a few it does not), with values that broke the site before:
control characters, NUL, integers beyond 64 bits, dates that are none, full-text syntax, markup,
very long text. The test client raises the exception of any server error, so hypothesis reports
the smallest input that causes it. A 4xx is a good answer; a 5xx is not.
"""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.forms import PROFILE_FIELDS
from practices.contact import ContactOwnerForm
from practices.forms import STEP_FORMS
from practices.library.facets import FACETS
from tests.factories import add_practice, draft_practice

pytestmark = pytest.mark.django_db

NASTY = [
    "",
    "\x00",
    "a\x00b",
    "\x07\x0b\x1b",
    "\r\nBcc: x@evil.test",
    "99999999999999999999",
    "-99999999999999999999",
    "9223372036854775808",
    "-1",
    "0",
    "1e309",
    "NaN",
    "2020-13-45",
    "0000-00-00",
    "' OR 1=1 --",
    '"unterminated',
    "NEAR(a b)",
    "{title body} : x",
    "title:*",
    "AND OR NOT",
    "<script>alert(1)</script>",
    "<p><img src=x onerror=alert(1)></p>",
    "!!!",
    "🙂🙂",
    "\u202egnp.exe",
    "%00",
    "../../etc/passwd",
    "x" * 5000,
]
VALUES = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
EXAMPLES = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def parameters(names):
    """Dictionaries of some of `names` (and an unknown name) to one or more hostile values."""
    keys = st.sampled_from([*names, "unknown", "q"])
    return st.dictionaries(keys, st.lists(VALUES, min_size=1, max_size=3), max_size=5)


def assert_no_server_error(response):
    assert response.status_code < 500, response


LIBRARY_PARAMETERS = [facet.key for facet in FACETS] + ["q", "sort", "page"]
API_PARAMETERS = [
    "search", "search_operator", "type", "fields", "order", "limit", "offset", "child_of",
    "descendant_of", "ancestor_of", "id", "title", "slug", "year", "city", "start_date",
    "first_published_at", "locale", "translation_of", "show_in_menus",
]  # fmt: skip


@pytest.fixture
def site(library, mechelen, terms, member):
    practice = add_practice(
        library, mechelen, title="Job coaches", themes=[terms["theme"]], funds=[terms["fund"]]
    )
    return {
        "library": library,
        "practice": practice,
        "draft": draft_practice(member, mechelen, terms),
    }


@EXAMPLES
@given(path=st.sampled_from(["", "map/", "feed/rss/", "feed/atom/", "feed/housing/rss/",
                             "export/csv/", "export/json/"]),
       query=parameters(LIBRARY_PARAMETERS))  # fmt: skip
def test_the_library_its_map_feeds_and_exports(client, site, path, query):
    assert_no_server_error(client.get(site["library"].url + path, query))


@EXAMPLES
@given(path=st.sampled_from(["/", "/sitemap.xml", "/robots.txt", "/accounts/login/",
                             "/accounts/signup/", "/accounts/password/reset/"]),
       query=parameters(["next", "page", "q"]))  # fmt: skip
def test_the_other_public_pages(client, site, path, query):
    assert_no_server_error(client.get(path, query))
    assert_no_server_error(client.get(site["practice"].url, query))


@EXAMPLES
@given(path=st.sampled_from(["/api/v2/pages/", "/api/v2/pages/find/"]),
       query=parameters([*API_PARAMETERS, "html_path"]))  # fmt: skip
def test_the_api(client, site, path, query):
    assert_no_server_error(client.get(path, query))


@EXAMPLES
@given(data=parameters([*ContactOwnerForm.base_fields]))
def test_the_contact_form(site, data):
    client = Client()
    assert_no_server_error(client.post(f"{site['practice'].url}contact/", data))


@EXAMPLES
@given(
    form=st.sampled_from(["login", "signup"]),
    data=parameters(["login", "email", "password", "password1", "password2", "first_name",
                     "last_name", "organisation", "organisation_type", "remember"]),
)  # fmt: skip
def test_the_account_forms(site, form, data):
    client = Client()
    assert_no_server_error(client.post(reverse(f"account_{form}"), data))


def formset_fields(prefix, names):
    management = [f"{prefix}-{name}" for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MAX_NUM_FORMS")]
    rows = [f"{prefix}-{index}-{name}" for index in (0, 1) for name in names]
    return management + rows


STEP_FIELDS = {
    step: [*form.base_fields, *getattr(form.Meta, "fields", [])] if hasattr(form, "Meta")
    else [*form.base_fields]
    for step, form in STEP_FORMS.items()
}  # fmt: skip
STEP_FIELDS["classification"] += formset_fields("funds", ["id", "fund", "amount_eur", "DELETE"])
STEP_FIELDS["media"] += formset_fields("links", ["id", "title", "url", "DELETE", "ORDER"])


@EXAMPLES
@given(step=st.sampled_from([*STEP_FIELDS, "new"]), data=st.data())
def test_the_members_practice_form_and_profile(site, member, step, data):
    client = Client()
    client.force_login(member)
    if step == "new":
        url, names = reverse("practices:submit"), STEP_FIELDS["about"]
    else:
        url, names = reverse("practices:edit", args=[site["draft"].pk, step]), STEP_FIELDS[step]
    assert_no_server_error(client.post(url, data.draw(parameters(names))))
    profile = data.draw(parameters(PROFILE_FIELDS))
    assert_no_server_error(client.post(reverse("accounts:edit_profile"), profile))
