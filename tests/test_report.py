"""The highlighted article, the self-checks and the exported report (escaping, provenance,
determinism, PDF, headless-browser rendering)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from analysis import classroom, explore, report

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "raw" / "iran-offers-iraq-everything-it-needs.txt"
CHROMIUM = report.find_chromium()

HOSTILE = (
    "Ruritania Warns <script>alert(1)</script> Neighbours\n\n"
    "The minister said the border is safe <img src=x onerror=alert(1)> today. "
    "Read <a href=\"javascript:alert(1)\">this</a> now.\n\n"
    "\u201cWe will defend Ruritania <script>alert(2)</script> against any attack,\u201d "
    "said Ana Petrova, the foreign minister of Ruritania.\n\n"
    "Critics called the plan a \"desperate\" gamble with a void at its heart, said "
    "Ben Okafor, a scholar at the Institute.\n\n"
    "\u201cThere is a void in the region. Someone must fill this void,\u201d Okafor added.\n"
)


class _Tags(HTMLParser):
    """Collect every start tag with its attributes and the text of <script> elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def assert_inert(markup: str) -> _Tags:
    parser = _Tags()
    parser.feed(markup)
    for tag, attrs in parser.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name, value)
            assert not (value or "").strip().lower().startswith("javascript:"), (tag, value)
        if tag == "img":
            assert (attrs.get("src") or "").startswith("data:image/"), attrs
    for body in parser.scripts:
        assert "alert(" not in body
    return parser


def fake_result(speaker: str, actor: str, term: str, text: str) -> SimpleNamespace:
    """A minimal Analysis-like object with hostile names."""
    n = len(text)
    return SimpleNamespace(
        documents=pd.DataFrame({"doc_id": ["d"], "text": [text], "n_words": [len(text.split())]}),
        segments=pd.DataFrame({"doc_id": ["d"], "kind": ["body"], "start": [0], "end": [n]}),
        quotes=pd.DataFrame({"doc_id": ["d"], "quote_id": [0], "kind": ["direct"], "start": [0],
                             "end": [min(20, n)], "text": [text[:20]], "speaker": [speaker],
                             "compound": [-0.3], "sent_id": [0]}),
        mentions=pd.DataFrame({"doc_id": ["d"], "actor": [actor], "start": [2], "end": [6],
                               "text": [text[2:6]], "sent_id": [0], "voice": [speaker]}),
        framing=pd.DataFrame({"doc_id": ["d"], "frame": ["f<i>"], "term": [term],
                              "start": [10], "end": [14], "text": [text[10:14]],
                              "sent_id": [0], "voice": ["narrator"]}),
    )


# --------------------------------------------------------------------------------------
# highlight_html and helpers


def test_highlight_html_escapes_article_markup():
    import analysis

    result = analysis.analyze(text=HOSTILE)
    out = explore.highlight_html(result)
    assert "<script>alert" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "<img src=x" not in out and "&lt;img src=x onerror=alert(1)&gt;" in out
    assert '<a href="javascript' not in out
    assert_inert(out)


def test_highlight_html_escapes_names_and_attribute_breaking_quotes():
    evil = '" onmouseover="alert(1)" x="'
    text = "<script>alert(1)</script> and more words here to cover every span."
    out = explore.highlight_html(fake_result(evil, "<b>Act</b>", "t'\"<", text),
                                 focus=("speaker", evil))
    parser = assert_inert(out)
    assert "<b>Act</b>" not in out and "&lt;b&gt;Act" in out
    titles = [a.get("title") for _, a in parser.tags if a.get("title")]
    assert any(evil in t for t in titles)  # the name survives as text inside the attribute
    assert "focus" in out


def test_highlight_html_on_the_bundled_article(seed_analysis):
    out = explore.highlight_html(seed_analysis)
    assert out.count('class="q') >= len(seed_analysis.quotes) - 1
    assert 'class="actor' in out and 'class="frame' in out
    assert_inert(out)
    with pytest.raises(ValueError, match="doc_id"):
        explore.highlight_html(seed_analysis, doc_id="nope")


def test_highlight_html_marks_each_part_of_an_interrupted_quote():
    import re

    import analysis

    result = analysis.analyze(text="John Smith arrived. “We face a threat,” he said. "
                                   "“We cannot coexist with it.”")
    out = explore.highlight_html(result)
    marked = re.findall(r'<span class="q[^"]*"[^>]*>(.*?)</span>', out)
    assert any("We face a threat" in m for m in marked)
    assert any("coexist" in m for m in marked)
    assert not any("he said" in m for m in marked)  # the cue is the narrator's


def test_md_escape_neutralises_html_and_markdown():
    s = explore.md_escape("<script>alert(1)</script> **bold** [x](javascript:alert(1))")
    assert "<script>" not in s and "&lt;script&gt;" in s
    assert "\\*\\*bold\\*\\*" in s and "\\[x\\]" in s


def test_explore_views(seed_analysis):
    items = explore.choices(seed_analysis)
    assert items["speaker"] and items["actor"] and items["term"]
    for kind in ("speaker", "actor", "term"):
        table = explore.item_table(seed_analysis, kind, items[kind][0])
        assert len(table) and {"left", "match", "right"} <= set(table.columns)
        assert "<mark>" in explore.item_html(seed_analysis, kind, items[kind][0])
    with pytest.raises(ValueError, match="kind="):
        explore.item_table(seed_analysis, "colour", "x")


def test_resolve_path_finds_data_from_a_subfolder(monkeypatch):
    monkeypatch.chdir(ROOT / "notebooks")
    assert explore.resolve_path("data/raw/" + SEED.name).resolve() == SEED.resolve()


# --------------------------------------------------------------------------------------
# classroom self-checks


def test_same_voice_is_loose():
    assert classroom.same_voice("the reporter", "narrator")
    assert classroom.same_voice("Okafor", "Ben Okafor")
    assert classroom.same_voice("ben okafor", "Ben Okafor")
    assert not classroom.same_voice("Petrova", "Ben Okafor")
    assert not classroom.same_voice("", "narrator")


def test_check_term_voices_and_choices(seed_analysis):
    uses = explore.first_use(seed_analysis, "void")
    assert len(uses) >= 2
    first = uses["voice"].iloc[0]
    later = [v for v in dict.fromkeys(uses["voice"]) if v != first]
    ok = classroom.check_term_voices(seed_analysis, "void", first=first,
                                     repeats=", ".join(later))
    assert str(ok.data).count("✅") == (2 if later else 1)
    bad = classroom.check_term_voices(seed_analysis, "void", first="nobody at all")
    assert "❌" in bad.data
    assert "All uses in order" in classroom.check_term_voices(seed_analysis, "void",
                                                              reveal=True).data
    assert "✅" in classroom.check_choice("vader-desperate", "a").data
    assert "❌" in classroom.check_choice("vader-desperate", "b").data
    with pytest.raises(ValueError, match="question="):
        classroom.check_choice("nope", "a")


# --------------------------------------------------------------------------------------
# report building blocks


def test_template_is_found():
    path = report.template_path()
    assert path.name == "01-findings.ipynb" and path.is_file()


def test_report_name_cannot_traverse():
    assert report._report_name(["../../etc/passwd"]) == "passwd"
    assert "/" not in report._report_name(["/tmp/x/../<script>.txt"])
    assert report._report_name(["a.txt", "b.txt"]) == "a-and-1-more"


def test_provenance_has_checksums_and_versions(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("hello", encoding="utf-8")
    info = report.provenance([str(p)], run_date="2000-01-01")
    assert info["inputs"][str(p)].startswith("2cf24dba")
    assert info["package"].startswith("discourse-analysis ")
    assert "frames.yaml" in info["data_files"]
    footer = report._provenance_html({**info, "inputs": {"<script>x</script>": "0"}})
    assert "<script>" not in footer


def test_pdf_without_chromium_gives_one_clear_message(tmp_path, monkeypatch):
    monkeypatch.setattr(report, "find_chromium", lambda: None)
    import nbconvert.exporters.webpdf as webpdf

    monkeypatch.setattr(webpdf, "PLAYWRIGHT_INSTALLED", False)
    page = tmp_path / "p.html"
    page.write_text("<p>x</p>", encoding="utf-8")
    with pytest.raises(report.ReportError, match="Chromium") as info:
        report._html_to_pdf(page, tmp_path / "p.pdf", nb=None, with_code=False, title="t")
    assert "\n" not in str(info.value)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed")
def test_pdf_with_chromium(tmp_path):
    page = tmp_path / "p.html"
    page.write_text("<h1>Report</h1><p>&lt;script&gt; stays text</p>", encoding="utf-8")
    report._html_to_pdf(page, tmp_path / "p.pdf", nb=None, with_code=False, title="t")
    assert (tmp_path / "p.pdf").read_bytes()[:5] == b"%PDF-"


def test_missing_input_is_a_load_error(tmp_path):
    from analysis.load import LoadError

    with pytest.raises(LoadError, match="no such file"):
        report.build_report([str(tmp_path / "missing.txt")], out_dir=tmp_path)


# --------------------------------------------------------------------------------------
# end to end (slow: a Jupyter kernel per report)


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    paths = report.build_report([str(SEED)], out_dir=out / "reports",
                                figures_dir=out / "figures")
    return out, paths


def _screenshot(html_path: Path, png: Path, profile: Path) -> None:
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
           "--no-first-run", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", f"--user-data-dir={profile}", f"--screenshot={png}",
           "--window-size=1200,3000", html_path.resolve().as_uri()]
    subprocess.run(cmd, capture_output=True, timeout=120, check=False)


@pytest.mark.slow
def test_report_on_the_bundled_article(seed_report):
    out, paths = seed_report
    html_path = paths[0]
    assert html_path == out / "reports" / f"{SEED.stem}.html"
    page = html_path.read_text(encoding="utf-8")
    assert page.count("data:image/png;base64") >= 6  # the charts, embedded
    assert "Provenance" in page and "sha256" in page and "run date" in page
    assert "def " not in page and "import analysis" not in page  # code hidden
    assert not re.search(r"<script[^>]+src=", page)  # self-contained: no external scripts
    assert_inert(page)
    tables = {p.name for p in paths if p.suffix in (".csv", ".json")}
    assert {"speakers.csv", "stance.csv", "quotes.csv", "analysis.json"} <= tables
    figures = [p for p in paths if p.suffix in (".png", ".svg")]
    assert len(figures) >= 12 and all(p.parent == out / "figures" for p in figures)


@pytest.mark.slow
def test_report_is_reproducible(seed_report, tmp_path):
    out, first = seed_report
    second = report.build_report([str(SEED)], out_dir=tmp_path / "reports",
                                 figures_dir=tmp_path / "figures")
    assert [p.name for p in first] == [p.name for p in second]
    for a, b in zip(first[1:], second[1:], strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    strip = re.compile(r"<td>run date</td><td>[^<]*</td>")
    html_a = strip.sub("", first[0].read_text(encoding="utf-8"))
    html_b = strip.sub("", second[0].read_text(encoding="utf-8"))
    assert html_a == html_b


@pytest.mark.slow
def test_report_with_code_shows_code(tmp_path):
    art = tmp_path / "short.txt"
    art.write_text(HOSTILE, encoding="utf-8")
    paths = report.build_report([str(art)], out_dir=tmp_path / "r", figures_dir=tmp_path / "f",
                                with_code=True)
    assert "save_figure" in paths[0].read_text(encoding="utf-8")


@pytest.mark.slow
def test_hostile_article_report_is_inert(tmp_path):
    from analysis.cli import main

    art = tmp_path / "<evil> name.txt"
    art.write_text(HOSTILE, encoding="utf-8")
    code = main(["report", str(art), "--out", str(tmp_path / "r"), "--figures",
                 str(tmp_path / "f")])
    assert code == 0
    [page_path] = list((tmp_path / "r").glob("*.html"))
    assert page_path.name == "evil_name.html"
    page = page_path.read_text(encoding="utf-8")
    assert "<script>alert" not in page
    assert "<img src=x onerror" not in page
    # the link is shown as text (nbconvert re-serialises text nodes, so its quote marks may
    # appear unescaped there, which is inert); assert_inert checks no element carries it
    assert "javascript:alert(1)" in page and "<a href=\"javascript:" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown as text
    assert_inert(page)
    if CHROMIUM:
        png = tmp_path / "shot.png"
        _screenshot(page_path, png, tmp_path / "profile")
        assert png.is_file() and png.stat().st_size > 20_000


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (CI installs it)")
def test_report_renders_in_headless_chromium(seed_report, tmp_path):
    from PIL import Image

    _, paths = seed_report
    png = tmp_path / "report.png"
    _screenshot(paths[0], png, tmp_path / "profile")
    assert png.is_file() and png.stat().st_size > 100_000
    with Image.open(png) as img:
        assert img.size == (1200, 3000)
        colours = img.convert("RGB").getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 1000  # text, tables and charts, not a blank page
    keep = os.environ.get("DISCOURSE_KEEP_SCREENSHOT")
    if keep:
        shutil.copy(png, keep)
