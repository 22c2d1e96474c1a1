"""Front-end URLs of the practice library that are not Wagtail pages (mounted at /practices/).

The library itself, its feeds and exports are routes of `PracticeIndexPage`; these are the
member's forms, which belong to no page.
"""

app_name = "practices"

urlpatterns: list = []
