"""The site's menus: the main navigation in the header and the pages linked from the footer."""

from django import template
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from home.models import StandardPage

register = template.Library()


def _site(context):
    request = context.get("request")
    return request, (Site.find_for_request(request) if request else None)


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    """Home, then the site's top-level pages that editors marked "show in menus".

    A content page's short menu title, when it has one, stands for its title: it comes with the
    same query, so the menu costs one query however many pages it lists.
    """
    request, site = _site(context)
    if site is None:
        return {"menu_items": []}
    root = site.root_page
    menu_pages = (
        Page.objects.child_of(root)
        .live()
        .in_menu()
        .only("id", "title", "url_path")
        .annotate(
            menu_label=Subquery(
                StandardPage.objects.filter(pk=OuterRef("pk")).values("menu_title")[:1]
            )
        )
        .order_by("path")
    )
    home_url = root.relative_url(site, request)
    items = [{"title": _("Home"), "url": home_url, "current": request.path == home_url}]
    for menu_page in menu_pages:
        url = menu_page.relative_url(site, request)
        items.append(
            {
                "title": menu_page.menu_label or menu_page.title,
                "full_title": menu_page.title,
                "url": url,
                "current": request.path.startswith(url),
            }
        )
    return {"menu_items": items}


@register.inclusion_tag("includes/footer_menu.html", takes_context=True)
def footer_menu(context):
    """The content pages of this site that editors marked "show in footer", in tree order."""
    request, site = _site(context)
    if site is None:
        return {"footer_items": []}
    pages = (
        StandardPage.objects.descendant_of(site.root_page)
        .live()
        .public()
        .filter(show_in_footer=True)
        .only("id", "title", "url_path")
        .order_by("path")
    )
    return {
        "footer_items": [
            {
                "title": page.title,
                "url": (url := page.relative_url(site, request)),
                "current": request.path == url,
            }
            for page in pages
        ]
    }
