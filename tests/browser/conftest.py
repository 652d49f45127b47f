"""Playwright against Debian chromium. Without chromium the browser tests skip, except under CI
where a missing browser fails the run instead of passing it silently."""

from __future__ import annotations

import os

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 640}

# Everything a finger taps; each must be at least 44 px tall.
TAP_TARGETS = (
    "button, .button, input:not([type=hidden]):not([type=checkbox]):not([type=radio]), "
    "select, textarea, .site-nav a, label.choice, .page-link"
)

LAYOUT_PROBE = """(selector) => {
  const visible = (el) => {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return box.width > 0 && box.height > 0 && style.visibility !== "hidden";
  };
  const small = [];
  for (const el of document.querySelectorAll(selector)) {
    if (!visible(el)) continue;
    const height = el.getBoundingClientRect().height;
    if (height < 44) small.push(`${el.tagName.toLowerCase()}.${el.className}: ${height}px`);
  }
  return {
    scrollWidth: document.documentElement.scrollWidth,
    fontSize: parseFloat(getComputedStyle(document.body).fontSize),
    smallTargets: small,
    buttons: document.querySelectorAll("button, .button").length,
  };
}"""


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        message = f"{CHROMIUM} is missing (make test installs Debian chromium as root)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def phone_page(browser):
    """A 360×640 touch screen that prefers Chinese, like most of the district's phones."""
    context = browser.new_context(
        viewport=PHONE, locale="zh-CN", has_touch=True, is_mobile=True, device_scale_factor=2
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def check_phone_layout():
    """Asserts the rules of a phone page: no sideways scroll, 16 px text, 44 px tap targets."""

    def check(page) -> dict:
        probe = page.evaluate(LAYOUT_PROBE, TAP_TARGETS)
        assert probe["scrollWidth"] <= PHONE["width"], f"{page.url}: {probe['scrollWidth']}px wide"
        assert probe["fontSize"] >= 16, f"{page.url}: body text {probe['fontSize']}px"
        assert not probe["smallTargets"], f"{page.url}: too small to tap: {probe['smallTargets']}"
        return probe

    return check
