"""The attendance figures and charts of an outcome report (events.charts), for its template."""

from django import template

from events import charts

register = template.Library()


@register.simple_tag
def attendance_of(event):
    return charts.attendance(event)


@register.simple_tag
def attendance_chart(rows, title, chart_id):
    return charts.bar_chart(rows, title=title, chart_id=chart_id)


@register.filter
def events_page(query, number):
    """The event list's address for page `number`, keeping the filters."""
    return query.params(page=number)
