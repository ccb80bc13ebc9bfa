"""The HTML worksheet in a real headless browser (Debian's chromium, driven by selenium).

The equations render (every MathML element has a size), nothing is fetched,
and the print layout fits A4: at the printable width of an A4 page (210 mm
less 2 × 15 mm margins) nothing is wider than the page, and Chrome's own
print to PDF gives A4 pages.
"""

from __future__ import annotations

import base64
import re

import pytest

from chainrule.worksheet import load_given, make_worksheet, random_problem
from tests.browser import chromium
from tests.worked_examples import TEXTBOOK

pytestmark = pytest.mark.slow  # a browser: not in make test-fast

A4_PRINTABLE_PX = 180 / 25.4 * 96  # 180 mm at 96 CSS px per inch: 680.3 px
A4_WIDTH_PT = 595  # 210 mm in PDF points (595.28)


@pytest.fixture
def browser(tmp_path):
    with chromium(tmp_path / "profile", window="1000,1400") as driver:
        yield driver


SHEETS = {
    "textbook": lambda: load_given(TEXTBOOK),
    "largest": lambda: random_problem(
        [6, 6, 6, 6, 6], ["tanh", "swish", "relu", "sigmoid"], "bce", examples=4, seed=3
    ),
}


@pytest.mark.parametrize("name", sorted(SHEETS))
@pytest.mark.parametrize("solutions", [True, False])
def test_sheet_renders_its_mathml_fetches_nothing_and_prints_on_a4(
    tmp_path, browser, name, solutions
):
    page = tmp_path / "sheet.html"
    make_worksheet(SHEETS[name]()).write(page, solutions=solutions)
    html = page.read_text()
    for fetching in ("<script", "<link", "src=", "href=", "url(", "@import"):
        assert fetching not in html
    browser.get(page.as_uri())

    sizes = browser.execute_script(
        "return Array.from(document.querySelectorAll('math')).map(m => {"
        " const r = m.getBoundingClientRect(); return [r.width, r.height]; });"
    )
    assert len(sizes) > 20
    assert all(w > 0 and h > 0 for w, h in sizes)
    fraction = browser.execute_script(  # a fraction stacks: taller than one line of text
        "const f = document.querySelector('mfrac'); return f ? f.getBoundingClientRect().height : 0;"
    )
    assert fraction > 20
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0

    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": int(A4_PRINTABLE_PX), "height": 1000, "deviceScaleFactor": 1, "mobile": False},
    )
    widest = browser.execute_script(
        "return Math.max(document.documentElement.scrollWidth,"
        " ...Array.from(document.querySelectorAll('math, svg, p, h1, h2, h3')).map(e => e.getBoundingClientRect().right));"
    )
    assert widest <= A4_PRINTABLE_PX
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    pdf = base64.b64decode(
        browser.execute_cdp_cmd(
            "Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True}
        )["data"]
    )
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert boxes
    assert all(abs(float(w) - 595.28) < 1 and abs(float(h) - 841.89) < 1 for w, h in boxes)
