"""Reading articles into :class:`Document` objects, losing nothing and never crashing.

Supported inputs: ``.txt``/``.md`` (and other plain text), ``.html``/``.htm`` (scripts,
styles, navigation and forms never become text), ``.csv`` and ``.jsonl`` corpora (one
document per row; text column and id column configurable, other columns kept as metadata),
folders (recursively, sorted) and ``-`` for standard input.

Decoding order: UTF-8 with BOM, UTF-8, then cp1252, then latin-1; each fallback is recorded
as a warning on the document. Folders are walked once per real folder (symbolic-link loops
are not followed twice); FIFOs, sockets and devices found in a folder are reported, not read
(reading one would block). HTML extraction is linear even on tag soup (``<a <a <a ...``). Problems with one file or one corpus row become an ``errors``
record and never stop the rest; only a path that does not exist at all raises
:class:`LoadError` (the CLI turns it into a one-line message and exit code 2).
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser, locatestarttagend_tolerant  # type: ignore[attr-defined]
from pathlib import Path
from typing import Any, BinaryIO

__all__ = [
    "Document",
    "LoadError",
    "LoadFailure",
    "iter_documents",
    "load",
    "decode_bytes",
    "html_to_text",
    "DEFAULT_MAX_BYTES",
    "TEXT_SUFFIXES",
]

DEFAULT_MAX_BYTES = 20_000_000
"""Largest single document (in bytes of input) analysed by default; see ``max_bytes``."""

TEXT_SUFFIXES = {".txt", ".md", ".text", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
CORPUS_SUFFIXES = {".csv", ".jsonl", ".ndjson"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | CORPUS_SUFFIXES


class LoadError(Exception):
    """An input that cannot be read at all (missing path, unreadable folder)."""


@dataclass
class Document:
    """One article: its identity, decoded text and what happened while reading it.

    Attributes
    ----------
    doc_id : str
        Stable identifier (file stem, or ``<corpus stem>:<row id>``).
    source : str
        Where it came from (path, ``path#line`` for corpus rows, ``<stdin>``, ``<text>``).
    text : str
        The decoded text; every offset in the analysis points into it.
    encoding : str
        ``utf-8``, ``utf-8-sig``, ``cp1252``, ``latin-1`` or ``str`` (given as text).
    title : str or None
        Title from metadata or HTML ``<title>``; the structure stage may fill it from the headline.
    meta : dict
        Other corpus columns (outlet, date, ...), JSON-safe values.
    warnings : list of str
        Recorded, non-fatal problems (encoding fallback, removed HTML elements, ...).
    """

    doc_id: str
    source: str
    text: str
    encoding: str = "utf-8"
    title: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def from_text(cls, text: str, *, doc_id: str = "text", source: str = "<text>",
                  **fields: Any) -> Document:
        """A document given directly as a string, with the warnings a file would get
        (empty text, control characters)."""
        return cls(doc_id=doc_id, source=source, text=text, encoding="str",
                   warnings=_text_warnings(text), **fields)


@dataclass
class LoadFailure:
    """A document (file or corpus row) that could not be loaded; becomes an ``errors`` row."""

    source: str
    error: str


# --------------------------------------------------------------------------- decoding
_MAGIC = (b"\x89PNG", b"%PDF", b"PK\x03\x04", b"\x1f\x8b", b"\x7fELF", b"\xff\xd8\xff",
          b"GIF8", b"BZh", b"\xfd7zXZ", b"7z\xbc\xaf", b"MZ", b"\x00\x00\x01\x00")


_TEXTLIKE_MAGIC = (b"MZ", b"BZh", b"GIF8", b"%PDF")


def _has_controls(raw: bytes) -> bool:
    return any(b < 32 and b not in (9, 10, 12, 13, 27) for b in raw)


def _looks_binary(raw: bytes) -> bool:
    """Known binary signatures, or more NUL/control bytes than any real text has."""
    head = raw[:8192]
    if not head:
        return False
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 text; handled by decode_bytes
    if head.startswith(_MAGIC):
        # "MZ", "BZh", "GIF8" and "%PDF" are also how a text may begin: binary files have
        # NUL or control bytes right after their signature.
        return not head.startswith(_TEXTLIKE_MAGIC) or _has_controls(head[:1024])
    # A few stray NULs or control characters in text are tolerated (and warned about),
    # even in a short text; random bytes have ~0.4 % NULs and ~10 % control bytes.
    if head.count(b"\x00") > max(4, len(head) // 100):
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > max(8, len(head) // 16)


def decode_bytes(raw: bytes) -> tuple[str, str, list[str]]:
    """Decode ``raw`` as UTF-8 (with or without BOM), else cp1252, else latin-1.

    Returns
    -------
    text, encoding, warnings
    """
    warnings: list[str] = []
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8"), "utf-8-sig", ["UTF-8 byte-order mark removed"]
        except UnicodeDecodeError:
            raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16", ["decoded as UTF-16 (byte-order mark)"]
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8"), "utf-8", warnings
    except UnicodeDecodeError as exc:
        where = exc.start
    try:
        text = raw.decode("cp1252")
        warnings.append(f"not valid UTF-8 (byte {where}); decoded as cp1252")
        return text, "cp1252", warnings
    except UnicodeDecodeError:
        warnings.append(f"not valid UTF-8 (byte {where}) nor cp1252; decoded as latin-1")
        return raw.decode("latin-1"), "latin-1", warnings


def _text_warnings(text: str) -> list[str]:
    out = []
    if not text.strip():
        out.append("empty document: no text to analyse")
    n_ctrl = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    if n_ctrl:
        out.append(f"{n_ctrl} control character(s) (e.g. NUL) kept in the text")
    return out


# --------------------------------------------------------------------------- HTML
_SKIP_TAGS = {
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside",
    "form", "iframe", "svg", "canvas", "button", "select", "textarea", "head", "object",
}
_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "br", "li", "ul", "ol", "h1", "h2", "h3",
    "h4", "h5", "h6", "blockquote", "pre", "table", "tr", "td", "th", "figure",
    "figcaption", "hr", "dd", "dt", "dl", "address", "body",
}
_VOID_TAGS = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed",
              "source", "track", "wbr", "param"}


class _TextExtractor(HTMLParser):
    """Collect readable text; count what was skipped so it can be reported."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[list[str]] = [[]]
        self.skip_depth = 0
        self.skip_stack: list[str] = []
        self.removed: dict[str, int] = {}
        self.title: str | None = None
        self._in_title = False
        self._title_parts: list[str] = []
        # memo of the last unfinished start tag (see check_for_whole_start_tag)
        self._soup: tuple[int, int] = (-1, -1)

    def check_for_whole_start_tag(self, i: int) -> int:  # type: ignore[override]
        """As HTMLParser's, but linear on tag soup such as ``<a <a <a ...``.

        html.parser scans an unfinished start tag to the end of the "attribute soup"; every
        ``<`` inside that soup would be scanned again, which is quadratic. A ``<`` inside
        the soup of an unfinished tag is treated as unfinished too (it becomes text).
        """
        data_id, soup_end = self._soup
        if data_id == id(self.rawdata) and i < soup_end:
            return -1
        j = super().check_for_whole_start_tag(i)
        if j < 0:
            m = locatestarttagend_tolerant.match(self.rawdata, i)
            self._soup = (id(self.rawdata), m.end() if m else i)
        return j

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        if tag in _SKIP_TAGS and tag not in _VOID_TAGS:
            if self.skip_depth == 0:
                self.removed[tag] = self.removed.get(tag, 0) + 1
            self.skip_depth += 1
            self.skip_stack.append(tag)
            return
        if tag in _BLOCK_TAGS and self.skip_depth == 0:
            self.blocks.append([])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS and self.skip_depth == 0:
            self.blocks.append([])

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
            self.title = " ".join("".join(self._title_parts).split()) or None
        if self.skip_stack and tag in _SKIP_TAGS:
            # close up to the matching tag (tolerates unclosed inner elements)
            if tag in self.skip_stack:
                while self.skip_stack:
                    self.skip_depth -= 1
                    if self.skip_stack.pop() == tag:
                        break
            return
        if tag in _BLOCK_TAGS and self.skip_depth == 0:
            self.blocks.append([])

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title_parts.append(data)
            return
        if self.skip_depth == 0:
            self.blocks[-1].append(data)

    def text(self) -> str:
        paragraphs = []
        for parts in self.blocks:
            para = " ".join("".join(parts).split())
            if para:
                paragraphs.append(para)
        return "\n\n".join(paragraphs) + ("\n" if paragraphs else "")


def html_to_text(markup: str) -> tuple[str, str | None, list[str]]:
    """Readable text of an HTML page: one paragraph per block element.

    Script, style, navigation, header/footer, aside, form and similar elements are dropped
    (they are page furniture, not article text) and counted in a warning.

    Returns
    -------
    text, title, warnings
    """
    parser = _TextExtractor()
    # After the last ">" no tag can be complete; html.parser would rescan to the end for
    # every "<" there (quadratic), so those become plain "&lt;" (the text is unchanged).
    last = markup.rfind(">")
    if markup.find("<", last + 1) >= 0:
        markup = markup[:last + 1] + markup[last + 1:].replace("<", "&lt;")
    try:
        parser.feed(markup)
        parser.close()
    except Exception as exc:  # html.parser is lenient; this is a last resort
        return "", None, [f"HTML could not be parsed ({exc.__class__.__name__})"]
    warnings = []
    if parser.removed:
        what = ", ".join(f"{n} {tag}" for tag, n in sorted(parser.removed.items()))
        warnings.append(f"HTML elements not treated as text: {what}")
    title = html.unescape(parser.title) if parser.title else None
    return parser.text(), title, warnings


# --------------------------------------------------------------------------- files
def _too_big(size: int, max_bytes: int) -> str:
    return (f"{size:,} bytes is larger than the limit of {max_bytes:,} "
            "(raise it with --max-bytes / max_bytes=)")


def _read_limited(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file, or of a pipe given explicitly (``<(cmd)``), never more
    than ``max_bytes`` (a ValueError past it)."""
    st = path.stat()
    if stat.S_ISREG(st.st_mode):
        if st.st_size > max_bytes:
            raise ValueError(_too_big(st.st_size, max_bytes))
        return path.read_bytes()
    with path.open("rb") as fh:  # FIFO / character device named on the command line
        raw = fh.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise ValueError(_too_big(len(raw), max_bytes) + " (read so far)")
    return raw


def _doc_from_bytes(raw: bytes, *, doc_id: str, source: str, is_html: bool,
                    max_bytes: int) -> Document | LoadFailure:
    if len(raw) > max_bytes:
        return LoadFailure(source, f"{len(raw):,} bytes is larger than the limit of "
                                   f"{max_bytes:,} (raise it with --max-bytes / max_bytes=)")
    if _looks_binary(raw):
        return LoadFailure(source, "binary file, not text (skipped)")
    text, encoding, warnings = decode_bytes(raw)
    title = None
    if is_html or (not is_html and re.match(r"\s*<(!doctype\s+html|html)\b", text[:200], re.I)):
        text, title, more = html_to_text(text)
        warnings += more
    warnings += _text_warnings(text)
    return Document(doc_id=doc_id, source=source, text=text, encoding=encoding, title=title,
                    warnings=warnings)


def _unique_id(base: str, seen: dict[str, int]) -> str:
    n = seen.get(base, 0)
    seen[base] = n + 1
    return base if n == 0 else f"{base}-{n + 1}"


def _corpus_rows(path: Path, raw: bytes, *, text_column: str, id_column: str | None,
                 title_column: str, max_bytes: int) -> Iterator[Document | LoadFailure]:
    text, encoding, enc_warnings = decode_bytes(raw)
    stem = path.stem
    if path.suffix.lower() == ".csv":
        yield from _csv_rows(path, stem, text, encoding, enc_warnings, text_column=text_column,
                             id_column=id_column, title_column=title_column, max_bytes=max_bytes)
    else:
        yield from _jsonl_rows(path, stem, text, encoding, enc_warnings, text_column=text_column,
                               id_column=id_column, title_column=title_column,
                               max_bytes=max_bytes)


def _row_document(row: dict[str, Any], *, stem: str, line: int, path: Path, encoding: str,
                  enc_warnings: list[str], text_column: str, id_column: str | None,
                  title_column: str, max_bytes: int) -> Document | LoadFailure:
    source = f"{path}#{line}"
    if text_column not in row:
        return LoadFailure(source, f"line {line}: no '{text_column}' column/field "
                                   "(choose one with --text-column)")
    body = row[text_column]
    if not isinstance(body, str):
        return LoadFailure(source, f"line {line}: '{text_column}' is not a string")
    if len(body.encode("utf-8", "surrogatepass")) > max_bytes:
        return LoadFailure(source, f"line {line}: text larger than the limit of {max_bytes:,} "
                                   "bytes (raise it with --max-bytes)")
    rid = row.get(id_column) if id_column else None
    rid = str(rid) if rid not in (None, "") else str(line)
    title = row.get(title_column)
    meta = {k: v for k, v in row.items()
            if k not in (text_column, title_column) and k != id_column
            and (v is None or isinstance(v, (str, int, float, bool)))}
    return Document(doc_id=f"{stem}:{rid}", source=source, text=body, encoding=encoding,
                    title=str(title) if title not in (None, "") else None, meta=meta,
                    warnings=list(enc_warnings) + _text_warnings(body))


def _csv_rows(path: Path, stem: str, text: str, encoding: str, enc_warnings: list[str],
              **opts: Any) -> Iterator[Document | LoadFailure]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        yield LoadFailure(str(path), "empty CSV file (no header row)")
        return
    except csv.Error as exc:
        yield LoadFailure(str(path), f"line 1: malformed CSV header ({exc})")
        return
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield LoadFailure(f"{path}#{reader.line_num}",
                              f"line {reader.line_num}: malformed CSV row ({exc})")
            continue
        line = reader.line_num
        if not values:
            continue
        if len(values) != len(header):
            yield LoadFailure(f"{path}#{line}",
                              f"line {line}: {len(values)} fields where the header has "
                              f"{len(header)} (check quoting)")
            continue
        yield _row_document(dict(zip(header, values, strict=True)), stem=stem, line=line,
                            path=path, encoding=encoding, enc_warnings=enc_warnings, **opts)


def _jsonl_rows(path: Path, stem: str, text: str, encoding: str, enc_warnings: list[str],
                **opts: Any) -> Iterator[Document | LoadFailure]:
    # Only "\n" ends a JSON Lines record: str.splitlines() would also split at U+2028,
    # U+0085, \x1c-\x1e ..., which JSON allows raw inside strings (losing good rows).
    for line_no, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            yield LoadFailure(f"{path}#{line_no}", f"line {line_no}: invalid JSON ({exc.msg})")
            continue
        if not isinstance(row, dict):
            yield LoadFailure(f"{path}#{line_no}", f"line {line_no}: not a JSON object")
            continue
        yield _row_document(row, stem=stem, line=line_no, path=path, encoding=encoding,
                            enc_warnings=enc_warnings, **opts)


def _walk(folder: Path, visited: set[Path] | None = None) -> Iterator[Path]:
    """Supported files under ``folder`` (sorted, hidden skipped). A folder reached twice
    through symbolic links is walked once; an unlistable sub-folder is yielded itself (the
    caller reports it)."""
    visited = set() if visited is None else visited
    try:
        real = folder.resolve()
    except (OSError, RuntimeError):
        real = folder
    if real in visited:
        return
    visited.add(real)
    try:
        children = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        raise LoadError(f"{folder}: cannot list folder ({exc.strerror})") from None
    for child in children:
        if child.name.startswith("."):
            continue
        try:
            is_dir = child.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            try:
                yield from _walk(child, visited)
            except LoadError:
                yield child  # reported as a failure by the caller
        elif child.suffix.lower() in SUPPORTED_SUFFIXES:
            yield child


def _load_file(path: Path, *, seen: dict[str, int], text_column: str, id_column: str | None,
               title_column: str, max_bytes: int,
               explicit: bool = False) -> Iterator[Document | LoadFailure]:
    source = str(path)
    if path.is_dir():
        yield LoadFailure(source, "cannot list folder (permission denied?)")
        return
    if not explicit:
        try:
            regular = stat.S_ISREG(path.stat().st_mode)
        except OSError as exc:
            yield LoadFailure(source, f"cannot read ({exc.strerror or exc.__class__.__name__})")
            return
        if not regular:  # reading a FIFO found in a folder would block forever
            yield LoadFailure(source, "not a regular file (FIFO, socket or device): skipped")
            return
    try:
        raw = _read_limited(path, max_bytes if path.suffix.lower() not in CORPUS_SUFFIXES
                            else max(max_bytes, 10 * 2**30))
    except ValueError as exc:
        yield LoadFailure(source, str(exc))
        return
    except OSError as exc:
        yield LoadFailure(source, f"cannot read ({exc.strerror or exc.__class__.__name__})")
        return
    suffix = path.suffix.lower()
    if suffix in CORPUS_SUFFIXES:
        if _looks_binary(raw):
            yield LoadFailure(source, "binary file, not a text corpus (skipped)")
            return
        for item in _corpus_rows(path, raw, text_column=text_column, id_column=id_column,
                                 title_column=title_column, max_bytes=max_bytes):
            if isinstance(item, Document):
                item.doc_id = _unique_id(item.doc_id, seen)
            yield item
        return
    doc_id = _unique_id(path.stem or path.name, seen)
    yield _doc_from_bytes(raw, doc_id=doc_id, source=source, is_html=suffix in HTML_SUFFIXES,
                          max_bytes=max_bytes)


def iter_documents(
    sources: Iterable[str | Path] | str | Path,
    *,
    text_column: str = "text",
    id_column: str | None = "id",
    title_column: str = "title",
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: BinaryIO | None = None,
) -> Iterator[Document | LoadFailure]:
    """Stream documents (and failures) from paths, folders, corpora and ``-`` (stdin).

    Parameters
    ----------
    sources : path or iterable of paths
        Files, folders (walked recursively, sorted by name; hidden files skipped) or ``-``.
    text_column, id_column, title_column : str
        Column / field names in CSV and JSONL corpora. Other columns become metadata.
    max_bytes : int
        Documents larger than this are reported as failures instead of being analysed.
    stdin : binary file, optional
        Stream read for ``-`` (defaults to ``sys.stdin.buffer``).

    Yields
    ------
    Document or LoadFailure
        In input order. A failure never stops the stream.

    Raises
    ------
    LoadError
        A path that does not exist (checked for every source before anything is yielded).
    """
    if isinstance(sources, (str, Path)):
        sources = [sources]
    sources = list(sources)
    for src in sources:
        if str(src) != "-" and not Path(src).exists():
            raise LoadError(f"{src}: no such file or folder")
    seen: dict[str, int] = {}
    opts = dict(text_column=text_column, id_column=id_column, title_column=title_column,
                max_bytes=max_bytes)
    for src in sources:
        if str(src) == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            raw = stream.read(max_bytes + 1)
            yield _doc_from_bytes(raw, doc_id=_unique_id("stdin", seen), source="<stdin>",
                                  is_html=False, max_bytes=max_bytes)
            continue
        path = Path(src)
        if path.is_dir():
            for child in _walk(path):
                yield from _load_file(child, seen=seen, **opts)
        else:
            yield from _load_file(path, seen=seen, explicit=True, **opts)


def load(
    sources: Iterable[str | Path] | str | Path,
    **options: Any,
) -> tuple[list[Document], list[LoadFailure]]:
    """Read everything at once: ``(documents, failures)``. See :func:`iter_documents`."""
    docs: list[Document] = []
    failures: list[LoadFailure] = []
    for item in iter_documents(sources, **options):
        (docs if isinstance(item, Document) else failures).append(item)
    return docs, failures
