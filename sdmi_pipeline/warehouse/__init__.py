"""The warehouse: the DuckDB resource, SQL assets, monthly slices, report views, publish."""
