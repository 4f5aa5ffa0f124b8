"""Bringing a catalog in from an old system: exports and saved detail pages."""
