"""The FastAPI application: wiring only."""

from laborcommons.api.app import create_app

__all__ = ["create_app"]
