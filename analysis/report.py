"""``discourse report``: run the findings notebook on an input and export a report.

:func:`build_report` executes the packaged findings notebook (``01-findings.ipynb``) with
papermill in a ``python3`` kernel (the current interpreter's, provided by ipykernel), then
exports a self-contained HTML file with nbconvert (images embedded as base64, no external
scripts, code hidden unless ``with_code``) and a provenance footer: each input's sha256, the
package version, the data-file versions and the run date. The CSV tables (and
``analysis.json``) land beside the report, the charts (PNG + SVG) in ``figures_dir``.

Two runs on the same input give identical tables and figures; the HTML differs only in the
run date. ``fmt="pdf"`` prints the HTML to PDF with a local headless Chromium.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import html
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import fields
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from analysis.result import safe_name

if TYPE_CHECKING:  # pragma: no cover
    from analysis.pipeline import Settings

__all__ = ["ReportError", "build_report", "template_path", "provenance", "find_chromium"]

TEMPLATE = "01-findings.ipynb"
KERNEL = "python3"
CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_FILE_FIELDS = ("actor_files", "frame_files", "cue_files", "stance_files", "boilerplate_files",
                "abbreviation_files", "sentiment_files")
_TEMPLATE_J2 = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{% block data_png scoped %}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}" alt="
{{- (output | get_metadata('alt', 'image/png')) or 'chart' | escape_html }}">
</div>
{%- endblock data_png %}
{%- block extra_css -%}
<style>
body { max-width: 1100px; margin: 0 auto; }
.jp-Notebook { padding: 1em 2em; }
footer.provenance { font-size: 12px; color: #444; border-top: 1px solid #ccc;
  margin-top: 2em; padding-top: .6em; }
footer.provenance td, footer.provenance th { padding: 1px 8px; text-align: left;
  vertical-align: top; font-family: monospace; }
</style>
{%- endblock extra_css -%}
"""


class ReportError(OSError):
    """The report could not be built (execution failed, PDF tool missing...).

    A subclass of :class:`OSError` so the ``discourse`` command prints it as a one-line
    error (exit code 2) instead of an internal error.
    """

    def __str__(self) -> str:  # OSError with one argument: print just the message
        return str(self.args[0]) if self.args else "report failed"


# --------------------------------------------------------------------------------------
# Locating things


def template_path() -> Path:
    """The findings notebook: packaged ``analysis.notebooks`` first, else the checkout's.

    Raises
    ------
    ReportError
        When neither location holds it (a broken installation).
    """
    with contextlib.suppress(ModuleNotFoundError, FileNotFoundError, TypeError):
        item = resources.files("analysis.notebooks").joinpath(TEMPLATE)
        if item.is_file():
            return Path(str(item))
    checkout = Path(__file__).resolve().parents[1] / "notebooks" / TEMPLATE
    if checkout.is_file():
        return checkout
    raise ReportError(f"the report template {TEMPLATE} is missing from this installation "
                      "(neither analysis.notebooks nor ./notebooks has it); reinstall the "
                      "package.")


def find_chromium() -> str | None:
    """Path of a local Chromium/Chrome for PDF export (``$CHROMIUM`` overrides), or None."""
    env = os.environ.get("CHROMIUM")
    if env and Path(env).is_file():
        return env
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


# --------------------------------------------------------------------------------------
# Provenance


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _sha256_path(path: Path) -> str:
    """sha256 of a file, or of a folder's sorted ``relative-path sha256`` lines."""
    if path.is_dir():
        h = hashlib.sha256()
        for f in sorted(p for p in path.rglob("*") if p.is_file()):
            h.update(f"{f.relative_to(path).as_posix()} {_sha256_file(f)}\n".encode())
        return h.hexdigest()
    return _sha256_file(path)


def provenance(paths: Sequence[str | Path], *, settings: Settings | None = None,
               run_date: str | None = None) -> dict[str, Any]:
    """What produced a report: inputs' sha256, versions, data files, settings, run date."""
    import analysis
    from analysis.lexicons import lexicon_versions

    user_files = {}
    if settings is not None:
        for name in _FILE_FIELDS:
            for f in getattr(settings, name):
                p = Path(f)
                user_files[f"{name}: {f}"] = _sha256_file(p)[:12] if p.is_file() else "missing"
    return {
        "inputs": {str(p): _sha256_path(Path(p)) for p in paths},
        "package": f"discourse-analysis {analysis.__version__}",
        "python": sys.version.split()[0],
        "lexicon": getattr(settings, "lexicon", "news"),
        "data_files": lexicon_versions(),
        "user_files": user_files,
        "run_date": run_date or _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
    }


def _provenance_html(info: dict[str, Any]) -> str:
    esc = html.escape

    def rows(d: dict[str, Any]) -> str:
        return "".join(f"<tr><td>{esc(str(k))}</td><td>{esc(str(v))}</td></tr>"
                       for k, v in d.items())

    inputs = rows({k: f"sha256 {v}" for k, v in info["inputs"].items()})
    data = rows(info["data_files"])
    user = rows(info["user_files"]) if info["user_files"] else ""
    return (
        '<footer class="provenance"><h3>Provenance</h3><table>'
        f"<tr><th>input</th><th>checksum</th></tr>{inputs}"
        f"<tr><th>software</th><th></th></tr>"
        f"<tr><td>package</td><td>{esc(info['package'])}</td></tr>"
        f"<tr><td>python</td><td>{esc(info['python'])}</td></tr>"
        f"<tr><td>sentiment lexicon</td><td>{esc(str(info['lexicon']))}</td></tr>"
        f"<tr><th>data files</th><th></th></tr>{data}{user}"
        f"<tr><td>run date</td><td>{esc(info['run_date'])}</td></tr>"
        "</table></footer>"
    )


# --------------------------------------------------------------------------------------
# Building


def _report_name(paths: Sequence[str]) -> str:
    first = paths[0]
    stem = "stdin" if first == "-" else (Path(first).stem or Path(first).name)
    name = safe_name(stem, default="report")
    if len(paths) > 1:
        name = f"{name}-and-{len(paths) - 1}-more"
    return name


def _parameters(paths: list[str], settings: Settings | None, *, figures_dir: Path,
                tables_dir: Path, prefix: str) -> dict[str, Any]:
    from analysis.pipeline import Settings

    settings = settings or Settings()
    default = Settings()
    files = {name: list(getattr(settings, name)) for name in _FILE_FIELDS
             if getattr(settings, name)}
    options = {f.name: getattr(settings, f.name) for f in fields(Settings)
               if f.name not in (*_FILE_FIELDS, "lexicon")
               and getattr(settings, f.name) != getattr(default, f.name)}
    return {
        "article_path": paths[0] if len(paths) == 1 else paths,
        "lexicon": settings.lexicon,
        "lexicon_files": files,
        "settings_options": options,
        "figures_dir": str(figures_dir),
        "tables_dir": str(tables_dir),
        "figure_prefix": prefix,
    }


@contextlib.contextmanager
def _kernel_env() -> Iterator[None]:
    """Let the kernel import this very ``analysis`` package (a checkout without install)."""
    root = str(Path(__file__).resolve().parents[1])
    old = os.environ.get("PYTHONPATH")
    parts = [p for p in (old or "").split(os.pathsep) if p]
    if root not in parts:
        os.environ["PYTHONPATH"] = os.pathsep.join([root, *parts])
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = old


@contextlib.contextmanager
def _quiet_stderr(log: Path) -> Iterator[None]:
    """Send the kernel's own log lines (TCP warnings, shutdown notices) to a file, not the
    terminal: the kernel process inherits file descriptor 2 when it starts."""
    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):  # no real stderr (e.g. captured)
        yield
        return
    sys.stderr.flush()
    saved = os.dup(fd)
    try:
        with log.open("wb") as fh:
            os.dup2(fh.fileno(), fd)
            try:
                yield
            finally:
                sys.stderr.flush()
                os.dup2(saved, fd)
    finally:
        os.close(saved)


def _execute(template: Path, output: Path, parameters: dict[str, Any], *, timeout: int) -> Any:
    import nbformat
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    with _kernel_env(), _quiet_stderr(output.with_suffix(".kernel.log")):
        try:
            pm.execute_notebook(str(template), str(output), parameters=parameters,
                                kernel_name=KERNEL, cwd=str(Path.cwd()), progress_bar=False,
                                log_output=False, request_save_on_cell_execute=False,
                                execution_timeout=timeout)
        except PapermillExecutionError as exc:
            raise ReportError(f"the findings notebook failed at cell {exc.exec_count}: "
                              f"{exc.ename}: {' '.join(str(exc.evalue).split())[:300]}"
                              ) from None
        except Exception as exc:  # kernel missing, timeout...
            if exc.__class__.__name__ == "NoSuchKernel":
                raise ReportError(f"no '{KERNEL}' Jupyter kernel: install ipykernel in this "
                                  "environment (pip install ipykernel).") from None
            raise
    return nbformat.read(str(output), as_version=4)


def _add_alt_text(nb: Any) -> None:
    """Give each chart an ``alt`` text: the heading of the section it belongs to."""
    heading = "chart"
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    heading = line.lstrip("#").strip() or heading
            continue
        for output in cell.get("outputs", []):
            if "image/png" in output.get("data", {}):
                meta = output.setdefault("metadata", {}).setdefault("image/png", {})
                meta.setdefault("alt", f"Chart: {heading}")


def _export_html(nb: Any, *, with_code: bool, title: str) -> str:
    import jinja2
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(
        template_name="lab",
        extra_loaders=[jinja2.DictLoader({"discourse_report.html.j2": _TEMPLATE_J2})],
        template_file="discourse_report.html.j2",
        embed_images=True,
        exclude_input=not with_code,
        exclude_input_prompt=not with_code,
        exclude_output_prompt=True,
    )
    if not with_code:
        exporter.register_preprocessor(
            TagRemovePreprocessor(remove_cell_tags={"parameters", "injected-parameters"},
                                  enabled=True), enabled=True)
    _add_alt_text(nb)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    return body


def _html_to_pdf(html_path: Path, pdf_path: Path, *, nb: Any, with_code: bool,
                 title: str) -> None:
    chromium = find_chromium()
    if chromium is None:
        try:  # nbconvert's own route, if playwright and its browser are installed
            from nbconvert import WebPDFExporter
            from nbconvert.exporters.webpdf import PLAYWRIGHT_INSTALLED
        except ImportError:  # pragma: no cover
            PLAYWRIGHT_INSTALLED = False  # noqa: N806
        if PLAYWRIGHT_INSTALLED:
            exporter = WebPDFExporter(exclude_input=not with_code, disable_sandbox=True)
            data, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
            pdf_path.write_bytes(data)
            return
        raise ReportError("PDF export needs a local Chromium (e.g. apt-get install chromium, "
                          "or set CHROMIUM=/path/to/chrome); use --format html otherwise.")
    with tempfile.TemporaryDirectory(prefix="discourse-pdf-") as profile:
        cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}",
               "--no-pdf-header-footer", f"--print-to-pdf={pdf_path}",
               html_path.resolve().as_uri()]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=120, check=False)
        except subprocess.TimeoutExpired:
            raise ReportError(f"{chromium} did not finish printing the PDF within 120 s."
                              ) from None
    if proc.returncode != 0 or not pdf_path.is_file() or pdf_path.stat().st_size == 0:
        last = (proc.stderr.decode(errors="replace").strip().splitlines() or ["no output"])[-1]
        raise ReportError(f"{chromium} could not print the PDF: {last[:200]}")


def _stdin_to_file(folder: Path) -> str:
    data = sys.stdin.buffer.read()
    path = folder / "stdin.txt"
    path.write_bytes(data)
    return str(path)


def build_report(
    paths: Sequence[str | Path],
    *,
    out_dir: str | Path = Path("reports"),
    figures_dir: str | Path = Path("figures"),
    with_code: bool = False,
    fmt: Literal["html", "pdf"] = "html",
    settings: Settings | None = None,
    timeout: int = 600,
) -> list[Path]:
    """Run the findings notebook on ``paths`` and export the report.

    Parameters
    ----------
    paths : sequence of str or Path
        Article files, folders or corpora (``"-"`` reads standard input). Several paths
        make one report over the whole corpus.
    out_dir : str or Path
        Where ``<name>.html`` (or ``.pdf``) and the ``<name>/`` folder of CSV tables go.
        ``<name>`` is derived from the first input's file name and sanitised (letters,
        digits, ``.-_``): no path traversal.
    figures_dir : str or Path
        Where the charts go, as ``<name>-<chart>.png`` and ``.svg``.
    with_code : bool
        Show the code cells in the report.
    fmt : {"html", "pdf"}
        ``"pdf"`` needs a local Chromium (``/usr/bin/chromium``).
    settings : Settings, optional
        Lexicon choices and user data files (as for :func:`analysis.analyze`).
    timeout : int
        Seconds allowed per notebook cell.

    Returns
    -------
    list of Path
        The report file first, then the table files, then the figure files.

    Raises
    ------
    analysis.load.LoadError
        An input path that does not exist.
    ReportError
        The notebook failed, or PDF export is impossible here (the message says why).
    """
    from analysis.load import LoadError

    if fmt not in ("html", "pdf"):
        raise ValueError(f"fmt={fmt!r}: choose 'html' or 'pdf'.")
    if isinstance(paths, (str, Path)):
        paths = [paths]
    items = [str(p) for p in paths]
    if not items:
        raise ValueError("paths is empty. Fix: give at least one article, folder or '-'.")
    for p in items:
        if p != "-" and not Path(p).exists():
            raise LoadError(f"{p}: no such file or folder")
    out_dir = Path(out_dir)
    figures_dir = Path(figures_dir)
    name = _report_name(items)
    out_dir.mkdir(parents=True, exist_ok=True)
    figures_dir.mkdir(parents=True, exist_ok=True)
    tables_dir = out_dir / name
    prefix = f"{name}-"
    template = template_path()

    with tempfile.TemporaryDirectory(prefix="discourse-report-") as tmp:
        work = Path(tmp)
        items = [_stdin_to_file(work) if p == "-" else p for p in items]
        params = _parameters(items, settings, figures_dir=figures_dir, tables_dir=tables_dir,
                             prefix=prefix)
        nb = _execute(template, work / "executed.ipynb", params, timeout=timeout)
        info = provenance(items, settings=settings)
        import nbformat

        footer = nbformat.v4.new_markdown_cell(_provenance_html(info))
        footer.id = "provenance"  # fixed id: the HTML differs between runs only in the date
        nb.cells.append(footer)
        title = f"Discourse report: {name}"
        body = _export_html(nb, with_code=with_code, title=title)
        html_path = out_dir / f"{name}.html"
        if fmt == "html":
            html_path.write_text(body, encoding="utf-8")
            report = html_path
        else:
            tmp_html = work / f"{name}.html"
            tmp_html.write_text(body, encoding="utf-8")
            report = out_dir / f"{name}.pdf"
            _html_to_pdf(tmp_html, report, nb=nb, with_code=with_code, title=title)

    tables = sorted(tables_dir.glob("*")) if tables_dir.is_dir() else []
    figures = sorted(p for p in figures_dir.glob(f"{prefix}*") if p.suffix in (".png", ".svg"))
    return [report, *tables, *figures]
