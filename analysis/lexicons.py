"""Safe loading and validation of the toolkit's data files (word lists, gazetteers, patterns).

Every list the rules use — speech verbs, actor aliases, framing terms, stance cues,
abbreviations, boilerplate patterns — lives in a versioned YAML file under
``analysis/data/``. Users extend a list by passing their own file(s) in the same shape.

File shape (all data files)::

    version: 1                      # integer, bumped when the list changes meaning
    description: one line           # optional
    <key>:                          # the list, e.g. ``entries``, ``actors``, ``frames``
      - {...}                       # one mapping per entry

Errors are :class:`LexiconError` (a ``ValueError``) whose message names the file, the line,
the entry and the fix, e.g.::

    my_actors.yaml:12: entry 3 ('Iran'): field 'aliases' must be a list of strings.
    Fix: write aliases: [Iranian, Tehran].
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "LexiconError",
    "Entry",
    "data_path",
    "read_entries",
    "lexicon_versions",
    "trie_regex",
]

DATA_PACKAGE = "analysis.data"


class LexiconError(ValueError):
    """A data file could not be read or does not follow its schema."""


@dataclass(frozen=True)
class Entry:
    """One validated entry of a data file, with where it came from."""

    fields: dict[str, Any]
    file: str
    line: int

    def __getitem__(self, key: str) -> Any:
        return self.fields[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.fields.get(key, default)


def data_path(name: str) -> Path:
    """Path of a packaged data file (``analysis/data/<name>``)."""
    return Path(str(resources.files(DATA_PACKAGE).joinpath(name)))


def _type_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {str: "a string", list: "a list of strings", int: "an integer",
             float: "a number", bool: "true or false", dict: "a mapping"}
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def _check_value(value: Any, kind: type | tuple[type, ...]) -> bool:
    if kind is list:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def _parse(path: Path, label: str) -> tuple[Any, yaml.Node | None]:
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LexiconError(f"{label}: file not found. Fix: check the path.") from None
    except UnicodeDecodeError as exc:
        raise LexiconError(
            f"{label}: not UTF-8 text (byte {exc.start}). Fix: save the file as UTF-8."
        ) from None
    except OSError as exc:
        raise LexiconError(f"{label}: cannot read ({exc.strerror}).") from None
    try:
        # compose keeps line numbers; safe_load gives plain values. Both are safe (no tags
        # that build Python objects).
        node = yaml.compose(raw, Loader=yaml.SafeLoader)
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise LexiconError(
            f"{label}{where}: invalid YAML ({problem}). Fix: check indentation and quoting "
            "on that line; quote values that contain ':' or '#'."
        ) from None
    return data, node


def read_entries(
    source: str | Path,
    *,
    key: str,
    required: Mapping[str, type | tuple[type, ...]],
    optional: Mapping[str, type | tuple[type, ...]] | None = None,
    packaged: bool = False,
) -> list[Entry]:
    """Read and validate the list ``key`` of one data file.

    Parameters
    ----------
    source : str or Path
        A file path, or with ``packaged=True`` the name of a packaged data file.
    key : str
        The top-level key that holds the list of entries.
    required, optional : mapping of field name to type
        The schema of one entry. ``list`` means a list of strings.
    packaged : bool
        Resolve ``source`` inside ``analysis/data``.

    Returns
    -------
    list of Entry
        The entries in file order, each with its file name and line.

    Raises
    ------
    LexiconError
        When the file is missing, is not YAML, or an entry breaks the schema.
    """
    optional = dict(optional or {})
    path = data_path(str(source)) if packaged else Path(source)
    label = path.name if packaged else str(path)
    data, node = _parse(path, label)
    if not isinstance(data, dict):
        raise LexiconError(
            f"{label}:1: the file must be a mapping with 'version' and '{key}'. "
            f"Fix: start the file with 'version: 1' and '{key}:' followed by a list."
        )
    version = data.get("version")
    if not _check_value(version, int):
        raise LexiconError(f"{label}:1: 'version' must be an integer. Fix: add 'version: 1'.")
    items = data.get(key)
    if not isinstance(items, list):
        raise LexiconError(
            f"{label}:1: missing list '{key}'. Fix: add '{key}:' with one '- ...' entry per line."
        )
    item_nodes: list[yaml.Node] = []
    if isinstance(node, yaml.MappingNode):
        for k_node, v_node in node.value:
            if k_node.value == key and isinstance(v_node, yaml.SequenceNode):
                item_nodes = list(v_node.value)
    entries: list[Entry] = []
    allowed = set(required) | set(optional)
    for i, item in enumerate(items):
        line = item_nodes[i].start_mark.line + 1 if i < len(item_nodes) else 1
        if isinstance(item, str) and len(required) == 1:
            # shorthand: a bare string is the single required field
            item = {next(iter(required)): item}
        if not isinstance(item, dict):
            raise LexiconError(
                f"{label}:{line}: entry {i + 1} must be a mapping. "
                f"Fix: write it as '- {{{', '.join(f'{f}: ...' for f in required)}}}'."
            )
        name = next((str(item[f]) for f in required if f in item), "?")
        for field, kind in required.items():
            if field not in item:
                raise LexiconError(
                    f"{label}:{line}: entry {i + 1} ({name!r}) lacks '{field}'. "
                    f"Fix: add '{field}:' ({_type_name(kind)})."
                )
        for field, value in item.items():
            if field not in allowed:
                raise LexiconError(
                    f"{label}:{line}: entry {i + 1} ({name!r}) has unknown field '{field}'. "
                    f"Fix: use one of {', '.join(sorted(allowed))}."
                )
            kind = required.get(field) or optional[field]
            if value is None and field in optional:
                continue
            if not _check_value(value, kind):
                raise LexiconError(
                    f"{label}:{line}: entry {i + 1} ({name!r}): field '{field}' must be "
                    f"{_type_name(kind)}, got {type(value).__name__}. Fix: correct that field."
                )
        entries.append(Entry(fields=dict(item), file=label, line=line))
    return entries


def read_many(
    sources: Iterable[str | Path] | None,
    *,
    default: str,
    key: str,
    required: Mapping[str, type | tuple[type, ...]],
    optional: Mapping[str, type | tuple[type, ...]] | None = None,
    replace: bool = False,
) -> list[Entry]:
    """The packaged file ``default`` followed by the user's files (or only the user's files
    with ``replace=True``)."""
    user = [Path(s) for s in (sources or [])]
    entries: list[Entry] = []
    if not replace or not user:
        entries += read_entries(default, key=key, required=required, optional=optional,
                                packaged=True)
    for path in user:
        entries += read_entries(path, key=key, required=required, optional=optional)
    return entries


def lexicon_versions() -> dict[str, str]:
    """``{file name: "v<version> sha256:<12 hex>"}`` for every packaged data file (provenance)."""
    out: dict[str, str] = {}
    root = resources.files(DATA_PACKAGE)
    for item in sorted(root.iterdir(), key=lambda p: p.name):
        if not item.name.endswith((".yaml", ".yml", ".csv", ".txt")):
            continue
        raw = item.read_bytes()
        version = "?"
        if item.name.endswith((".yaml", ".yml")):
            try:
                version = str((yaml.safe_load(raw) or {}).get("version", "?"))
            except yaml.YAMLError:
                version = "invalid"
        out[item.name] = f"v{version} sha256:{hashlib.sha256(raw).hexdigest()[:12]}"
    return out


def trie_regex(words: Iterable[str]) -> str:
    """One regex alternation for many literal words or phrases, factored as a character
    trie, so the engine follows one path per position instead of trying every word there.

    A space inside a phrase matches any run of whitespace (``\\s+``). Where a word ends
    inside a longer one, the longer is tried first (greedy), as in a longest-first
    alternation.
    """
    trie: dict[str, dict] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        alts = [(r"\s+" if ch == " " else re.escape(ch)) + build(node[ch])
                for ch in sorted(node) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:  # a word ends here: the longer words are tried first
            body = "(?:" + body + ")?" if len(alts) == 1 else body + "?"
        return body

    return build(trie)
