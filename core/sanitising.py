"""The one place where HTML that members submit is cleaned.

Every app that stores or shows HTML typed by a member (a practice description, a dilemma, an
event question) calls :func:`clean_html` or :func:`text_to_html` from here, and nowhere else
writes its own rules. One allow-list means one thing to review and one thing to fix.

We use nh3, the Python binding of the Rust sanitizer ammonia, rather than bleach: bleach was
deprecated by its maintainers in 2023 and only gets security fixes, while nh3 parses with a real
HTML5 parser (html5ever), so what it cleans is what a browser would see.

The allow-list is deliberately small: the formatting a practice description needs (paragraphs,
emphasis, lists, links, a sub-heading) and nothing that can run code, load something from
elsewhere or change the page's look. Wagtail's rich text stores external links as plain
``<a href="...">``, so cleaned output can be stored in a ``RichTextField``.
"""

import html
import re

import nh3
from django.utils.html import strip_tags

__all__ = ["ALLOWED_TAGS", "clean_html", "editable_text", "text_to_html"]

ALLOWED_TAGS = frozenset({"p", "br", "strong", "b", "em", "i", "ul", "ol", "li", "a", "h3"})
# "*" (attributes allowed on every tag) must be given as empty: left out, nh3 keeps its default
# of lang and title everywhere.
ALLOWED_ATTRIBUTES = {"*": frozenset(), "a": frozenset({"href"})}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener noreferrer"

# Tags whose content goes too, not only the tag: their content is code, or markup in another
# namespace, and never text the member meant to show. Passing this set replaces nh3's own
# default ({"script", "style"}), so those two must stay in it.
REMOVED_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "svg", "math", "object", "embed", "template", "noscript"}
)

# Anything that looks like a start tag, an end tag or a comment. "a < b" is not a tag.
_TAG = re.compile(r"<(?:/?[A-Za-z][^>]*>|!--)")
_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")
# Markup that already makes blocks: text with one of these was written (or pasted) as HTML.
_BLOCK_TAG = re.compile(r"<(?:p|ul|ol|li|h[1-6]|br|div|table|blockquote)\b", re.IGNORECASE)

# Stripping a tag can leave markup that the parser rebuilds differently the next time (for
# example a <ul> that ends up directly inside a <p>). Cleaning again until nothing changes makes
# clean_html idempotent, so text saved, edited and saved again does not drift. In practice the
# second pass already returns the same text.
_MAX_PASSES = 4

_PARAGRAPHS_ONLY = re.compile(r"^(?:<p>(?:(?!</?p>).)*</p>)+$", re.DOTALL)
_OTHER_TAGS = re.compile(r"<(?!/?p>|br>)[^>]+>")


def _clean_once(value: str) -> str:
    return nh3.clean(
        value,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(REMOVED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    ).strip()


def clean_html(html_text: str) -> str:
    """Return member-submitted HTML with everything outside the allow-list removed.

    Allowed tags keep only the attributes listed for them (``href`` on links, and only with an
    http, https or mailto URL); every link gets ``rel="nofollow noopener noreferrer"``; comments
    go; scripts, styles, frames, SVG, MathML, objects, embeds and templates go with their content;
    any other tag is dropped but its text kept. The result is idempotent.
    """
    if not html_text or not html_text.strip():
        return ""
    cleaned = _clean_once(html_text)
    for _ in range(_MAX_PASSES):
        again = _clean_once(cleaned)
        if again == cleaned:
            break
        cleaned = again
    return cleaned


def text_to_html(text: str) -> str:
    """Turn what a member typed in a plain textarea into clean HTML.

    Plain text is escaped; blocks separated by a blank line become paragraphs and single line
    breaks become ``<br>``. Text with block markup (paragraphs, lists: pasted from an editor)
    is cleaned as HTML instead; text with only inline markup (a <strong>, a link) keeps its
    markup and still gets its paragraphs from blank lines. Either way the result has been
    through :func:`clean_html`.
    """
    if not text or not text.strip():
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    has_markup = _TAG.search(text) is not None
    if has_markup and _BLOCK_TAG.search(text):
        return _if_visible(clean_html(text))
    paragraphs = []
    for block in _BLANK_LINE.split(text.strip()):
        lines = [line.strip() for line in block.split("\n")]
        if not has_markup:
            lines = [html.escape(line, quote=False) for line in lines]
        paragraphs.append("<p>" + "<br>".join(lines) + "</p>")
    return _if_visible(clean_html("".join(paragraphs)))


def _if_visible(cleaned: str) -> str:
    # Only a script, or only empty tags: nothing a reader would see, so nothing was written.
    return cleaned if has_text(cleaned) else ""


def has_text(stored_html: str) -> bool:
    """Whether `stored_html` shows a reader any text (``<p></p>`` or ``<p>&nbsp;</p>`` do not)."""
    return bool(stored_html) and bool(html.unescape(strip_tags(stored_html)).strip())


def editable_text(stored_html: str) -> str:
    """What the member typed, given back for editing.

    Text typed as paragraphs was stored as <p> and <br>; turning it back into blank lines and
    line breaks means a member without a rich-text editor never sees markup they did not write.
    Anything richer (pasted HTML with lists or links) is given back as the cleaned HTML.
    """
    if not stored_html:
        return ""
    if not _PARAGRAPHS_ONLY.match(stored_html) or _OTHER_TAGS.search(stored_html):
        return stored_html
    paragraphs = re.findall(r"<p>(.*?)</p>", stored_html, re.DOTALL)
    return "\n\n".join(html.unescape(p.replace("<br>", "\n")) for p in paragraphs)
