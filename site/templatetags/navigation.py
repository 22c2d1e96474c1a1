"""The site's menus: the main navigation in the header and the pages linked from the footer."""

from django import template
from django.db.models import F, Q
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

register = template.Library()


def _navigation(request) -> tuple[list[dict], list[dict]]:
    """The main menu's items and the footer's, from one query, once per request.

    The main menu is home, then the site's top-level pages that editors marked "show in
    menus", each under its short menu title when it has one. The footer lists the site's
    content pages marked "show in footer" (legal notice, privacy, accessibility, contact).
    Every page carries both, so they cost one query between them.
    """
    cached = getattr(request, "_urbanexchange_navigation", None)
    if cached is not None:
        return cached
    site = Site.find_for_request(request)
    if site is None:
        return [], []
    root = site.root_page
    pages = (
        Page.objects.live()
        .filter(
            Q(path__startswith=root.path, depth=root.depth + 1, show_in_menus=True)
            | Q(path__startswith=root.path, standardpage__show_in_footer=True)
        )
        .annotate(
            menu_title=F("standardpage__menu_title"), in_footer=F("standardpage__show_in_footer")
        )
        .only("id", "title", "url_path", "depth", "show_in_menus")
        .order_by("path")
    )
    home_url = root.relative_url(site, request)
    menu = [{"title": _("Home"), "url": home_url, "current": request.path == home_url}]
    footer = []
    for page in pages:
        url = page.relative_url(site, request)
        if page.show_in_menus and page.depth == root.depth + 1:
            menu.append(
                {
                    "title": page.menu_title or page.title,
                    "full_title": page.title,
                    "url": url,
                    "current": request.path.startswith(url),
                }
            )
        if page.in_footer:
            footer.append({"title": page.title, "url": url, "current": request.path == url})
    request._urbanexchange_navigation = menu, footer
    return menu, footer


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    """Home, then the site's top-level pages that editors marked "show in menus"."""
    request = context.get("request")
    return {"menu_items": _navigation(request)[0] if request else []}


@register.inclusion_tag("includes/footer_menu.html", takes_context=True)
def footer_menu(context):
    """The content pages of this site that editors marked "show in footer", in tree order."""
    request = context.get("request")
    return {"footer_items": _navigation(request)[1] if request else []}
