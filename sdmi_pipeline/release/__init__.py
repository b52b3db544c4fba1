"""The release: what leaves the warehouse for readers outside it (SDMX, Open SDG, Parquet, Excel,
the portal), written from the published warehouse under disclosure control.

Every writer reads the *public* connection of `release.public.open_public`, never the warehouse,
so no output can show what disclosure control removed.
"""
