"""Outbound fetches of a harvest: time-outs, a size limit, redirects only to http(s).

Every failure is a ``HarvestFailed`` with a sentence for the source's run record; the
client is injectable (``httpx.MockTransport`` in tests), so no test needs the network.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

TIMEOUT = httpx.Timeout(20.0, connect=10.0)
MAX_RESPONSE_BYTES = 16 * 1024 * 1024
MAX_REDIRECTS = 5
MAX_PAGES = 500


class HarvestFailed(Exception):
    """The remote catalog could not be read or made no sense; nothing was applied."""


@dataclass(frozen=True)
class Fetched:
    url: str
    content_type: str
    body: bytes


def new_client() -> httpx.Client:
    return httpx.Client(
        timeout=TIMEOUT,
        follow_redirects=False,
        headers={"User-Agent": "LaborCommons-harvester"},
    )


def require_http(url: str) -> None:
    if urlsplit(url).scheme not in {"http", "https"} or not urlsplit(url).netloc:
        raise HarvestFailed(f"refused to fetch {url!r}: only http(s) URLs are followed")


def fetch(client: httpx.Client, url: str, *, accept: str) -> Fetched:
    """GET ``url``, following at most a few redirects, each to an http(s) URL."""
    for _ in range(MAX_REDIRECTS + 1):
        require_http(url)
        try:
            with client.stream("GET", url, headers={"Accept": accept}) as response:
                if response.is_redirect:
                    url = urljoin(url, response.headers.get("location", ""))
                    continue
                if response.status_code != 200:
                    raise HarvestFailed(f"{url} answered HTTP {response.status_code}")
                body = _read_limited(response, url)
                kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
                return Fetched(url=url, content_type=kind, body=body)
        except httpx.TimeoutException:
            raise HarvestFailed(f"{url} did not answer in time") from None
        except httpx.HTTPError as error:
            raise HarvestFailed(f"{url} could not be fetched: {error}") from None
    raise HarvestFailed(f"{url}: more than {MAX_REDIRECTS} redirects")


def _read_limited(response: httpx.Response, url: str) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > MAX_RESPONSE_BYTES:
            raise HarvestFailed(f"{url} sent more than {MAX_RESPONSE_BYTES} bytes")
        chunks.append(chunk)
    return b"".join(chunks)
