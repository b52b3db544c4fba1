"""SDMI pipeline: One International Migration Data (Satu Data Migrasi Internasional)."""

__version__ = "0.1.0"
