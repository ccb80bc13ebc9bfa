"""``make lab``'s JupyterLab, driven by headless Chromium: notebook 01 runs all its cells without an error.

The server command is the one ``make lab`` runs (read from ``make -n lab``,
with ``LAB_ARGS`` adding ``--no-browser``, 127.0.0.1, a free port and a token);
user settings, runtime files and workspaces go to a temporary directory, with
autosave off so that the stored notebook is never written (the test checks
its bytes afterwards).

Skipped only when chromium, chromedriver or the ``.venv``'s JupyterLab is
missing (``make test`` installs all three).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.browser import chromium

pytestmark = pytest.mark.slow  # JupyterLab in a browser: not in make test-fast

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "01_value_from_scratch.ipynb"
JUPYTER = ROOT / ".venv" / "bin" / "jupyter"



@pytest.fixture
def browser(tmp_path):
    if not JUPYTER.exists() or shutil.which("make") is None:
        pytest.fail("JupyterLab is not installed in .venv: `make test` installs the notebooks extra")
    with chromium(tmp_path / "profile") as driver:
        yield driver

SETTINGS = {
    # every cell in the page (no windowing), and never write the notebook back
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lab_command(port: int, token: str) -> list[str]:
    """The last command of ``make -n lab`` (the JupyterLab server, ``--allow-root`` for root
    included), with the test's options, run by bash as make runs it."""
    extra = f"--no-browser --ServerApp.ip=127.0.0.1 --ServerApp.port={port} --IdentityProvider.token={token}"
    dry = subprocess.run(
        ["make", "-n", "--no-print-directory", "lab", f"LAB_ARGS={extra}"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )
    line = dry.stdout.strip().splitlines()[-1]
    assert line.startswith(".venv/bin/jupyter lab ") and "--ServerApp.root_dir=notebooks" in line
    return ["bash", "-c", f"exec {line}"]


@pytest.fixture
def lab(tmp_path):
    """A running JupyterLab server of ``make lab``; yields its base URL and token."""
    port, token = free_port(), secrets.token_hex(16)
    settings = tmp_path / "settings"
    for name, value in SETTINGS.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "JUPYTER_DATA_DIR": str(tmp_path / "data"),
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces"),
    }
    log = (tmp_path / "lab.log").open("wb")
    server = subprocess.Popen(
        lab_command(port, token), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"JupyterLab did not start:\n{(tmp_path / 'lab.log').read_text()[-3000:]}")
            time.sleep(0.5)
        yield url, token
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)  # the server and its kernels (its own session)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        log.close()


# The state of the notebook's code cells, read in the page: prompts and error outputs.
CELL_STATE = """
const cells = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell')];
return {
  prompts: cells.map(c => (c.querySelector('.jp-InputPrompt') || {}).textContent || ''),
  errors: [...document.querySelectorAll('.jp-Notebook .jp-OutputArea-output')]
    .filter(o => o.getAttribute('data-mime-type') === 'application/vnd.jupyter.stderr')
    .map(o => o.textContent.slice(0, 2000)),
  svgs: document.querySelectorAll('.jp-Notebook .jp-RenderedSVG, .jp-Notebook .jp-RenderedImage').length,
  text: document.querySelector('.jp-Notebook').innerText,
};
"""


def click_menu(driver, menu: str, item: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(driver, 30)
    wait.until(ready.element_to_be_clickable(
        (By.XPATH, f"//div[contains(@class, 'lm-MenuBar-itemLabel') and text()='{menu}']")
    )).click()
    wait.until(ready.element_to_be_clickable(
        (By.XPATH, f"//div[contains(@class, 'lm-Menu-itemLabel') and text()='{item}']")
    )).click()


def accept_dialogs(driver) -> list[str]:
    """Accept the dialogs JupyterLab may open at start (a kernel to choose, news); their texts."""
    from selenium.webdriver.common.by import By

    texts = []
    for dialog in driver.find_elements(By.CSS_SELECTOR, "dialog.jp-Dialog"):
        texts.append(dialog.text)
        buttons = dialog.find_elements(By.CSS_SELECTOR, ".jp-Dialog-button.jp-mod-accept")
        if buttons:
            buttons[-1].click()
    return texts


def wait_for_idle_kernel(url: str, token: str, seconds: float = 120) -> None:
    """Until the server reports a kernel (the notebook's) that is idle, by its REST API."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"{url}/api/kernels?token={token}", timeout=10) as answer:
            if any(k.get("execution_state") == "idle" for k in json.loads(answer.read())):
                return
        time.sleep(0.5)
    pytest.fail(f"no idle kernel after {seconds} s")


def test_make_lab_opens_notebook_01_and_runs_all_its_cells_without_an_error(lab, browser):
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    url, token = lab
    stored = NOTEBOOK.read_bytes()
    browser.get(f"{url}/lab/tree/{NOTEBOOK.name}?token={token}")
    WebDriverWait(browser, 120).until(ready.presence_of_element_located((By.CSS_SELECTOR, ".jp-Notebook .jp-CodeCell")))
    dialogs = accept_dialogs(browser)
    wait_for_idle_kernel(url, token)  # Run All Cells does nothing until the kernel is ready
    started = False
    for _ in range(4):  # clicked again only if nothing ran at all (a second click would run twice)
        dialogs += accept_dialogs(browser)
        click_menu(browser, "Run", "Run All Cells")
        try:
            WebDriverWait(browser, 45).until(
                lambda d: any(p.strip() != "[ ]:" for p in d.execute_script(CELL_STATE)["prompts"])
            )
        except TimeoutException:
            continue
        started = True
        break
    assert started, f"Run > Run All Cells ran nothing in three minutes (dialogs: {dialogs})"

    def finished(driver):
        state = driver.execute_script(CELL_STATE)
        done = state["prompts"] and all(p.strip().startswith("[") and p.strip()[1:-2].isdigit() for p in state["prompts"])
        return state if done or state["errors"] else False

    try:
        state = WebDriverWait(browser, 300, poll_frequency=1).until(finished)
    except TimeoutException:
        state = browser.execute_script(CELL_STATE)
        pytest.fail(f"the cells did not finish: prompts {state['prompts']}, dialogs "
                    f"{[d.text for d in browser.find_elements(By.CSS_SELECTOR, 'dialog.jp-Dialog')]}")
    assert state["errors"] == [], f"error output in the browser:\n{state['errors']}"
    code_cells = sum(1 for c in json.loads(stored)["cells"] if c["cell_type"] == "code")
    assert len(state["prompts"]) == code_cells
    counts = sorted(int(p.strip()[1:-2]) for p in state["prompts"])
    assert counts == list(range(1, code_cells + 1)), state["prompts"]  # each cell ran once, in one kernel
    assert state["svgs"] >= 2  # draw_dot's graphs
    assert "200,001 nodes" in state["text"]  # the last section of the body ran
    assert NOTEBOOK.read_bytes() == stored  # the stored notebook was not written
