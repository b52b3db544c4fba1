"""Live connectors: publishers' API answers fetched into the raw landing folder (spec §2.4, §2.5).

- `unhcr_api`: the UNHCR Refugee Statistics population API → `unhcr/population_{coa,coo}_IDN_<year>.json`.
- `bps_webapi`: one BPS WebAPI dynamic table → `bps/penduduk_<var>_<year>.json`.
- `http`: what both share: a GET with timeout, retries and secret redaction, and atomic writes.

A connector raises `FetchError` when the answer cannot be fetched or is not what the spec expects (nothing
is written then) and `ConfigError` when a setting it needs is missing or malformed.
"""

from sdmi_pipeline.ingest.connectors.http import ConfigError, FetchError

__all__ = ["ConfigError", "FetchError"]
