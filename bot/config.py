"""Settings from the environment (and .env), validated once at start.

A bad setting stops the program with one line naming it; the token is a SecretStr and is
never printed.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DISCORD_API = "https://discord.com/api/v10"


class SettingsError(Exception):
    """One line per bad setting, safe to print."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    discord_token: SecretStr | None = None
    discord_api_base: str = DISCORD_API
    kuril_index: Path = Path("data/kuril.db")
    kuril_state: Path = Path("data/state.db")
    kuril_seeds: Path = Path("seeds")
    database_url: SecretStr | None = None
    kuril_dev_guild: int | None = Field(default=None, gt=0)
    shard_count: int | None = Field(default=None, ge=1, le=1024)
    shard_ids: list[int] | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    metrics_port: int | None = Field(default=None, ge=1, le=65535)
    kuril_max_upload_mb: float = Field(default=5.0, gt=0, le=100)
    kuril_read_seconds: float = Field(default=90.0, gt=0, le=600)  # to convert and read one upload

    @field_validator("discord_token", "database_url", "kuril_dev_guild", "shard_count", "shard_ids",
                     "metrics_port", mode="before")
    @classmethod
    def _empty_is_unset(cls, v):
        return None if isinstance(v, str) and not v.strip() else v

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, v):
        return v.upper() if isinstance(v, str) else v

    @field_validator("discord_api_base")
    @classmethod
    def _url(cls, v: str) -> str:
        if not re.match(r"^https?://[^\s/]+", v):
            raise ValueError("must be an http(s) URL such as https://discord.com/api/v10")
        return v.rstrip("/")

    @field_validator("database_url")
    @classmethod
    def _postgres(cls, v: SecretStr | None) -> SecretStr | None:
        if v is not None and not re.match(r"^postgres(?:ql)?://", v.get_secret_value()):
            raise ValueError("must start with postgresql://")
        return v

    @field_validator("shard_ids", mode="before")
    @classmethod
    def _ids(cls, v):
        """'0,1' or '0-3' or a JSON list."""
        if isinstance(v, str) and not v.lstrip().startswith("["):
            ids: list[int] = []
            for part in v.split(","):
                lo, _, hi = part.strip().partition("-")
                if not lo.isdigit() or (hi and not hi.isdigit()):
                    raise ValueError("must be shard numbers like 0,1 or 0-3")
                ids.extend(range(int(lo), int(hi or lo) + 1))
            return ids
        return v

    @model_validator(mode="after")
    def _shards(self) -> Settings:
        if self.shard_ids is not None:
            if self.shard_count is None:
                raise ValueError("SHARD_IDS needs SHARD_COUNT")
            if any(i < 0 or i >= self.shard_count for i in self.shard_ids):
                raise ValueError(f"SHARD_IDS must be between 0 and SHARD_COUNT-1 ({self.shard_count - 1})")
        return self


def load_settings(**overrides) -> Settings:
    """Settings from the environment, or SettingsError with one line per bad setting."""
    try:
        return Settings(**overrides)
    except ValidationError as e:
        lines = []
        for err in e.errors(include_input=False, include_url=False):
            name = "_".join(str(x) for x in err["loc"]).upper() or "settings"
            msg = err["msg"].removeprefix("Value error, ")
            lines.append(f"bad setting {name}: {msg}")
        raise SettingsError("\n".join(lines)) from None
