"""One typed settings object, read from the environment (``LABORCOMMONS_*``) and flags."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Where the node lives and the limits it enforces."""

    model_config = SettingsConfigDict(env_prefix="LABORCOMMONS_", extra="ignore")

    home: Path = Field(default=Path(".laborcommons"), description="Data directory of the node.")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default is a SQLite file in the home."
    )
    max_upload_bytes: int = Field(default=512 * 1024 * 1024, description="Upload size limit.")
    max_uncompressed_bytes: int = Field(
        default=2 * 1024 * 1024 * 1024, description="Limit on a spreadsheet's unpacked size."
    )
    secure_cookies: bool = Field(default=False, description="Mark session cookies Secure.")
    master_key_file: Path | None = Field(
        default=None,
        description="Key file of encryption at rest; default `master.key` in the home. In "
        "production keep it outside the home (another volume or a secrets mount), so a copy "
        "of the data directory alone cannot be decrypted.",
    )
    sealed_cache_bytes: int = Field(
        default=256 * 1024 * 1024,
        description="Memory for decrypted tables of encrypted versions (an LRU by size).",
    )
    cors_origins: list[str] = Field(
        default=["*"],
        description="Origins whose browser apps may call the API (a JSON list; `[]` for "
        "none). Never with credentials: cookies and API tokens stay same-origin.",
    )

    node_name: str = Field(
        default="LaborCommons node",
        description="The node's name as the publisher of its DCAT-AP catalog (docs/standards.md).",
    )
    node_contact: str = Field(
        default="",
        description="The node's contact (an email address or a URL) in its DCAT-AP catalog; "
        "empty for none.",
    )

    signup: Literal["open", "invitation", "closed"] = Field(
        default="invitation",
        description="Who may create an account on the web: `open` (anyone), `invitation` "
        "(only through an organization's invitation link) or `closed` (only the admin, "
        "with `laborcommons users create`).",
    )
    require_org_approval: bool = Field(
        default=False,
        description="New organizations registered on the web or the API stay `pending`, "
        "and out of the registry, until the node admin approves them.",
    )
    smtp_host: str | None = Field(
        default=None,
        description="SMTP server for reset and invitation links; without one, links are "
        "shown to the inviter or the admin instead of sent.",
    )
    smtp_port: int = Field(default=587, description="SMTP port.")
    smtp_from: str = Field(default="", description="Sender address of the node's e-mails.")
    smtp_user: str | None = Field(default=None, description="SMTP login, if the server needs one.")
    smtp_password: str | None = Field(default=None, description="SMTP password.")
    smtp_starttls: bool = Field(default=True, description="Upgrade the SMTP connection to TLS.")
    base_url: str = Field(
        default="",
        description="The node's public address (`https://data.example.org`), used in links "
        "sent by e-mail; empty: the address of the request.",
    )

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.home.resolve() / 'laborcommons.db'}"

    @property
    def objects_dir(self) -> Path:
        return self.home / "objects"

    @property
    def key_file(self) -> Path:
        return self.master_key_file or self.home / "master.key"

    @property
    def tmp_dir(self) -> Path:
        return self.home / "tmp"
