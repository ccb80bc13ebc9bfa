"""The step-through page in a real headless browser (Debian's chromium, driven by selenium).

"""

from __future__ import annotations

import pytest

from autograd.steps import save_steps
from chainrule.lecture import lecture_graph
from tests.browser import chromium

pytestmark = pytest.mark.slow  # a browser: not in make test-fast


@pytest.fixture
def browser(tmp_path):
    with chromium(tmp_path / "profile", window="1400,900") as driver:
        yield driver


def visible_frame(driver):
    from selenium.webdriver.common.by import By

    shown = [f for f in driver.find_elements(By.CSS_SELECTOR, "figure.frame") if f.is_displayed()]
    assert len(shown) == 1
    return shown[0]


def highlighted_node(frame) -> str:
    from selenium.webdriver.common.by import By

    (node,) = frame.find_elements(By.CSS_SELECTOR, "g.node.current")
    return node.find_element(By.TAG_NAME, "title").get_attribute("textContent")


def test_next_button_and_slider_walk_through_backward(tmp_path, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    g = lecture_graph()
    saved = save_steps(g["L"], tmp_path / "steps")
    browser.get(saved.html.as_uri())

    first = visible_frame(browser)
    assert first.get_attribute("data-step") == "0"
    assert highlighted_node(first) == "n6"  # L, the output, where backward starts
    assert browser.find_element(By.ID, "counter").text == "step 1 of 7"
    assert browser.find_element(By.ID, "prev").get_attribute("disabled") is not None

    browser.find_element(By.ID, "next").click()
    second = visible_frame(browser)
    assert second.get_attribute("data-step") == "1"
    assert highlighted_node(second) == "n5"  # f, the next node backward visits
    assert browser.find_element(By.ID, "counter").text == "step 2 of 7"
    assert "grad 4.0000" in second.text

    slider = browser.find_element(By.ID, "slider")
    slider.send_keys(Keys.END)
    last = visible_frame(browser)
    assert last.get_attribute("data-step") == "6"
    assert slider.get_attribute("value") == "6"
    assert highlighted_node(last) == "n0"  # a, the last node visited
    text = last.text
    assert "grad ?" not in text  # every gradient final
    for grad in ("grad 6.0000", "grad -4.0000", "grad -2.0000", "grad 4.0000", "grad 1.0000"):
        assert grad in text
    assert browser.find_element(By.ID, "next").get_attribute("disabled") is not None

    browser.find_element(By.ID, "prev").click()
    assert visible_frame(browser).get_attribute("data-step") == "5"

    svg = visible_frame(browser).find_element(By.TAG_NAME, "svg")
    fitted_width = svg.size["width"]
    browser.find_element(By.ID, "fit").click()  # full size: wider than the window, scrolled
    assert "full-size" in browser.find_element(By.TAG_NAME, "main").get_attribute("class")
    assert svg.size["width"] > fitted_width
