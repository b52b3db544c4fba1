"""The data dictionary: every public table and column in both languages, from the contracts in
`schemas/` (so it cannot drift from the warehouse), and every code list from the reference tables."""

import duckdb

from sdmi_pipeline.contracts.contract import contract_for
from sdmi_pipeline.release.public import PUBLIC_TABLES, public_columns
from sdmi_pipeline.release.site.i18n import Language
from sdmi_pipeline.release.site.render import Site


def code_lists(
    public: duckdb.DuckDBPyConnection, language: Language
) -> list[tuple[str, list[tuple[str, str]]]]:
    """(name, [(code, label)]) of each code list a public table uses."""
    lists: dict[str, list[tuple[str, str]]] = {}
    for code_list, code, label_en, label_id in public.execute(
        "SELECT code_list, code, label_en, label_id FROM reference.codes ORDER BY code_list, code"
    ).fetchall():
        lists.setdefault(code_list, []).append((code, language.pick(label_en, label_id)))
    lists["age_group"] = [
        (code, language.pick(label_en, label_id))
        for code, label_en, label_id in public.execute(
            "SELECT age_group, label_en, label_id FROM reference.age_groups ORDER BY min_age"
        ).fetchall()
    ]
    lists["province"] = [
        (code, language.pick(name_en, name_id))
        for code, name_en, name_id in public.execute(
            "SELECT province_code, name_en, name_id FROM reference.provinces ORDER BY province_code"
        ).fetchall()
    ]
    lists["country"] = [
        (iso3, language.pick(name_en, name_id))
        for iso3, name_en, name_id in public.execute(
            "SELECT iso3, name_en, name_id FROM reference.countries ORDER BY iso3"
        ).fetchall()
    ]
    return sorted(lists.items())


def write_dictionary(site: Site, public: duckdb.DuckDBPyConnection, language: Language) -> None:
    tables = []
    for table in PUBLIC_TABLES:
        contract = contract_for(table)
        tables.append(
            {
                "name": table,
                "description": language.pick(contract.description_en, contract.description_id),
                "columns": [
                    (column.name, column.type, language.pick(column.description_en, column.description_id))
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
        code_lists=code_lists(public, language),
    )
