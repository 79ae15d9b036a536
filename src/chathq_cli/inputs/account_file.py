"""Account files (SPEC §9) as `portal plan` and `portal apply` read them: YAML or JSON (JSON is
YAML), checked against the models of `api/account_file.py`, merged by account, every mistake
reported as `FILE:LINE:COLUMN: key: problem` (exit 2) before any request that changes anything.

Pure: the caller reads the files and passes their text, and passes what only the API knows
(the integration catalogue, which accounts exist) to `check_against`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from chathq_cli import errors

if TYPE_CHECKING:
    from chathq_cli.api.account_file import AccountFile, AccountSpec

# The managed sections of an account, in the order a plan shows and applies them.
SECTIONS = ("name", "members", "integrations", "api_keys")
# A setting written as ${VAR}: the value comes from the environment when plan and apply run.
VAR_RE = re.compile(r"^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$")


def secret_reference(value: object) -> str | None:
    """VAR of a `${VAR}` setting, or None."""
    match = VAR_RE.match(value) if isinstance(value, str) else None
    return match.group(1) if match else None


KeyPath = tuple[Any, ...]  # keys from the document's root, e.g. ("accounts", "acct_1", "members")


@dataclass
class Document:
    """The merged accounts of one or more files, and where each key was written."""

    accounts: dict[str, AccountSpec] = field(default_factory=dict)
    # (account, section) -> where it was written, for "same section in two files"
    origins: dict[tuple[str, str], str] = field(default_factory=dict)
    positions: dict[KeyPath, str] = field(default_factory=dict)

    def where(self, *path: Any) -> str:
        """`FILE:LINE:COLUMN` of the deepest key of `path` that was written."""
        for end in range(len(path), -1, -1):
            found = self.positions.get(tuple(path[:end]))
            if found:
                return found
        return "?"

    def fail(self, path: KeyPath, problem: str, param: str = "--file") -> errors.UsageError:
        shown = ".".join(str(part) for part in path if part != "[key]")
        key = f"{shown}: " if shown else ""
        return errors.UsageError(f"{self.where(*path)}: {key}{problem}", param=param)


def load(sources: Sequence[tuple[str, str]]) -> Document:
    """The merged document of `(name, text)` sources; UsageError at the first bad key."""
    merged = Document()
    for name, text in sources:
        data, positions = _parse(name, text)
        merged.positions.update(positions)
        one = Document(positions=positions)
        spec = _validate(one, data)
        for account_id, account in spec.accounts.items():
            _merge(merged, account_id, account, one.where("accounts", account_id))
    return merged


def _parse(name: str, text: str) -> tuple[Any, dict[KeyPath, str]]:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        tree = YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
        problem = " ".join(str(exc.problem or exc.context or "invalid YAML").split())
        raise errors.UsageError(f"{where}: {problem}", param="--file") from None
    except YAMLError as exc:
        raise errors.UsageError(f"{name}: {exc}", param="--file") from None
    positions: dict[KeyPath, str] = {(): f"{name}:1:1"}
    return _plain(tree, (), name, positions), positions


def _plain(node: Any, path: KeyPath, name: str, positions: dict[KeyPath, str]) -> Any:
    """ruamel's tree as dicts, lists and scalars, noting where each key was written."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedMap):
        out = {}
        for key, value in node.items():
            line, column = node.lc.key(key)
            positions[(*path, key)] = f"{name}:{line + 1}:{column + 1}"
            out[key] = _plain(value, (*path, key), name, positions)
        return out
    if isinstance(node, CommentedSeq):
        items = []
        for index, value in enumerate(node):
            line, column = node.lc.item(index)
            positions[(*path, index)] = f"{name}:{line + 1}:{column + 1}"
            items.append(_plain(value, (*path, index), name, positions))
        return items
    if isinstance(node, datetime):
        # YAML reads an unquoted time as a timestamp; the model wants it with its offset.
        return node.isoformat() if node.tzinfo is not None else node.replace(tzinfo=None)
    if isinstance(node, str):
        return str(node)  # ruamel's scalar string types
    return node


def _validate(document: Document, data: Any) -> AccountFile:
    from pydantic import ValidationError

    from chathq_cli.api.account_file import AccountFile

    if not isinstance(data, dict):
        raise document.fail((), "the file must be a mapping with `version` and `accounts`")
    try:
        return AccountFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        loc = tuple(first["loc"])
        # A union (str | bool) reports the branch as the last part of the path: not a key.
        while loc and loc[-1] in ("str", "bool") and loc[:-1] in document.positions:
            loc = loc[:-1]
        problem = {
            "extra_forbidden": "unknown key",
            "missing": "is required",
        }.get(first["type"], first["msg"].removeprefix("Value error, "))
        if first["type"] == "string_pattern_mismatch" and loc[:1] == ("accounts",):
            problem = "is not an account ID (acct_...)" if len(loc) <= 3 else "is not a type name"
        raise document.fail(loc, problem) from None


def _merge(merged: Document, account_id: str, account: AccountSpec, where: str) -> None:
    from chathq_cli.api.account_file import AccountSpec

    target = merged.accounts.setdefault(account_id, AccountSpec())
    for section in account.managed():
        earlier = merged.origins.get((account_id, section))
        here = merged.where("accounts", account_id, section)
        if earlier is not None:
            raise errors.UsageError(
                f"{here}: accounts.{account_id}.{section}: also written at {earlier}; "
                "a section of an account belongs in one file",
                param="--file",
            )
        merged.origins[(account_id, section)] = here
        setattr(target, section, getattr(account, section))


# --- what only the API knows ----------------------------------------------------------------


@dataclass(frozen=True)
class SettingRule:
    """One setting of an integration type, from the catalogue (GET /v1/integration_types)."""

    type: str  # rules.SettingType
    required: bool = False
    choices: tuple[str, ...] = ()

    @property
    def secret(self) -> bool:
        return self.type == "secret"


Catalog = Mapping[str, Mapping[str, SettingRule]]


def check_against(
    document: Document, catalog: Catalog, account_exists: Callable[[str], bool]
) -> None:
    """Unknown accounts, integration types and settings, literal secrets, wrong setting
    values: UsageError at the key, in file order."""
    for account_id, account in document.accounts.items():
        if not account_exists(account_id):
            raise document.fail(
                ("accounts", account_id), "no such account (or not one you can manage)"
            )
        for kind, spec in (account.integrations or {}).items():
            path: KeyPath = ("accounts", account_id, "integrations", kind)
            rules = catalog.get(kind)
            if rules is None:
                known = ", ".join(sorted(catalog))
                raise document.fail(path, f"unknown integration type (known: {known})")
            for setting, value in spec.settings.items():
                _check_setting(document, (*path, "settings", setting), kind, rules, value)
            for setting, rule in rules.items():
                if rule.required and setting not in spec.settings:
                    raise document.fail((*path, "settings"), f"{setting}: is required for {kind}")


def _check_setting(
    document: Document, path: KeyPath, kind: str, rules: Mapping[str, SettingRule], value: object
) -> None:
    setting = path[-1]
    rule = rules.get(setting)
    if rule is None:
        raise document.fail(path, f"not a setting of {kind} (settings: {', '.join(rules)})")
    if rule.secret:
        if secret_reference(value) is None:
            variable = env_name(kind, setting)
            raise document.fail(
                path,
                f"is a secret: write it as ${{{variable}}} and set {variable} in the "
                "environment; a secret value never goes into the file",
            )
        return
    if rule.type == "bool" and not isinstance(value, bool):
        raise document.fail(path, "must be true or false")
    if rule.type != "bool" and not isinstance(value, str):
        raise document.fail(path, "must be a string")
    if rule.choices and value not in rule.choices:
        raise document.fail(path, "must be one of " + ", ".join(rule.choices))


def json_schema() -> dict[str, Any]:
    """The JSON Schema of an account file, for editors (docs/portal-config.schema.json)."""
    from chathq_cli.api.account_file import json_schema as schema

    return schema()


def env_name(kind: str, setting: str) -> str:
    """The variable `portal export` writes for a secret setting: slack bot_token ->
    SLACK_BOT_TOKEN."""
    return f"{kind}_{setting}".upper()


def catalog_of(types: Iterable[Any]) -> dict[str, dict[str, SettingRule]]:
    """The catalogue from the API's integration types (objects with `id` and
    `settings_schema`)."""
    return {
        kind.id: {
            f.name: SettingRule(f.type, f.required, tuple(f.choices or ()))
            for f in kind.settings_schema
        }
        for kind in types
    }


__all__ = ["SECTIONS", "Document", "SettingRule", "catalog_of", "check_against", "load"]
