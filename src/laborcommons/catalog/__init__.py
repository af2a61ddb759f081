"""Organizations registry, datasets, versions, licenses and exports."""
