"""Rendering and configuration safety.

* every HTML renderer escapes article text and speaker names (no element or event-handler
  attribute from an article ever reaches the output);
* user data files are read with ``yaml.safe_load`` (Python tags refused) and validated with
  errors that name the file, the entry and the fix;
* the package has no eval/exec/pickle/unsafe YAML/downloads, writes nothing outside
  ``--out``, and file names derived from inputs are sanitised.
"""

from __future__ import annotations

import importlib
import json
import re
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

import analysis
from analysis.lexicons import LexiconError
from analysis.result import safe_name

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "analysis"

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)",
    "<svg/onload=alert(1)>",
    "</textarea><iframe src=javascript:alert(1)>",
    "<style>body{display:none}</style>",
]
HOSTILE_TEXT = (
    "Hostile Headline <script>alert(1)</script>\n\n"
    "The minister said “<img src=x onerror=alert(1)> is void” on Monday, "
    "and Iran said “we <b>will</b> help \" onmouseover=\"alert(1)”.\n\n"
    "“<a href=\"javascript:alert(1)\">Desperate</a> times,” said the ambassador. "
    "Iraq is a <svg/onload=alert(1)> sponsor of terrorism, he said.\n"
)
BAD_TAGS = {"script", "img", "iframe", "svg", "a", "object", "embed", "textarea",
            "form", "input", "link", "meta", "base"}


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))


def assert_inert(html_out: str, *, allowed: set[str] | None = None) -> None:
    """No element, event handler or javascript: URL in ``html_out`` came from the article."""
    parser = _Elements()
    parser.feed(html_out)
    parser.close()
    allowed = allowed or set()
    for tag, attrs in parser.tags:
        assert tag not in BAD_TAGS - allowed, (tag, attrs)
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name, value)
            if name in ("href", "src", "action", "formaction", "xlink:href", "style"):
                assert "javascript:" not in (value or "").lower(), (tag, name, value)
    low = html_out.lower()
    assert "<script" not in low and "<img" not in low and "<svg" not in low
    # ("onerror=" may appear as escaped text or inside a quoted title: the parsed
    # attributes above are what a browser would run)


@pytest.fixture(scope="module")
def hostile_result():
    res = analysis.analyze(text=HOSTILE_TEXT)
    assert res.text == HOSTILE_TEXT
    return res


def _with_hostile_speakers(res):
    """The same result with every speaker/affiliation/voice replaced by a payload."""
    import copy

    out = copy.copy(res)
    q = res.quotes.copy()
    if len(q):
        q["speaker"] = [PAYLOADS[i % len(PAYLOADS)] for i in range(len(q))]
        q["affiliation"] = [PAYLOADS[(i + 1) % len(PAYLOADS)] for i in range(len(q))]
    out.quotes = q
    s = res.sentences.copy()
    if len(s):
        s.loc[s.index[:1], "voice"] = PAYLOADS[1]
    out.sentences = s
    return out


# --------------------------------------------------------------------------- rendering
def test_kwic_html_escapes_article_text(hostile_result):
    from analysis.framing import kwic, kwic_html

    for term in ("void", "desperate", "sponsor of terrorism"):
        df = kwic(hostile_result, term)
        out = kwic_html(df, caption=PAYLOADS[0] + PAYLOADS[1])
        assert_inert(out, allowed=set())
    import pandas as pd

    df = pd.DataFrame([{"doc_id": p, "voice": p, "left": p, "match": p, "right": p}
                       for p in PAYLOADS])
    out = kwic_html(df, caption=PAYLOADS[3])
    assert_inert(out)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out


def test_highlight_html_escapes_text_names_and_tooltips(hostile_result):
    explore = pytest.importorskip("analysis.explore")
    if not hasattr(explore, "highlight_html"):
        pytest.skip("analysis.explore.highlight_html not present yet")
    out = explore.highlight_html(hostile_result)
    assert_inert(out)
    assert "&lt;script&gt;" in out and "&lt;img src=x onerror=alert(1)&gt;" in out
    assert "&lt;b&gt;will&lt;/b&gt;" in out
    out = explore.highlight_html(_with_hostile_speakers(hostile_result))
    assert_inert(out)
    for kind, item in (("speaker", PAYLOADS[0]), ("term", "void"), ("actor", "Iran")):
        try:
            out = explore.highlight_html(_with_hostile_speakers(hostile_result),
                                         focus=(kind, item))
        except (ValueError, KeyError):
            continue
        assert_inert(out)


def test_explore_item_html_and_markdown_escape(hostile_result):
    explore = pytest.importorskip("analysis.explore")
    if hasattr(explore, "md_escape"):
        for p in PAYLOADS:
            assert "<" not in explore.md_escape(p)
    if hasattr(explore, "item_html"):
        for kind, item in (("term", "void"), ("actor", "Iran")):
            try:
                out = explore.item_html(hostile_result, kind, item)
            except (ValueError, KeyError):
                continue
            assert_inert(out)


def test_report_provenance_escapes_hostile_input_names(tmp_path):
    report = pytest.importorskip("analysis.report")
    if not hasattr(report, "_provenance_html"):
        pytest.skip("report provenance not present")
    name = tmp_path / '<img src=x onerror=alert(1)>" onmouseover="x.txt'
    name.write_text(HOSTILE_TEXT, encoding="utf-8")
    out = report._provenance_html(report.provenance([str(name)], run_date="<script>x</script>"))
    assert_inert(out)
    stem = report._report_name([str(name)])
    assert "/" not in stem and "<" not in stem and '"' not in stem and not stem.startswith(".")


def test_summary_and_json_do_not_interpret_markup(hostile_result):
    from analysis.summary import summary_text

    text = summary_text(hostile_result)
    assert isinstance(text, str)
    data = json.loads(hostile_result.to_json())
    assert data["documents"][0]["text"] == HOSTILE_TEXT  # kept verbatim, as data


# --------------------------------------------------------------------------- configuration
PYTHON_TAG = "version: 1\n{key}:\n  - !!python/object/apply:os.system ['echo pwned > {marker}']\n"
LOADERS = {
    # name: (list key, call(path))
    "boilerplate": ("patterns", lambda p: importlib.import_module("analysis.clean")
                    .load_patterns((str(p),))),
    "abbreviations": ("entries", lambda p: importlib.import_module("analysis.segment")
                      .sentence_splitter((str(p),))),
    "frames": ("frames", lambda p: importlib.import_module("analysis.framing")
               .load_frames([p])),
    "actors": ("actors", lambda p: importlib.import_module("analysis.actors")
               .load_gazetteer([p])),
    "cues": ("cues", lambda p: importlib.import_module("analysis.quotes").load_cues([p])),
    "sentiment": ("entries", lambda p: importlib.import_module("analysis.sentiment")
                  .get_scorer("news", (str(p),))),
    "stance": ("cues", lambda p: importlib.import_module("analysis.stance")
               .load_stance_cues((str(p),))),
}


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_python_yaml_tags_are_refused(name, tmp_path):
    key, call = LOADERS[name]
    marker = tmp_path / "pwned"
    path = tmp_path / f"evil-{name}.yaml"
    path.write_text(PYTHON_TAG.format(key=key, marker=marker), encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        call(path)
    assert str(path) in str(info.value) or path.name in str(info.value)
    assert not marker.exists()


@pytest.mark.parametrize("name", sorted(LOADERS))
@pytest.mark.parametrize("body, fragment", [
    ("version: 1\n{key}:\n  - 42\n", "entry 1"),
    ("version: 1\n{key}:\n  - {{nonsense_field: 1}}\n", "entry 1"),
    ("version: one\n{key}: []\n", "version"),
    ("version: 1\nnot_the_key: []\n", "{key}"),
    ("version: 1\n{key}: [unclosed\n", "invalid YAML"),
    ("[just, a, list]\n", "mapping"),
])
def test_invalid_user_files_name_file_entry_and_fix(name, body, fragment, tmp_path):
    key, call = LOADERS[name]
    path = tmp_path / f"bad-{name}.yaml"
    path.write_text(body.format(key=key), encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        call(path)
    msg = str(info.value)
    assert path.name in msg, msg
    assert fragment.format(key=key) in msg, msg
    assert "Fix:" in msg, msg
    assert "\n" not in msg.strip(), msg


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_yaml_alias_bomb_is_rejected_fast(name, tmp_path):
    key, call = LOADERS[name]
    lines = ["version: 1", 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    lines.append(f"{key}: [*a8]")
    path = tmp_path / f"bomb-{name}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    t0 = time.perf_counter()
    with pytest.raises(LexiconError):
        call(path)
    assert time.perf_counter() - t0 < 10


def test_user_file_in_cli_is_one_line_exit_2(tmp_path, capsys):
    from analysis.cli import main

    evil = tmp_path / "evil.yaml"
    evil.write_text(PYTHON_TAG.format(key="frames", marker=tmp_path / "x"), encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text(HOSTILE_TEXT, encoding="utf-8")
    assert main(["analyze", str(article), "--frames", str(evil), "--jobs", "1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("discourse: error: ") and "evil.yaml" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


# --------------------------------------------------------------------------- source hygiene
FORBIDDEN = [
    (r"(?<![\w.])eval\(", "eval("),
    (r"(?<![\w.])exec\(", "exec("),
    (r"\bpickle\b|\bcPickle\b|\bdill\b|\bmarshal\.loads", "pickle"),
    (r"yaml\.load\((?![^)]*SafeLoader)", "yaml.load( without SafeLoader"),
    (r"yaml\.(?:unsafe_load|full_load|load_all)\(|Loader=yaml\.(?:Full|Unsafe)?Loader\b",
     "unsafe yaml loader"),
    (r"nltk\.download\(", "nltk.download("),
    (r"shell\s*=\s*True", "subprocess with shell=True"),
    (r"\bos\.system\(|\bos\.popen\(", "os.system/os.popen"),
    (r"__import__\(", "__import__("),
]


@pytest.mark.parametrize("pattern, what", FORBIDDEN, ids=[w for _, w in FORBIDDEN])
def test_package_source_has_no_dangerous_calls(pattern, what):
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if re.search(pattern, code):
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not offenders, f"{what}: " + "; ".join(offenders)


def test_no_writes_outside_out(tmp_path, monkeypatch, capsys):
    from analysis.cli import main

    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    (inputs / "b.jsonl").write_text(json.dumps({"id": "../../etc/passwd",
                                                "title": "a/b\\c", "text": HOSTILE_TEXT})
                                    + "\n", encoding="utf-8")
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    before_inputs = sorted(p.name for p in inputs.rglob("*"))
    out = tmp_path / "results"
    assert main(["analyze", str(inputs), "--out", str(out), "--format", "json",
                 "--jobs", "1"]) == 0
    capsys.readouterr()
    assert list(work.iterdir()) == []  # nothing in the working directory
    assert sorted(p.name for p in inputs.rglob("*")) == before_inputs
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cwd", "in", "results"]
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    assert all("/" not in w for w in written) and "analysis.json" in written
    assert not (tmp_path / "etc").exists() and not Path("/etc/passwd.csv").exists()


@pytest.mark.parametrize("raw", [
    "../../etc/passwd", "..", ".", "/abs/path", "a/b\\c", "C:\\Windows\\system32",
    "name\x00with-nul", "  spaced  out  ", "…", "", ".hidden", "x" * 1000,
    "con", "report<script>", "title: “quoted” / slashed",
])
def test_safe_name_has_no_traversal(raw):
    name = safe_name(raw)
    assert name and len(name) <= 120
    assert "/" not in name and "\\" not in name and "\x00" not in name
    assert not name.startswith(".") and name not in (".", "..")
    assert re.fullmatch(r"[A-Za-z0-9._-]+", name), name
    assert (Path("/tmp/outdir") / f"{name}.csv").resolve().parent == Path("/tmp/outdir")
