"""Marketplace tokens: in the OS keyring, or else in a file only this user can read.

Never in the database, the settings or a log line.
"""

import contextlib
import json
import os
from pathlib import Path
from typing import Any

import keyring
import keyring.errors
from keyring.backends import fail

SERVICE = "seller-studio"
FILE_NAME = "credentials.json"


def keyring_usable() -> bool:
    backend = keyring.get_keyring()
    return not isinstance(backend, fail.Keyring) and getattr(backend, "priority", 0) > 0


class CredentialStore:
    def __init__(self, data_dir: Path, use_keyring: bool | None = None) -> None:
        self.data_dir = data_dir
        self.use_keyring = keyring_usable() if use_keyring is None else use_keyring

    @property
    def where(self) -> str:
        if self.use_keyring:
            return "the system keyring"
        return f"{self.file} (readable only by you; no system keyring was found)"

    @property
    def file(self) -> Path:
        return self.data_dir / FILE_NAME

    def _account(self, marketplace: str) -> str:
        # One data dir's tokens must not be another's: the dir is part of the name.
        return f"{self.data_dir}::{marketplace}"

    def save(self, marketplace: str, secret: dict[str, Any]) -> None:
        if self.use_keyring:
            keyring.set_password(SERVICE, self._account(marketplace), json.dumps(secret))
            return
        secrets = self._read_file()
        secrets[marketplace] = secret
        self._write_file(secrets)

    def load(self, marketplace: str) -> dict[str, Any] | None:
        if self.use_keyring:
            text = keyring.get_password(SERVICE, self._account(marketplace))
            return json.loads(text) if text else None
        return self._read_file().get(marketplace)

    def delete(self, marketplace: str) -> None:
        if self.use_keyring:
            with contextlib.suppress(keyring.errors.PasswordDeleteError):
                keyring.delete_password(SERVICE, self._account(marketplace))
            return
        secrets = self._read_file()
        if secrets.pop(marketplace, None) is not None:
            self._write_file(secrets)

    def _read_file(self) -> dict[str, Any]:
        if not self.file.exists():
            return {}
        data = json.loads(self.file.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}

    def _write_file(self, secrets: dict[str, Any]) -> None:
        partial = self.file.with_suffix(".partial")
        # Created with owner-only permissions, so the secret is never readable by others,
        # not even for an instant.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(secrets, handle)
        os.chmod(partial, 0o600)
        partial.replace(self.file)
