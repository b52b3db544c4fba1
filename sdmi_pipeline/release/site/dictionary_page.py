"""The data dictionary: what the release ships, in both languages. Every public table and every
report table (the workbook's sheets) with its columns, from their contracts (so it cannot drift
from the warehouse), and every code list of the label lookup, each code with its label and, where
reference gives one, what it means (every observation status, every SDMX special code)."""

import duckdb

from sdmi_pipeline.contracts.contract import contract_for
from sdmi_pipeline.reference.labels import Labels
from sdmi_pipeline.release.public import PUBLIC_TABLES, public_columns
from sdmi_pipeline.release.site.i18n import Language
from sdmi_pipeline.release.site.render import Site

REPORT_SCHEMA = "report"


def plain(text: str) -> str:
    """Text for a reader: the backticks that mark code in a contract (`_T`) do not show."""
    return text.replace("`", "")


def code_lists(labels: Labels, language: Language) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """(name, [(code, label, note)]) of each code list, codes in the list's order."""
    names = sorted({code_list for code_list, _ in labels.lists})
    return [
        (
            name,
            [
                (code, label.pick(language.code), label.note(language.code) or "")
                for code, label in labels.codes(name)
            ],
        )
        for name in names
    ]


def shipped_tables(public: duckdb.DuckDBPyConnection) -> list[str]:
    """The public tables, then the report tables (views) of the release."""
    views = public.execute(
        "SELECT view_name FROM duckdb_views() WHERE schema_name = ? AND NOT internal ORDER BY view_name",
        [REPORT_SCHEMA],
    ).fetchall()
    return [*PUBLIC_TABLES, *(f"{REPORT_SCHEMA}.{view}" for (view,) in views)]


def write_dictionary(site: Site, public: duckdb.DuckDBPyConnection, language: Language) -> None:
    tables = []
    for table in shipped_tables(public):
        contract = contract_for(table)
        tables.append(
            {
                "name": table,
                "description": plain(language.pick(contract.description_en, contract.description_id)),
                "columns": [
                    (
                        column.name,
                        column.type,
                        plain(language.pick(column.description_en, column.description_id)),
                    )
                    for column in public_columns(contract)
                ],
            }
        )
    site.page(
        language,
        "dictionary.html",
        "dictionary.html",
        language.text("dictionary"),
        tables=tables,
        code_lists=code_lists(site.labels, language),
    )
