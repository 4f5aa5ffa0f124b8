"""Derived files beside the pages: catalog exports, feeds, sitemap, catalog-browser data."""
