"""What every form refuses (core.forms): control characters, line breaks in one-line fields,
ids that no database stores; and the normalising of text for mail headers and XML."""

from io import StringIO
from xml.sax.saxutils import escape

import pytest
from django import forms
from django.contrib.auth.models import Group
from django.utils.xmlutils import SimplerXMLGenerator
from hypothesis import given
from hypothesis import strategies as st

from core.forms import (
    CleanFormMixin,
    IdChoiceField,
    IdMultipleChoiceField,
    is_id,
    single_line,
    xml_safe,
)


class Letter(CleanFormMixin, forms.Form):
    subject = forms.CharField()
    body = forms.CharField(widget=forms.Textarea)


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x0b", "\x0c", "\x1b", "\x7f", "\x85"])
def test_a_control_character_is_refused_in_every_text_field(character):
    form = Letter({"subject": f"Hel{character}lo", "body": f"Dear{character} Anna"})
    assert not form.is_valid()
    assert set(form.errors) == {"subject", "body"}


def test_a_text_area_keeps_tabs_and_line_breaks_a_one_line_field_does_not():
    form = Letter({"subject": "Hello\r\nBcc: x@evil.test", "body": "Dear Anna,\r\n\r\n\tThanks"})
    assert not form.is_valid()
    assert form.errors == {"subject": ["Write this on one line."]}


def test_ordinary_text_in_any_script_passes():
    form = Letter({"subject": "Łódź — Ελλάδα · 🙂", "body": "Zażółć gęślą jaźń"})
    assert form.is_valid()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", True),
        ("42", True),
        (str(2**63 - 1), True),
        (str(2**63), False),
        ("0", False),
        ("-1", False),
        ("abc", False),
        ("", False),
        ("1.5", False),
        ("٣", False),
    ],
)
def test_an_id_is_a_positive_64_bit_integer_in_ascii_digits(value, expected):
    assert is_id(value) is expected


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["99999999999999999999", "abc", "-3", "1e3"])
def test_choices_of_rows_refuse_ids_no_database_stores(value):
    one = IdChoiceField(queryset=Group.objects.all())
    several = IdMultipleChoiceField(queryset=Group.objects.all())
    with pytest.raises(forms.ValidationError):
        one.clean(value)
    with pytest.raises(forms.ValidationError):
        several.clean([value])


@pytest.mark.django_db
def test_choices_of_rows_still_find_a_real_row():
    group = Group.objects.create(name="Study visit hosts")
    assert IdChoiceField(queryset=Group.objects.all()).clean(str(group.pk)) == group
    assert list(IdMultipleChoiceField(queryset=Group.objects.all()).clean([group.pk])) == [group]


@given(st.text())
def test_single_line_never_holds_a_line_break_or_control_character(text):
    line = single_line(text)
    assert "\n" not in line and "\r" not in line
    assert line == line.strip()
    assert all(ord(c) >= 0x20 and not 0x7F <= ord(c) <= 0x9F for c in line)


@given(st.text())
def test_xml_safe_text_is_accepted_by_an_xml_writer(text):
    output = StringIO()
    writer = SimplerXMLGenerator(output, "utf-8")
    writer.characters(xml_safe(text))  # raises UnserializableContentError on a control character
    assert output.getvalue() == escape(xml_safe(text))
