"""Contracts (`schemas/`) and the checks they drive."""
