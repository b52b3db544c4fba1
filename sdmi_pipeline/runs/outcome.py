"""A build's outcome, one decision for the exit status of `sdmi build`, a run tag and a WARN check.

- clean (exit 0): published, and no path under the raw root is refused or held;
- refused_or_held (exit 3): published, but a delivery is refused or held back (new or still there);
- failed (exit 1): nothing published, a blocking check or a step failed (the run fails).

Ignored files (no source reads them) are named but leave a build clean: they change no figure.
"""

from pathlib import Path

from dagster import AssetCheckResult, AssetCheckSeverity, AssetCheckSpec, AssetKey, MetadataValue

from sdmi_pipeline.ingest.unread_paths import UnreadPath, as_new_since, blocking, unread_paths

OUTCOME_TAG = "sdmi/outcome"
UNREAD_TAG = "sdmi/unread_paths"
CLEAN, REFUSED_OR_HELD, FAILED = "clean", "refused_or_held", "failed"
EXIT_CODES = {CLEAN: 0, FAILED: 1, REFUSED_OR_HELD: 3}
CHECK_NAME = "deliveries_clean"
TAG_LENGTH = 1000  # a run tag shows in the UI's run list: the first paths, then how many more


def outcome(unread: list[UnreadPath]) -> str:
    """clean, or refused_or_held when a path under the raw root is refused or held."""
    return REFUSED_OR_HELD if blocking(unread) else CLEAN


def exit_code(unread: list[UnreadPath]) -> int:
    return EXIT_CODES[outcome(unread)]


def unread_lines(unread: list[UnreadPath], indent: str = "  ") -> list[str]:
    """The paths not read into the figures, one line each, under a heading; none when there are none."""
    if not unread:
        return []
    heading = (
        f"{indent}Not read into the figures ({len(unread)}; a refused or held file's previous vintage, "
        "if any, stays published; delete or correct the file to clear it):"
    )
    return [heading, *(f"{indent}  {item.line()}" for item in unread)]


def unread_tag(unread: list[UnreadPath]) -> str:
    """The unread paths in a run tag or skip reason: `state: path` each, cut to TAG_LENGTH."""
    text = "; ".join(f"{item.state}: {item.path}" for item in unread)
    if len(text) <= TAG_LENGTH:
        return text
    return text[: TAG_LENGTH - 40].rsplit("; ", 1)[0] + f"; … ({len(unread)} paths in all)"


def deliveries_check_spec(asset: AssetKey) -> AssetCheckSpec:
    return AssetCheckSpec(
        CHECK_NAME,
        asset=asset,
        description="No path under the raw root is refused or held back (WARN; the build published "
        "anyway): each is listed, new or still there. The run's sdmi/outcome tag says clean or "
        "refused_or_held, as `sdmi build` exits 0 or 3.",
    )


def deliveries_check(
    raw_root: Path, published: Path, before: list[UnreadPath], asset: AssetKey
) -> tuple[AssetCheckResult, dict]:
    """The WARN check of the build just `published`, and the run tags that say its outcome; `before`:
    the unread paths of the warehouse it replaced (what is still there, not new)."""
    unread = as_new_since(unread_paths(raw_root, published), before)
    found = blocking(unread)
    result = AssetCheckResult(
        asset_key=asset,
        check_name=CHECK_NAME,
        passed=not found,
        severity=AssetCheckSeverity.WARN,
        metadata={
            "refused_or_held": len(found),
            "ignored": len(unread) - len(found),
            "paths": MetadataValue.md("\n".join(f"- {item.line()}" for item in unread) or "none"),
        },
    )
    tags = {OUTCOME_TAG: outcome(unread)} | ({UNREAD_TAG: unread_tag(unread)} if unread else {})
    return result, tags
