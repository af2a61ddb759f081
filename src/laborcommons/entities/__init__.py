"""Shared identities: facilities, companies and brands with stable IDs, matching and review."""
