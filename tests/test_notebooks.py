"""The notebooks: stored clean, parameterised, and executable top to bottom."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SEED = ROOT / "data" / "raw" / "iran-offers-iraq-everything-it-needs.txt"
# people and outlet of the bundled article: never hard-coded in notebooks or package code
NAMES = ("Faily", "Rubin", "Cooper", "Solaimani", "Maliki", "Daily Beast")
MY_MODULES = ("charts.py", "explore.py", "classroom.py", "report.py")

SHORT_ARTICLE = """Harbour Deal Divides Coastal Towns

The port authority approved the harbour expansion on Tuesday, a decision critics call a void \
in planning.

"This project will bring jobs and hope to the coast," said Maria Lindqvist, the mayor of \
Northport. "We cannot wait any longer."

Environmental groups warned that the plan is a desperate gamble. "The reefs will suffer \
terrible damage," said Tomas Berg, a marine biologist.

Lindqvist said the town would monitor the reefs closely.
"""


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def test_three_notebooks_exist():
    assert [p.name for p in NOTEBOOKS] == ["01-findings.ipynb", "02-explore.ipynb",
                                           "03-classroom.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_without_outputs_and_with_parameters(path):
    nb = _read(path)
    nbformat.validate(nb)
    assert nb.cells[0].cell_type == "markdown" and "How to run" in nb.cells[0].source
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and "article_path" in tagged[0].source
    assert nb.metadata.kernelspec.name == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_hard_coded_people(path):
    for cell in _read(path).cells:
        for name in NAMES:
            assert name not in cell.source, (path.name, name)


def test_package_code_names_no_people():
    for name in MY_MODULES:
        text = (ROOT / "analysis" / name).read_text(encoding="utf-8")
        for person in NAMES:
            assert person not in text, (name, person)


def test_findings_parameters_and_public_api_only():
    nb = _read(ROOT / "notebooks" / "01-findings.ipynb")
    params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    for name in ("article_path", "lexicon_files", "figures_dir", "tables_dir"):
        assert re.search(rf"^{name} = ", params.source, re.M), name
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "save_figure" in code
    assert not re.search(r"analysis\.\w+\._|from analysis\.\w+ import _", code)


def test_classroom_solutions_are_hidden():
    nb = _read(ROOT / "notebooks" / "03-classroom.ipynb")
    solutions = [c for c in nb.cells if "solution" in c.metadata.get("tags", [])]
    assert len(solutions) >= 3
    for cell in solutions:
        assert cell.metadata["jupyter"]["source_hidden"] is True
        assert cell.metadata["collapsed"] is True
    text = "\n".join(c.source for c in nb.cells)
    assert "Teacher's note" in text and "analysis.explain(" in text
    assert "classroom.check_" in text


def _execute(path: Path, tmp_path: Path, overrides: str, monkeypatch) -> nbformat.NotebookNode:
    from nbclient import NotebookClient

    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    nb = _read(path)
    params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    params.source += "\n" + overrides
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    return nb


def _outputs_text(nb: nbformat.NotebookNode) -> str:
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out.get("output_type") != "error", (cell.source[:80], out.get("evalue"))
            data = out.get("data", {})
            parts += [str(data.get(k, "")) for k in ("text/markdown", "text/html", "text/plain")]
            parts.append(str(out.get("text", "")))
    return "\n".join(parts)


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_executes_on_the_bundled_article(path, tmp_path, monkeypatch):
    overrides = f"article_path = {str(SEED)!r}\n"
    if path.name.startswith("01"):
        overrides += (f"figures_dir = {str(tmp_path / 'figures')!r}\n"
                      f"tables_dir = {str(tmp_path / 'tables')!r}\n")
    nb = _execute(path, tmp_path, overrides, monkeypatch)
    text = _outputs_text(nb)
    if path.name.startswith("01"):
        assert len(list((tmp_path / "figures").glob("*.svg"))) == 6
        assert (tmp_path / "tables" / "speakers.csv").is_file()
        assert "most-quoted speaker" in text
    if path.name.startswith("02"):
        assert "Static fallback" in "\n".join(c.source for c in nb.cells)
        assert "<mark>" in text
    if path.name.startswith("03"):
        assert "compound" in text


@pytest.mark.slow
def test_findings_notebook_runs_through_papermill_on_another_article(tmp_path, monkeypatch):
    import papermill as pm

    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    article = tmp_path / "harbour.txt"
    article.write_text(SHORT_ARTICLE, encoding="utf-8")
    out = tmp_path / "out.ipynb"
    pm.execute_notebook(str(ROOT / "notebooks" / "01-findings.ipynb"), str(out),
                        parameters={"article_path": str(article),
                                    "figures_dir": str(tmp_path / "figs"),
                                    "tables_dir": str(tmp_path / "tables"),
                                    "figure_prefix": "harbour-",
                                    "lexicon_files": {}},
                        kernel_name="python3", cwd=str(tmp_path), progress_bar=False)
    text = _outputs_text(_read(out))
    assert "Lindqvist" in text  # prose follows the new article's tables
    assert "Harbour Deal" in text
    assert (tmp_path / "figs" / "harbour-speaker-sentiment.svg").is_file()
    assert (tmp_path / "tables" / "quotes.csv").is_file()
