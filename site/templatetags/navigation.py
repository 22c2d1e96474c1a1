from django import template
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

register = template.Library()


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    """Home, then the site's top-level pages that editors marked "show in menus"."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return {"menu_items": []}
    root = site.root_page
    menu_pages = (
        Page.objects.child_of(root)
        .live()
        .in_menu()
        .only("id", "title", "url_path")
        .order_by("path")
    )
    home_url = root.relative_url(site, request)
    items = [{"title": _("Home"), "url": home_url, "current": request.path == home_url}]
    for menu_page in menu_pages:
        url = menu_page.relative_url(site, request)
        items.append(
            {"title": menu_page.title, "url": url, "current": request.path.startswith(url)}
        )
    return {"menu_items": items}
