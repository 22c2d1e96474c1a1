"""Cleaning member-submitted HTML: hostile input loses everything dangerous, good input survives."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.sanitising import clean_html, text_to_html

HOSTILE = {
    "script": "<script>alert(1)</script>",
    "script with text around": "before<script>alert(1)</script>after",
    "img onerror": "<img src=x onerror=alert(1)>",
    "javascript link": '<a href="javascript:alert(1)">x</a>',
    "mixed-case javascript link": '<a href="JaVaScRiPt:alert(1)">x</a>',
    "javascript link with leading space": '<a href=" javascript:alert(1)">x</a>',
    "javascript link with a tab inside": '<a href="java\tscript:alert(1)">x</a>',
    "entity-encoded javascript link": '<a href="&#106;avascript:alert(1)">x</a>',
    "hex entity-encoded javascript link": '<a href="&#x6A;avascript&#x3A;alert(1)">x</a>',
    "vbscript link": '<a href="vbscript:msgbox(1)">x</a>',
    "data:text/html link": '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
    "svg onload": "<svg onload=alert(1)>",
    "script inside svg": "<svg><script>alert(1)</script></svg>",
    "svg animate href": '<svg><a><animate attributeName="href" values="javascript:alert(1)"/>'
    "<text>x</text></a></svg>",
    "math mtext mglyph style": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "math href": '<math href="javascript:alert(1)">CLICK</math>',
    "style element": "<style>body{background:red}</style>",
    "style attribute with javascript url": '<p style="background:url(javascript:alert(1))">x</p>',
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "iframe srcdoc": '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    "object": '<object data="https://evil.example/x.swf"></object>',
    "embed": '<embed src="https://evil.example/x.swf">',
    "form action": '<form action="https://evil.example"><input name=x><button>Go</button></form>',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "base href": '<base href="https://evil.example/">',
    "link stylesheet": '<link rel="stylesheet" href="https://evil.example/x.css">',
    "html comment": "<!-- secret --><p>x</p>",
    "conditional comment": "<!--[if IE]><script>alert(1)</script><![endif]-->",
    "onclick on a good link": '<a href="https://ok.example" onclick="alert(1)">ok</a>',
    "unclosed tags": "<p><strong><em><a href='javascript:alert(1)'>x",
    "unclosed script": "<script>alert(1)",
    "nested script to reassemble": "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "template": "<template><script>alert(1)</script><img src=x onerror=alert(1)></template>",
    "noscript breakout": '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "mXSS title breakout": '<p title="</p><img src=x onerror=alert(1)>">x</p>',
    "body onload": "<body onload=alert(1)>x</body>",
    "details ontoggle": "<details open ontoggle=alert(1)>x</details>",
    "uppercase script": "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "event handler on allowed tag": "<strong onmouseover=alert(1)>x</strong>",
    "input autofocus onfocus": "<input autofocus onfocus=alert(1)>",
    "textarea breakout": "<textarea></textarea><script>alert(1)</script>",
    "style with comment trick": "<style><!--</style><script>alert(1)</script>-->",
    "xmp breakout": '<xmp><p title="</xmp><img src=x onerror=alert(1)>">',
}

FORBIDDEN = (
    "<script",
    "javascript:",
    "vbscript:",
    "onerror",
    "onload",
    "onclick",
    "onfocus",
    "ontoggle",
    "onmouseover",
    "<iframe",
    "<svg",
    "<math",
    "<style",
    "style=",
    "<object",
    "<embed",
    "<form",
    "<input",
    "<meta",
    "<base",
    "<link",
    "<img",
    "<template",
    "data:text/html",
    "<!--",
)


@pytest.mark.parametrize("hostile", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_html_loses_everything_dangerous(hostile):
    cleaned = clean_html(hostile).lower()
    for forbidden in FORBIDDEN:
        assert forbidden not in cleaned, f"{forbidden!r} survived in {cleaned!r}"


@pytest.mark.parametrize("hostile", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_html_pasted_into_a_textarea_is_cleaned_too(hostile):
    cleaned = text_to_html(hostile).lower()
    for forbidden in FORBIDDEN:
        assert forbidden not in cleaned


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "<style>body{}</style>",
        '<iframe src="https://evil.example">fallback</iframe>',
        "<svg><text>drawing</text></svg>",
        "<math><mi>x</mi></math>",
        "<object>fallback</object>",
        "<template>hidden</template>",
    ],
)
def test_code_and_foreign_content_goes_with_its_tag(hostile):
    assert clean_html(f"<p>kept</p>{hostile}") == "<p>kept</p>"


def test_unknown_tags_are_stripped_but_their_text_kept():
    assert clean_html("<div><span>Mechelen</span> <u>welcomes</u></div>") == "Mechelen welcomes"


def test_headings_other_than_h3_lose_the_tag_but_keep_the_text():
    assert clean_html("<h1>Big</h1><h3>Sub</h3>") == "Big<h3>Sub</h3>"


def test_dangerous_link_keeps_its_text_but_loses_its_href():
    assert clean_html('<a href="javascript:alert(1)">read more</a>') == (
        '<a rel="nofollow noopener noreferrer">read more</a>'
    )


def test_good_content_survives_and_links_get_rel():
    html = '<p><strong>Bold</strong> <a href="https://eurocities.eu">link</a></p>'
    assert clean_html(html) == (
        '<p><strong>Bold</strong> <a href="https://eurocities.eu" '
        'rel="nofollow noopener noreferrer">link</a></p>'
    )


def test_mailto_links_survive():
    cleaned = clean_html('<a href="mailto:urban@example.eu">Write to us</a>')
    assert 'href="mailto:urban@example.eu"' in cleaned
    assert 'rel="nofollow noopener noreferrer"' in cleaned


def test_plain_http_links_survive():
    assert 'href="http://example.eu/x?a=1&amp;b=2"' in clean_html(
        '<a href="http://example.eu/x?a=1&b=2">x</a>'
    )


def test_a_links_own_rel_and_target_are_replaced():
    cleaned = clean_html('<a href="https://ok.example" rel="opener" target="_blank">x</a>')
    assert cleaned == '<a href="https://ok.example" rel="nofollow noopener noreferrer">x</a>'


def test_every_allowed_tag_survives():
    html = (
        "<h3>Heading</h3><p>One<br>two <strong>s</strong> <b>b</b> <em>e</em> <i>i</i></p>"
        "<ul><li>u</li></ul><ol><li>o</li></ol>"
    )
    assert clean_html(html) == html


@pytest.mark.parametrize("attribute", ['id="x"', 'class="x"', 'style="color:red"', 'title="x"'])
def test_no_attributes_other_than_href(attribute):
    assert clean_html(f"<p {attribute}>x</p>") == "<p>x</p>"


def test_comments_are_removed():
    assert clean_html("<p>a<!-- note -->b</p>") == "<p>ab</p>"


@pytest.mark.parametrize("empty", ["", "   ", "\n\t", "<!-- only a comment -->"])
def test_empty_input_gives_empty_output(empty):
    assert clean_html(empty) == ""


def test_text_is_escaped_not_interpreted():
    assert clean_html("a &lt;script&gt; b") == "a &lt;script&gt; b"


# A handful of tag and attribute fragments, so that generated input often looks like HTML.
_FRAGMENTS = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<a href='javascript:x'>",
        "<a href=https://x.eu>",
        "</a>",
        "<ul>",
        "<li>",
        "</ul>",
        "<h3>",
        "<b>",
        "</b>",
        "<table>",
        "<td>",
        "<button>",
        "<script>",
        "</script>",
        "<svg>",
        "<math>",
        "<style>",
        "<!--",
        "-->",
        "<img src=x onerror=y>",
        "<noscript>",
        "<select>",
        "<template>",
        "&lt;",
        "&amp;",
        '"',
        "'",
        "<",
        ">",
        "\n",
    ]
)
_HTMLISH = st.lists(st.one_of(_FRAGMENTS, st.text(max_size=8)), max_size=25).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(), _HTMLISH))
def test_cleaning_is_idempotent_and_never_leaves_a_script(value):
    once = clean_html(value)
    assert clean_html(once) == once
    assert "<script" not in once.lower()


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(), _HTMLISH))
def test_text_to_html_is_always_clean(value):
    html = text_to_html(value)
    assert clean_html(html) == html
    assert "<script" not in html.lower()


# --- text_to_html ---------------------------------------------------------------------------


def test_blank_lines_separate_paragraphs():
    assert text_to_html("First.\n\nSecond.") == "<p>First.</p><p>Second.</p>"


def test_single_newlines_become_line_breaks():
    assert text_to_html("Line one\nLine two") == "<p>Line one<br>Line two</p>"


def test_windows_line_endings_and_extra_blank_lines():
    assert text_to_html("One\r\nTwo\r\n\r\n\r\n  Three  \r\n") == "<p>One<br>Two</p><p>Three</p>"


def test_lone_less_than_in_plain_text_is_escaped():
    assert text_to_html("a < b and c > d") == "<p>a &lt; b and c &gt; d</p>"


def test_ampersands_in_plain_text_are_escaped():
    assert text_to_html("Research & Innovation") == "<p>Research &amp; Innovation</p>"


def test_html_in_a_textarea_is_cleaned_not_escaped():
    assert text_to_html("<p>Hello <b>city</b></p><script>alert(1)</script>") == (
        "<p>Hello <b>city</b></p>"
    )


@pytest.mark.parametrize("empty", ["", "   ", "\n\n\t\n"])
def test_text_to_html_of_nothing_is_empty(empty):
    assert text_to_html(empty) == ""


def test_inline_markup_in_a_textarea_keeps_its_paragraphs():
    typed = "Use <strong>this</strong> kitchen.\n\nThen <script>x()</script>cook."
    assert text_to_html(typed) == "<p>Use <strong>this</strong> kitchen.</p><p>Then cook.</p>"
