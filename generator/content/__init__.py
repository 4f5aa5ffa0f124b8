"""Content in: the hardened loader, JSON Schema, per-file and cross-record checks, PII, identifiers, 文号, working days, reporters."""
