"""The build: the orchestrator, staging, MkDocs, record pages filled from a rendered page, the swap."""
