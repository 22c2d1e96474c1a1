"""The SQLite full-text index stems words, so that "migrant" finds "migrants" and the reverse.

Wagtail's search app creates its FTS5 table with FTS5's default tokenizer, which
matches words exactly. This migration makes the table again with the Porter stemmer over
unicode61 (accents folded, so "reintegration" finds "réintégration"), and copies the entries
back from the index-entry table, which keeps the text, so nothing needs re-indexing. Wagtail's
triggers name the table, not its tokenizer, and keep working. PostgreSQL stems through
`SEARCH_CONFIG = "english"` in the settings; nothing changes there.
"""

from django.db import connection, migrations

INDEX = "wagtailsearch_indexentry"
FTS = f"{INDEX}_fts"
COLUMNS = "autocomplete, body, title"


def make_fts_table(tokenize: str) -> list[str]:
    options = f", tokenize = '{tokenize}'" if tokenize else ""
    return [
        f"DROP TABLE IF EXISTS {FTS}",
        f"CREATE VIRTUAL TABLE {FTS} USING fts5({COLUMNS}{options})",
        f"INSERT INTO {FTS} (rowid, {COLUMNS}) SELECT id, {COLUMNS} FROM {INDEX}",  # noqa: S608
    ]


def fts_table_exists() -> bool:
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = %s", [FTS])
        return cursor.fetchone() is not None


def run(statements):
    def operation(apps, schema_editor):
        if fts_table_exists():
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_outgoing_email"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [
        migrations.RunPython(
            run(make_fts_table("porter unicode61 remove_diacritics 2")),
            run(make_fts_table("")),
        ),
    ]
