"""Department workflow: scaffolds for new records and departments, CODEOWNERS, changed files."""
