"""What a browser does, done through the test client: read CSRF tokens, sign in, upload,
fill in forms, and read tables back out of the HTML."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from tests.factories import Member

CSV = (
    "facility,country,workers\n"
    "Dhaka Knit Ltd,BD,1200\n"
    "Phnom Penh Sewing,KH,300\n"
    "Saigon Apparel,VN,850\n"
)
BAD_CSV = "facility,country,workers\nDhaka Knit Ltd,BD,1200,extra\nPhnom Penh Sewing,KH\n"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(client: TestClient, path: str) -> str:
    """The CSRF token from the form on ``path``, as a browser would have it."""
    response = client.get(path)
    assert response.status_code == 200, response.text
    match = TOKEN.search(response.text)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_in(client: TestClient, member: Member) -> None:
    token = csrf_from(client, "/login")
    response = client.post(
        "/login",
        data={"email": member.email, "password": member.password, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def write_csv(tmp_path: Path, text: str = CSV, name: str = "facilities.csv") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def upload_file(client: TestClient, slug: str, name: str, content: str) -> httpx.Response:
    token = csrf_from(client, f"/datasets/{slug}/upload")
    return client.post(
        f"/datasets/{slug}/upload",
        data={"csrf_token": token, "message": "monthly update"},
        files={"file": (name, content.encode(), "text/csv")},
        follow_redirects=False,
    )


class _TableReader(HTMLParser):
    def __init__(self, css_class: str) -> None:
        super().__init__()
        self.css_class = css_class
        self.depth = 0
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None
        self.in_body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "table" and (self.depth or self.css_class in classes):
            self.depth += 1
        elif self.depth and tag == "tbody":
            self.in_body = True
        elif self.depth and self.in_body and tag == "tr":
            self.rows.append([])
        elif self.depth and self.in_body and tag in {"td", "th"}:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table" and self.depth:
            self.depth -= 1
        elif tag == "tbody":
            self.in_body = False
        elif tag in {"td", "th"} and self.cell is not None:
            self.rows[-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def table_rows(html: str, css_class: str) -> list[list[str]]:
    """Body cells of the first table with ``css_class``, as text."""
    reader = _TableReader(css_class)
    reader.feed(html)
    return reader.rows


class _FormReader(HTMLParser):
    """The fields of the form posting to ``action``, as a browser would send them."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action
        self.inside = False
        self.fields: dict[str, str] = {}
        self.textarea: str | None = None
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.inside = found.get("action") == self.action
        elif not self.inside or ("name" not in found and tag != "option"):
            return
        elif tag == "input" and found.get("type") in {"checkbox", "radio"}:
            if "checked" in found:
                self.fields[found["name"]] = found.get("value", "on")
        elif tag == "input" and found.get("type") != "submit":
            self.fields[found["name"]] = found.get("value", "")
        elif tag == "textarea":
            self.textarea = found["name"]
            self.fields[self.textarea] = ""
        elif tag == "select":
            self.select = found["name"]
        elif (
            tag == "option"
            and self.select is not None
            and (
                self.select not in self.fields or "selected" in found  # else the first option
            )
        ):
            self.fields[self.select] = found.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.fields[self.textarea] += data


def form_fields(html: str, action: str) -> dict[str, str]:
    """What submitting the form that posts to ``action`` unchanged would send."""
    reader = _FormReader(action)
    reader.feed(html)
    return reader.fields
