"""`catalog audit`: the catalog checked as a national website inspection would check it."""
