"""Staging assets: one per source, loading new and revised raw files incrementally."""

import pandas as pd
from dagster import AssetExecutionContext, AssetKey, AssetsDefinition, MaterializeResult, MetadataValue, asset

from sdmi_pipeline.ingest import IngestReport, Source, ingest_source
from sdmi_pipeline.metadata import markdown, table_metadata
from sdmi_pipeline.warehouse import WAREHOUSE_POOL, WarehouseResource


def report_metadata(report: IngestReport) -> dict:
    """Counts of files and rows of this build, for the UI and the command line."""
    parsed = report.parsed
    outcomes = pd.DataFrame([vars(outcome) for outcome in parsed]) if parsed else pd.DataFrame()
    return {
        "files_seen": len(report.files),
        "files_parsed": len(parsed),
        "files_unchanged": len(report.files) - len(parsed),
        "files_failed": sum(outcome.status == "failed" for outcome in parsed),
        "rows_read": report.total("rows_read"),
        "rows_accepted": report.total("rows_accepted"),
        "rows_rejected": report.total("rows_rejected"),
        "files": markdown(outcomes, limit=50),
    }


def source_asset(source: Source) -> AssetsDefinition:
    """The staging asset of one source."""
    contract = source.contract
    schema, name = source.table.split(".")

    @asset(
        key=AssetKey([schema, name]),
        group_name=schema,
        kinds={"duckdb", "pandas", "pandera"},
        description=(
            f"{contract.description_en}\n\nReads `{source.pattern}` under the raw root; files read "
            "before with the same content are skipped. Rejected rows go to meta.rejects."
        ),
        metadata={
            "publisher": source.publisher,
            "raw_files": MetadataValue.text(source.pattern),
            "dagster/table_name": source.table,
        },
        owners=["team:sdmi-data-engineering"],
        pool=WAREHOUSE_POOL,
    )
    def _load(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
        with warehouse.connect() as connection:
            report = ingest_source(connection, warehouse.raw_root, source)
            metadata = report_metadata(report) | table_metadata(connection, contract)
        for outcome in report.parsed:
            if outcome.status == "failed":
                context.log.error("%s: %s", outcome.path, outcome.error)
            else:
                context.log.info(
                    "%s: %s rows read, %s accepted, %s rejected",
                    outcome.path,
                    outcome.rows_read,
                    outcome.rows_accepted,
                    outcome.rows_rejected,
                )
        return MaterializeResult(metadata=metadata)

    return _load
