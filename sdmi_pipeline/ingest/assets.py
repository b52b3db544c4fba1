"""Staging assets: one per source, loading new and revised raw files incrementally."""

from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd
from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    AssetSpec,
    BackfillPolicy,
    MetadataValue,
)

from sdmi_pipeline.contracts.metadata import OWNERS, markdown, table_metadata
from sdmi_pipeline.contracts.versions import code_version
from sdmi_pipeline.ingest.checks import source_check_results, source_check_specs
from sdmi_pipeline.ingest.loading import IngestReport, Source, ingest_source, parser_fingerprint
from sdmi_pipeline.ingest.partitions import MONTHS, is_month
from sdmi_pipeline.ingest.refusals import without_path
from sdmi_pipeline.warehouse.checked_asset import checked_asset


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
        "refused": MetadataValue.json(
            {outcome.path: outcome.error for outcome in parsed if outcome.status == "failed"}
        ),
        "gone": MetadataValue.json({outcome.path: outcome.error for outcome in report.gone}),
    }


def files_of_months(source: Source, months: set[str]) -> Callable[[Path], bool]:
    """The files of these months, and any file whose name gives no month (always reported)."""

    def selected(path: Path) -> bool:
        month = source.period(path)
        return not is_month(month) or month in months

    return selected


def raw_files_key(source: Source) -> AssetKey:
    return AssetKey(["raw", f"{source.name}_files"])


def raw_files_spec(source: Source) -> AssetSpec:
    """The deliveries themselves, as an external asset: the pipeline reads them, never writes them."""
    return AssetSpec(
        key=raw_files_key(source),
        group_name="raw",
        kinds=set(source.formats) or {source.pattern.rsplit(".", 1)[-1]},
        description=f"Files delivered by {source.publisher} under the raw root (SDMI_RAW_DIR): "
        f"`{source.pattern}`. Never edited by the pipeline; see meta.raw_files for what was read.",
        metadata={"publisher": source.publisher, "raw_files": MetadataValue.text(source.pattern)},
        owners=OWNERS,
    )


def source_asset(source: Source) -> AssetsDefinition:
    """The staging asset of one source, with the delivery's checks in its step."""
    contract = source.contract
    partitioned = source.period is not None
    spec = AssetSpec(
        key=AssetKey(source.table.split(".")),
        deps=[raw_files_key(source)],
        group_name=source.table.split(".")[0],
        kinds={"duckdb", "pandas", "pandera"},
        description=(
            f"{contract.description_en}\n\nReads `{source.pattern}` under the raw root"
            + (", one monthly partition per file" if partitioned else "")
            + "; files read before with the same content and parser are skipped. "
            "Rejected rows go to meta.rejects."
        ),
        metadata={
            "publisher": source.publisher,
            "raw_files": MetadataValue.text(source.pattern),
            "dagster/table_name": source.table,
        },
        owners=OWNERS,
        code_version=code_version(parser_fingerprint(source)),  # its reader's modules and contract
    )

    def load(context: AssetExecutionContext, connection: duckdb.DuckDBPyConnection) -> dict:
        selected = None
        if partitioned:
            months = set(context.partition_keys)
            context.log.info("months %s to %s", min(months), max(months))
            selected = files_of_months(source, months)
        report = ingest_source(connection, context.resources.warehouse.raw_root, source, selected)
        for outcome in report.parsed:
            if outcome.status == "failed":
                context.log.error("%s: %s", outcome.path, without_path(outcome.path, outcome.error))
            else:
                context.log.info(
                    "%s: %s rows read, %s accepted, %s rejected",
                    outcome.path,
                    outcome.rows_read,
                    outcome.rows_accepted,
                    outcome.rows_rejected,
                )
        for outcome in report.gone:
            context.log.warning("%s: %s", outcome.path, outcome.error)
        return report_metadata(report) | table_metadata(connection, contract)

    return checked_asset(
        spec,
        load,
        source_check_specs(source),
        lambda context, connection, checks: source_check_results(connection, source, checks),
        partitions_def=MONTHS if partitioned else None,
        backfill_policy=BackfillPolicy.single_run() if partitioned else None,
    )
