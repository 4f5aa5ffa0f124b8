"""The page plan (what pages exist, with typed contexts) and its rendering to staging Markdown."""
