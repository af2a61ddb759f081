"""The thin core every domain builds on: settings, database, object store, errors."""
