"""Secrets (marketplace tokens): in the OS keyring, or else in a file only this user can read.

Never in the database, the settings or a log line. Each process picks its store once
(`credential_store`: the window's bootstrap, a command, a scheduled job) and hands it to
whatever needs a secret; tests hand in a store of their own.
"""

import contextlib
import json
import os
from pathlib import Path
from typing import Any, Protocol

SERVICE = "seller-studio"
FILE_NAME = "credentials.json"

Secret = dict[str, Any]  # a JSON object: its shape is the adapter's business


class CredentialStore(Protocol):
    """Secrets by account key (a marketplace's name), for one data dir."""

    @property
    def where(self) -> str:
        """Where the secrets are kept, in words for the person."""
        ...

    def get(self, key: str) -> Secret | None: ...

    def set(self, key: str, secret: Secret) -> None: ...

    def delete(self, key: str) -> None: ...


class KeyringStore:
    """The OS keyring (Keychain, Credential Manager, Secret Service)."""

    where = "the system keyring"

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir

    def _account(self, key: str) -> str:
        # One data dir's tokens must not be another's: the dir is part of the name.
        return f"{self.data_dir}::{key}"

    def get(self, key: str) -> Secret | None:
        import keyring

        text = keyring.get_password(SERVICE, self._account(key))
        return json.loads(text) if text else None

    def set(self, key: str, secret: Secret) -> None:
        import keyring

        keyring.set_password(SERVICE, self._account(key), json.dumps(secret))

    def delete(self, key: str) -> None:
        import keyring
        import keyring.errors

        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            keyring.delete_password(SERVICE, self._account(key))


class PrivateFileStore:
    """A JSON file in the data dir that only this user can read, where there is no keyring."""

    def __init__(self, data_dir: Path) -> None:
        self.file = data_dir / FILE_NAME

    @property
    def where(self) -> str:
        return f"{self.file} (readable only by you; no system keyring was found)"

    def get(self, key: str) -> Secret | None:
        secret = self._read().get(key)
        return secret if isinstance(secret, dict) else None

    def set(self, key: str, secret: Secret) -> None:
        self._write({**self._read(), key: secret})

    def delete(self, key: str) -> None:
        secrets = self._read()
        if secrets.pop(key, None) is not None:
            self._write(secrets)

    def _read(self) -> dict[str, Any]:
        if not self.file.exists():
            return {}
        data = json.loads(self.file.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}

    def _write(self, secrets: dict[str, Any]) -> None:
        self.file.parent.mkdir(parents=True, exist_ok=True)
        partial = self.file.with_suffix(".partial")
        # Created with owner-only permissions, so the secret is never readable by others,
        # not even for an instant.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(secrets, handle)
        os.chmod(partial, 0o600)
        partial.replace(self.file)


def keyring_usable() -> bool:
    import keyring
    from keyring.backends import fail

    backend = keyring.get_keyring()
    return not isinstance(backend, fail.Keyring) and getattr(backend, "priority", 0) > 0


class DataDirCredentials:
    """The store for a data dir, chosen when a secret is first needed: loading and probing
    the keyring costs a window that never signs in a fifth of a second at start.

    The system keyring where there is one, else the private file. A data dir that already
    keeps its secrets in the file goes on doing so, so a keyring installed later does not
    hide them, and every process of the data dir agrees."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._chosen: CredentialStore | None = None

    def _store(self) -> CredentialStore:
        if self._chosen is None:
            private = PrivateFileStore(self.data_dir)
            usable = not private.file.exists() and keyring_usable()
            self._chosen = KeyringStore(self.data_dir) if usable else private
        return self._chosen

    @property
    def where(self) -> str:
        return self._store().where

    def get(self, key: str) -> Secret | None:
        return self._store().get(key)

    def set(self, key: str, secret: Secret) -> None:
        self._store().set(key, secret)

    def delete(self, key: str) -> None:
        self._store().delete(key)


def credential_store(data_dir: Path) -> CredentialStore:
    return DataDirCredentials(data_dir)
