"""CSV and JSON exports of the library: every practice that matches the visitor's filters.

Public fields only (`practices.public`): the contact person and address are not even read from
the database. Both formats are streamed, a few hundred practices at a time, each batch read
with a fixed number of queries, so that memory and queries stay bounded however large the
library grows.
"""

from __future__ import annotations

import csv
import html
import json
from collections.abc import Iterable, Iterator

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.html import strip_tags

from .library import LibraryQuery, matching_ids
from .models import ExpertOpinion, PracticePage
from .public import LINEAGE_FIELDS, only_public, opinion_record

BATCH_SIZE = 200

COLUMNS = [
    "title",
    "url",
    "summary",
    "city",
    "country",
    "lead_organisation",
    "partners",
    "period_start",
    "period_end",
    "status",
    "year",
    "themes",
    "governance_levels",
    "funds",
    "target_groups",
    "partnership",
    "action",
    "first_published",
    "expert_opinions",
    "adapted_from_title",
    "adapted_from_city",
    "adapted_from_url",
    "transfer_taken_over",
    "transfer_changed",
    "transfer_help",
]

#: A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value: str) -> str:
    """Neutralise CSV formula injection: a leading apostrophe makes the cell plain text."""
    if value and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def practices_in_order(ids: list[int]) -> Iterator[PracticePage]:
    """The practices with `ids` in that order, read in batches with everything a row needs."""
    for start in range(0, len(ids), BATCH_SIZE):
        batch = ids[start : start + BATCH_SIZE]
        practices = only_public(
            PracticePage.objects.filter(pk__in=batch)
            .select_related("city__country", "partnership", "action")
            .prefetch_related(
                "themes",
                "governance_levels",
                "target_groups",
                "practice_funds__fund",
                # Published opinions only, with their public fields (practices.public).
                Prefetch(
                    "expert_opinions",
                    queryset=ExpertOpinion.objects.published()
                    .select_related("expert")
                    .order_by("published_at", "pk"),
                    to_attr="public_opinions",
                ),
            ),
            "summary",
            "city",
            "lead_organisation",
            "partners",
            "start_date",
            "end_date",
            "status",
            "year",
            "partnership",
            "action",
            *LINEAGE_FIELDS,
        )
        by_id = {practice.pk: practice for practice in practices}
        # The published originals of the batch in one query, their public fields only.
        originals = {
            original.pk: original
            for original in only_public(
                PracticePage.objects.live()
                .filter(pk__in={p.adapted_from_id for p in by_id.values() if p.adapted_from_id})
                .select_related("city"),
                "city",
            )
        }
        for practice in by_id.values():
            practice.public_original = originals.get(practice.adapted_from_id)
        for pk in batch:
            if pk in by_id:
                yield by_id[pk]


def practice_record(practice: PracticePage, request) -> dict:
    """One practice's public fields, for either format."""
    funds = sorted(practice.practice_funds.all(), key=lambda item: item.sort_order or 0)
    return {
        "title": practice.title,
        "url": request.build_absolute_uri(practice.get_url(request=request)),
        "summary": practice.summary,
        "city": practice.city.name,
        "country": practice.city.country.name,
        "lead_organisation": practice.lead_organisation,
        "partners": practice.partners,
        "period_start": practice.start_date,
        "period_end": practice.end_date,
        "status": str(practice.get_status_display()),
        "year": practice.year,
        "themes": [theme.name for theme in practice.themes.all()],
        "governance_levels": [level.name for level in practice.governance_levels.all()],
        "funds": [{"name": item.fund.name, "amount_eur": item.amount_eur} for item in funds],
        "target_groups": [group.name for group in practice.target_groups.all()],
        "partnership": practice.partnership.name if practice.partnership else None,
        "action": str(practice.action) if practice.action else None,
        "first_published": practice.first_published_at,
        "expert_opinions": [opinion_record(opinion) for opinion in practice.public_opinions],
        **_lineage(practice, request),
    }


def _lineage(practice: PracticePage, request) -> dict:
    """Where the practice came from: the library's original if it is published (a draft is not
    public), else the page outside the library; and what the city says of the transfer."""
    original = practice.public_original
    if original is not None:
        title, city = original.title, original.city.name if original.city else ""
        url = request.build_absolute_uri(original.get_url(request=request))
    else:
        title, city, url = practice.original_title, practice.original_city, practice.original_url
    return {
        "adapted_from_title": title or None,
        "adapted_from_city": city or None,
        "adapted_from_url": url or None,
        "transfer_taken_over": practice.transfer_taken_over,
        "transfer_changed": practice.transfer_changed,
        "transfer_help": practice.transfer_help,
    }


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = "; ".join(_csv_list_item(item) for item in value)
    elif hasattr(value, "isoformat"):
        value = value.isoformat()
    return escape_formula(str(value))


def _csv_list_item(item) -> str:
    if isinstance(item, dict) and "recommendation" in item:  # an expert opinion
        return _csv_opinion(item)
    if isinstance(item, dict):  # a fund and its amount
        amount = item["amount_eur"]
        return f"{item['name']} (EUR {amount})" if amount is not None else item["name"]
    return str(item)


def _csv_opinion(item: dict) -> str:
    """One published opinion in one line of text: who, when, what they recommend and why."""
    who = item["expert_name"]
    if item["expert_organisation"]:
        who += f" ({item['expert_organisation']})"
    parts = [f"{who}, {item['published_at']:%Y-%m-%d}: {item['recommendation_label']}"]
    for key, label in (
        ("strengths", "Strengths"),
        ("evidence", "Evidence"),
        ("conditions", "Conditions"),
        ("owner_reply", "Owner's reply"),
    ):
        text = " ".join(html.unescape(strip_tags(item[key])).split())
        if text:
            parts.append(f"{label}: {text}")
    return " ".join(part if part.endswith((".", "!", "?")) else part + "." for part in parts)


class _Echo:
    """A file-like object whose write() hands the line back, for csv.writer in a stream."""

    def write(self, value: str) -> str:
        return value


def _filename(extension: str) -> str:
    return f"urban-exchange-practices-{timezone.localdate():%Y-%m-%d}.{extension}"


def csv_rows(records: Iterable[dict]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a byte order mark, so that spreadsheets read the file as UTF-8
    yield writer.writerow(COLUMNS)
    for record in records:
        yield writer.writerow([_csv_cell(record[column]) for column in COLUMNS])


def json_chunks(records: Iterable[dict]) -> Iterator[str]:
    yield "["
    for number, record in enumerate(records):
        yield ("," if number else "") + "\n" + json.dumps(record, cls=DjangoJSONEncoder)
    yield "\n]\n"


def _records(library, query: LibraryQuery, request) -> Iterator[dict]:
    for practice in practices_in_order(matching_ids(library, query)):
        yield practice_record(practice, request)


def export_csv(library, request) -> StreamingHttpResponse:
    query = LibraryQuery.from_querydict(request.GET)
    response = StreamingHttpResponse(
        csv_rows(_records(library, query, request)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


def export_json(library, request) -> StreamingHttpResponse:
    query = LibraryQuery.from_querydict(request.GET)
    response = StreamingHttpResponse(
        json_chunks(_records(library, query, request)), content_type="application/json"
    )
    response["Content-Disposition"] = f'inline; filename="{_filename("json")}"'
    return response
