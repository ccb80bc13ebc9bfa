"""make notebooks' pages read right in a browser: no raw LaTeX, nothing wider than the page.

Each notebook is executed and exported (``notebooks/export_html.py``), then
opened in headless Chromium at a 1000 px window: the rendered text holds no
``\\begin``, ``&&`` or ``$``, and no formula, picture or graph is wider than
the page's content area.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from tests.browser import chromium

pytest.importorskip("latex2mathml")
pytest.importorskip("nbclient")
ROOT = Path(__file__).resolve().parent.parent
SPEC = importlib.util.spec_from_file_location("export_html", ROOT / "notebooks" / "export_html.py")
export_html = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(export_html)
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

TOO_WIDE = """
const page = document.querySelector('.jp-Notebook') || document.body;
const limit = page.getBoundingClientRect().right + 1;
return [...document.querySelectorAll('math, img, svg')]
  .filter(e => !e.closest('math') || e.tagName.toLowerCase() === 'math')
  .filter(e => e.getBoundingClientRect().width > 0 && e.getBoundingClientRect().right > limit)
  .map(e => e.tagName + ' ' + Math.round(e.getBoundingClientRect().width) + 'px: ' + (e.textContent || '').slice(0, 60));
"""


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_exported_page_shows_no_raw_latex_and_nothing_wider_than_the_page(path, tmp_path, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    export_html.export(path, tmp_path, timeout=600)
    page = tmp_path / f"{path.stem}.html"
    with chromium(tmp_path / "profile", window="1000,900") as driver:
        driver.get(page.as_uri())
        text = driver.execute_script(
            "const c = document.body.cloneNode(true);"
            "c.querySelectorAll('.jp-InputArea, .jp-OutputArea, pre, code').forEach(e => e.remove());"
            "document.body.appendChild(c); const t = c.innerText; c.remove(); return t;"
        )
        for raw in ("\\begin", "&&", "$"):
            assert raw not in text, f"{path.name}: {raw!r} in the rendered text: ...{text[max(0, text.find(raw) - 80):text.find(raw) + 80]}..."
        wide = driver.execute_script(TOO_WIDE)
        assert wide == [], f"{path.name}: wider than the page: {wide}"
