"""A test-only keyring backend that keeps passwords in a JSON file.

End-to-end tests run `portal` as a subprocess; a real Secret Service needs a D-Bus session and a
daemon (tests/keyring/ does that). Everything else selects this backend in the child with
`PYTHON_KEYRING_BACKEND=_keyring_backend.JsonFileKeyring` and `PYTHONPATH=<this directory>`, so
each test has its own throw-away "keyring" it can inspect: the file named by
`CHATHQ_TEST_KEYRING_FILE` (outside the config dir, like a real keyring would be).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

ENV_VAR = "CHATHQ_TEST_KEYRING_FILE"


class JsonFileKeyring(KeyringBackend):
    """`{service: {username: password}}` in one JSON file, rewritten atomically."""

    priority = 1  # type: ignore[assignment]  # only ever selected explicitly

    @staticmethod
    def _path() -> Path:
        value = os.environ.get(ENV_VAR)
        if not value:
            raise RuntimeError(f"{ENV_VAR} is not set: the test keyring needs a file")
        return Path(value)

    def _load(self) -> dict[str, dict[str, str]]:
        try:
            return json.loads(self._path().read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}

    def _save(self, data: dict[str, dict[str, str]]) -> None:
        path = self._path()
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(data, indent=2, sort_keys=True), encoding="utf-8")
        os.replace(tmp, path)

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(service, {}).get(username)

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data.setdefault(service, {})[username] = password
        self._save(data)

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        if username not in data.get(service, {}):
            raise PasswordDeleteError("no such password")
        del data[service][username]
        self._save(data)
