"""Path converters for the site's URLs, registered in `CoreConfig.ready()`.

`<id:name>` is a row's id: Django's `<int:...>` takes any number of digits, and SQLite refuses
an integer beyond 64 bits with an exception, so `/my/practices/99999999999999999999/` would be
a server error instead of a 404. Eighteen digits always fit.
"""


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))
