"""The `dissemination` group: the release written from the published warehouse after each refresh."""

from dagster import AssetExecutionContext, Failure, MaterializeResult, MetadataValue, asset

from sdmi_pipeline.contracts.metadata import OWNERS
from sdmi_pipeline.contracts.versions import code_version
from sdmi_pipeline.release.layout import RELEASE_KEY
from sdmi_pipeline.release.manifest import release_code
from sdmi_pipeline.warehouse.resource import PUBLISHED_KEY, WarehouseResource


@asset(
    key=RELEASE_KEY,
    deps=[PUBLISHED_KEY],
    group_name="dissemination",
    kinds={"parquet"},
    description=(
        "The release for readers outside the warehouse: <SDMI_EXPORT_DIR>/<vintage>/ (Parquet and "
        "data package, manifest.json, CHANGES.md; latest points at it), written under disclosure "
        "control from the published warehouse, as `sdmi export` does; when its public tables equal "
        "the latest release's, nothing is written and the status is `unchanged`."
    ),
    owners=OWNERS,
    code_version=code_version(release_code()),  # every file of the release package, templates included
)
def release(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    from sdmi_pipeline.release.writer import export

    try:
        written = export(warehouse.published_path)
    except OSError:
        raise  # a full or unreachable disk: the retry policy tries again
    except Exception as error:
        # A code or data error gives the same error on every try: fail at once, naming it.
        raise Failure(description=f"{type(error).__name__}: {error}", allow_retries=False) from error
    context.log.info("release %s %s at %s", written.vintage, written.status, written.path)
    suppression = written.suppression
    return MaterializeResult(
        metadata={
            "path": MetadataValue.path(str(written.path)),
            "vintage": written.vintage,
            "status": written.status,
            "suppressed_primary": suppression["primary"],
            "suppressed_secondary": suppression["secondary"],
            "suppressed_total": suppression["total"],
            "suppressed_by_indicator": MetadataValue.json(suppression["by_indicator"]),
            **{f"observations_{change}": count for change, count in written.changes.items()},
        }
    )
