"""Reference code lists: countries, provinces and the small SDMI code lists."""
