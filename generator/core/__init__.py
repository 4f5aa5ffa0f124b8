"""Values every stage shares: settings, problems, records and the catalog, the build cache."""
