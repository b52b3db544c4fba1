"""Ingest: what ministries deliver, from the raw root to staging tables.

Sources, readers, connectors, validation, and revisions held back.
"""
