"""Safe releases: resolve PII findings and derive pseudonymized or k-anonymous versions."""
