"""Feeds, exports and the sitemap: what leaves the site, and what never does."""

import csv
import datetime
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from practices.exports import escape_formula
from practices.library import bump_library_version
from practices.models import Fund, Theme
from tests.factories import add_practice

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def practices(library, mechelen):
    housing = Theme.objects.create(name="Housing", slug="housing")
    education = Theme.objects.create(name="Education", slug="education")
    esf = Fund.objects.create(name="ESF+", slug="esf-plus")
    now = timezone.now()
    flats = add_practice(
        library,
        mechelen,
        number=1,
        title="Arrival flats",
        contact_name="Jan Janssens",
        start_date=datetime.date(2021, 3, 1),
        first_published_at=now - datetime.timedelta(days=2),
        themes=[housing],
        funds=[(esf, 125000)],
    )
    classes = add_practice(
        library,
        mechelen,
        number=2,
        title="Bridge classes",
        contact_name="Jan Janssens",
        first_published_at=now - datetime.timedelta(days=1),
        themes=[education],
    )
    draft = add_practice(
        library, mechelen, number=3, live=False, title="Secret draft", themes=[housing]
    )
    return {"flats": flats, "classes": classes, "draft": draft}


def _feed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "owner@mechelen.test" not in body and "Jan Janssens" not in body
    # Our own feed, parsed in a test: not untrusted input.
    return response, ET.fromstring(response.content)  # noqa: S314


# --- Feeds --------------------------------------------------------------------------------


def test_rss_lists_the_newest_published_practices(client, library, practices):
    response, rss = _feed(client, library.url + "feed/rss/")
    assert response["Content-Type"].startswith("application/rss+xml")
    items = rss.findall("./channel/item")
    assert [item.findtext("title") for item in items] == ["Bridge classes", "Arrival flats"]
    assert items[1].findtext("link") == "http://testserver" + practices["flats"].url
    assert items[1].findtext("category") == "Housing"
    assert "Mechelen, Belgium" in items[1].findtext("description")


def test_atom_lists_the_same(client, library, practices):
    response, atom = _feed(client, library.url + "feed/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    titles = [entry.findtext(f"{ATOM}title") for entry in atom.findall(f"{ATOM}entry")]
    assert titles == ["Bridge classes", "Arrival flats"]
    self_link = atom.find(f"{ATOM}link[@rel='self']")
    assert self_link.get("href") == "http://testserver" + library.url + "feed/atom/"


def test_a_theme_feed_lists_that_theme_only(client, library, practices):
    _response, rss = _feed(client, library.url + "feed/housing/rss/")
    assert [item.findtext("title") for item in rss.findall("./channel/item")] == ["Arrival flats"]
    assert "Housing" in rss.findtext("./channel/title")
    _response, atom = _feed(client, library.url + "feed/housing/atom/")
    assert len(atom.findall(f"{ATOM}entry")) == 1
    assert client.get(library.url + "feed/no-such-theme/rss/").status_code == 404


def test_the_library_page_links_its_feeds(client, library, practices):
    html = client.get(library.url, {"theme": "housing"}).content.decode()
    rss = 'type="application/rss+xml" title="New practices (RSS)"'
    assert f'<link rel="alternate" {rss} href="{library.url}feed/rss/">' in html
    assert (
        f'type="application/atom+xml" title="New practices (Atom)" href="{library.url}feed/atom/"'
        in html
    )
    assert f'href="{library.url}feed/housing/rss/"' in html


@pytest.mark.parametrize("querystring", ["", "?theme=housing&q=flats"])
def test_a_feed_costs_a_fixed_number_of_queries(client, library, mechelen, practices, querystring):
    # The first search of a word teaches the worker whether PostgreSQL drops it as a stop word
    # (one query, once per word: practices.library.search); a running site knows its words.
    client.get(library.url + "feed/rss/" + querystring)

    def cost():
        bump_library_version()  # each time as if the library had just changed: no cache
        with CaptureQueriesContext(connection) as captured:
            client.get(library.url + "feed/rss/" + querystring)
        return len(captured)

    few = cost()
    for number in range(10, 30):
        add_practice(library, mechelen, number=number)
    assert cost() == few


# --- Exports ------------------------------------------------------------------------------


def _csv(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def test_csv_export_has_every_matching_public_row(client, library, mechelen, practices):
    for number in range(10, 35):  # more than one page of the library
        add_practice(library, mechelen, number=number)
    response = client.get(library.url + "export/csv/")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = _csv(response)
    assert len(rows) == 27
    assert "Secret draft" not in {row["title"] for row in rows}
    flats = next(row for row in rows if row["title"] == "Arrival flats")
    assert flats["url"] == "http://testserver" + practices["flats"].url
    assert flats["city"] == "Mechelen" and flats["country"] == "Belgium"
    assert flats["themes"] == "Housing"
    assert flats["funds"] == "ESF+ (EUR 125000.00)"
    assert flats["period_start"] == "2021-03-01" and flats["year"] == "2021"
    assert "contact_email" not in flats and "contact_name" not in flats


def test_csv_export_follows_the_filters_and_search(client, library, practices):
    rows = _csv(client.get(library.url + "export/csv/", {"theme": "housing"}))
    assert [row["title"] for row in rows] == ["Arrival flats"]
    rows = _csv(client.get(library.url + "export/csv/", {"q": "newcomers", "sort": "title"}))
    assert [row["title"] for row in rows] == ["Arrival flats", "Bridge classes"]


def test_no_contact_data_in_any_export(client, library, practices):
    for url in ("export/csv/", "export/json/"):
        body = b"".join(client.get(library.url + url).streaming_content).decode()
        assert "owner@mechelen.test" not in body and "Jan Janssens" not in body
        assert "Secret draft" not in body


def test_csv_cells_cannot_start_a_formula(client, library, mechelen):
    add_practice(
        library,
        mechelen,
        number=1,
        title='=HYPERLINK("http://evil.test","click")',
        summary="+1 more",
        lead_organisation="@SUM(A1)",
        partners="-2+3",
    )
    row = _csv(client.get(library.url + "export/csv/"))[0]
    assert row["title"] == '\'=HYPERLINK("http://evil.test","click")'
    assert row["summary"] == "'+1 more"
    assert row["lead_organisation"] == "'@SUM(A1)"
    assert row["partners"] == "'-2+3"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\t=1", "'\t=1"),
        ("ok", "ok"),
        ("", ""),
    ],
)
def test_escape_formula(value, expected):
    assert escape_formula(value) == expected


def test_json_export(client, library, practices):
    response = client.get(library.url + "export/json/", {"theme": "housing"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = json.loads(b"".join(response.streaming_content))
    assert len(data) == 1
    record = data[0]
    assert record["title"] == "Arrival flats"
    assert record["themes"] == ["Housing"]
    assert record["funds"] == [{"name": "ESF+", "amount_eur": "125000.00"}]
    assert record["status"] == "Running"
    published = datetime.datetime.fromisoformat(record["first_published"])
    assert published.date() == practices["flats"].first_published_at.date()
    assert set(record) >= {"summary", "lead_organisation", "partners", "partnership", "action"}
    assert not {"contact_email", "contact_name"} & set(record)


def test_an_export_costs_a_fixed_number_of_queries(client, library, mechelen, practices):
    def cost():
        with CaptureQueriesContext(connection) as captured:
            b"".join(client.get(library.url + "export/json/").streaming_content)
        return len(captured)

    cost()
    few = cost()
    for number in range(10, 40):
        practice = add_practice(library, mechelen, number=number)
        practice.themes.add(Theme.objects.get(slug="housing"))
        practice.save()
    cost()
    assert cost() == few


def test_the_library_page_links_its_exports_with_the_filters(client, library, practices):
    html = client.get(library.url, {"theme": "housing", "page": "1"}).content.decode()
    assert f'href="{library.url}export/csv/?theme=housing"' in html
    assert f'href="{library.url}export/json/?theme=housing"' in html


# --- Sitemap ------------------------------------------------------------------------------


def test_sitemap_has_published_practices_only(client, library, practices):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    body = response.content.decode()
    assert f"{practices['flats'].url}</loc>" in body
    assert practices["draft"].slug not in body


# --- Feeds of any list ----------------------------------------------------------------------


def test_a_feed_follows_every_filter_and_the_search(client, library, practices):
    _response, rss = _feed(client, library.url + "feed/rss/?fund=esf-plus")
    assert [item.findtext("title") for item in rss.findall("./channel/item")] == ["Arrival flats"]
    assert "Fund: ESF+" in rss.findtext("./channel/title")
    _response, rss = _feed(client, library.url + "feed/rss/?q=classes")
    assert [item.findtext("title") for item in rss.findall("./channel/item")] == ["Bridge classes"]
    assert "“classes”" in rss.findtext("./channel/title")
    assert rss.findtext("./channel/link") == "http://testserver" + library.url + "?q=classes"
    _response, atom = _feed(client, library.url + "feed/atom/?city=mechelen&theme=education")
    titles = [entry.findtext(f"{ATOM}title") for entry in atom.findall(f"{ATOM}entry")]
    assert titles == ["Bridge classes"]
    self_link = atom.find(f"{ATOM}link[@rel='self']").get("href")
    assert self_link == f"http://testserver{library.url}feed/atom/?city=mechelen&theme=education"


def test_a_feed_is_newest_first_whatever_order_the_list_had(client, library, practices):
    _response, rss = _feed(client, library.url + "feed/rss/?sort=title&q=newcomers")
    titles = [item.findtext("title") for item in rss.findall("./channel/item")]
    assert titles == ["Bridge classes", "Arrival flats"]


def test_a_feed_keeps_titles_xml_safe(client, library, mechelen, practices):
    add_practice(library, mechelen, number=7, title="Bad\x0btitle", themes=[])
    response = client.get(library.url + "feed/rss/?city=mechelen")
    assert response.status_code == 200
    assert "\x0b" not in response.content.decode()
    assert "Badtitle" in response.content.decode() or "Bad title" in response.content.decode()


def test_a_feed_names_a_stylesheet_that_explains_it_in_a_browser(client, library, practices):
    body = client.get(library.url + "feed/rss/").content.decode()
    assert f'<?xml-stylesheet href="{library.url}feed/style/" media="screen" type="text/xsl"?>' in (
        body
    )
    response = client.get(library.url + "feed/style/")
    assert response["Content-Type"] == "text/xsl; charset=utf-8"
    xsl = ET.fromstring(response.content)  # noqa: S314  (our own stylesheet)
    assert xsl.tag == "{http://www.w3.org/1999/XSL/Transform}stylesheet"
    assert "This is a web feed." in response.content.decode()
    assert "feed reader" in response.content.decode()


def test_a_browser_gets_the_feed_as_xml_so_that_it_applies_the_stylesheet(
    client, library, practices
):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get(library.url + "feed/rss/", HTTP_ACCEPT=browser)
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert "Accept" in response["Vary"]
    reader = client.get(library.url + "feed/atom/", HTTP_ACCEPT="application/atom+xml")
    assert reader["Content-Type"].startswith("application/atom+xml")


def test_the_library_offers_the_feed_of_the_list_shown(client, library, practices):
    html = client.get(library.url, {"theme": "housing", "q": "flats", "sort": "title"})
    html = html.content.decode()
    subscribe = html[html.index('<div class="library-subscribe">') :]
    subscribe = subscribe[: subscribe.index("</div>")]
    href = f"{library.url}feed/rss/?q=flats&amp;theme=housing"
    assert f'<a class="library-subscribe__link" href="{href}">Subscribe to new' in subscribe
    assert "feed reader" in subscribe
    assert f'type="application/rss+xml" title="New practices in this list (RSS)" href="{href}"' in (
        html
    )
    plain = client.get(library.url).content.decode()
    assert f'class="library-subscribe__link" href="{library.url}feed/rss/">' in plain
