"""Every 500 is a bug, and still answers like every other error: the JSON envelope on the
API, the HTML error page on the web, and never the exception's text or a traceback."""

from __future__ import annotations

import logging

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from laborcommons.api import create_app
from laborcommons.core.node import Node

SECRET = "/srv/laborcommons/objects/ab/cd password=hunter22"


def _app_with_a_bug(node: Node) -> FastAPI:
    app = create_app(node=node)

    @app.get("/api/v1/boom", summary="Fails (test only)")
    def api_boom() -> None:
        raise RuntimeError(SECRET)

    @app.get("/boom", summary="Fails (test only)")
    def web_boom() -> None:
        raise KeyError(SECRET)

    return app


def test_an_unexpected_api_error_answers_the_envelope(
    node: Node, caplog: pytest.LogCaptureFixture
) -> None:
    with (
        caplog.at_level(logging.ERROR, logger="laborcommons.api"),
        TestClient(_app_with_a_bug(node), raise_server_exceptions=False) as client,
    ):
        response = client.get("/api/v1/boom")
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == {
        "error": {"code": "internal-error", "message": "internal error", "details": None}
    }
    assert "hunter22" not in response.text and "Traceback" not in response.text
    logged = "\n".join(r.getMessage() + str(r.exc_info) for r in caplog.records)
    assert "RuntimeError" in logged  # the traceback goes to the server log


def test_an_unexpected_web_error_answers_the_error_page(node: Node) -> None:
    with TestClient(_app_with_a_bug(node), raise_server_exceptions=False) as client:
        response = client.get("/boom")
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    assert "hunter22" not in response.text and "Traceback" not in response.text
    assert "internal error" in response.text.lower()
