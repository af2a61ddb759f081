"""One typed settings object, read from the environment (``LABORCOMMONS_*``) and flags."""

from __future__ import annotations

from pathlib import Path

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

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.home.resolve() / 'laborcommons.db'}"

    @property
    def objects_dir(self) -> Path:
        return self.home / "objects"

    @property
    def tmp_dir(self) -> Path:
        return self.home / "tmp"
