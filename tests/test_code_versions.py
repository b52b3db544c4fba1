"""Each asset's code version is what its output is a function of, so the UI shows what is stale."""

from dagster import AssetKey

from sdmi_pipeline.contracts.versions import code_version, table_version
from sdmi_pipeline.definitions import defs
from sdmi_pipeline.ingest.loading import parser_fingerprint
from sdmi_pipeline.ingest.sources import SOURCES
from sdmi_pipeline.paths import SQL_ASSETS_DIR
from sdmi_pipeline.release import manifest
from sdmi_pipeline.warehouse.sql_assets import sql_asset


def versions() -> dict[str, str | None]:
    graph = defs.resolve_asset_graph()
    return {key.to_user_string(): graph.get(key).code_version for key in graph.materializable_asset_keys}


def test_every_built_asset_has_its_own_code_version():
    found = versions()
    assert len(found) == 68  # 65, and indicators.figures and the two crossed report views
    assert [key for key, version in found.items() if not version] == []
    sql = (SQL_ASSETS_DIR / "core" / "pmi_placements.sql").read_text(encoding="utf-8")
    assert found["core/pmi_placements"] == table_version("core.pmi_placements", sql)
    placements = next(source for source in SOURCES if source.table == "staging.kp2mi_placements")
    assert found["staging/kp2mi_placements"] == code_version(parser_fingerprint(placements))
    assert found["release"] == code_version(manifest.release_code())
    assert len(set(found.values())) == len(found)  # no two assets share a version


def test_a_sql_asset_version_follows_its_sql_and_only_its_sql(tmp_path):
    folder = tmp_path / "assets" / "core"
    folder.mkdir(parents=True)
    path = folder / "pmi_placements.sql"
    path.write_text((SQL_ASSETS_DIR / "core" / "pmi_placements.sql").read_text(encoding="utf-8"))
    key = AssetKey(["core", "pmi_placements"])
    before = sql_asset("core.pmi_placements", path, set()).specs_by_key[key].code_version
    assert before == versions()["core/pmi_placements"]
    path.write_text(path.read_text() + "\n-- a comment is a change of code\n")
    assert sql_asset("core.pmi_placements", path, set()).specs_by_key[key].code_version != before
