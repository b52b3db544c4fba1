"""SDMI pipeline: One International Migration Data (Satu Data Migrasi Internasional)."""

__version__ = "0.1.0"

from sdmi_pipeline.runs.malloc_arenas import limit_malloc_arenas

limit_malloc_arenas()  # before DuckDB or Arrow start worker threads (see malloc_arenas.py)
