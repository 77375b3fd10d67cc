"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server."""

import hashlib
import os
import re
import time
from importlib import import_module
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

# Playwright's sync API runs an event loop in this thread; the Django ORM calls the tests make around it
# are still plain synchronous calls, so Django's async-safety guard would refuse them for no reason.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# The suite runs the browser beside other tests on two cores: give pages time before calling them broken.
expect.set_options(timeout=20_000)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium when run as root")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


PHONE = {"width": 390, "height": 844}
# axe-core's WCAG 2.1 A and AA rules, run on every page a browser test opens, at its size and a phone's.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


@pytest.fixture(scope="session")
def first_to_check(tmp_path_factory, worker_id):
    """Each page (its path with the numbers taken out) is checked once per run: the same template opened
    again by another test adds little, and axe takes a second or two a page on a busy machine. Under xdist
    the test processes share the run's temporary folder, where the first to claim a page leaves a file of
    its name (``O_EXCL``: one process wins), so that two processes do not check the same page."""
    base = tmp_path_factory.getbasetemp()
    folder = (base if worker_id == "master" else base.parent) / "axe-checked"
    folder.mkdir(exist_ok=True)

    def claim(key):
        name = hashlib.sha256(key.encode()).hexdigest()
        try:
            os.close(os.open(folder / name, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return False
        return True

    return claim


def _with_a_session_of_its_own(cookies):
    """``cookies`` with the session cookie naming a copy of the session: the test goes on while the probe
    checks a page, and a log-out of the test's session sent the probe's second look at the page (a phone's)
    to the log-in page instead."""
    from django.conf import settings

    engine = import_module(settings.SESSION_ENGINE)
    copied = []
    for cookie in cookies:
        if cookie["name"] == settings.SESSION_COOKIE_NAME:
            session = engine.SessionStore()
            session.update(engine.SessionStore(session_key=cookie["value"]).load())
            session.save()
            cookie = {**cookie, "value": session.session_key}
        copied.append(cookie)
    return copied


class AccessibilityCheck:
    """Runs axe on each page a test opens, at the test's size and at a phone's, and keeps what it finds.

    The check opens the same address in a browser context of its own with the test's cookies (the same
    session), so the test's page is never resized nor delayed under the test's hands, and a test waiting
    for a new tab of its own context (``context.expect_page()``) never gets the probe instead. The probe's
    context is made once per test and given the test's cookies before each check (the portal keeps
    nothing in the browser's storage but its cookies).
    """

    def __init__(self, page, first_to_check):
        self.page = page
        self.first_to_check = first_to_check
        self.axe = Axe()
        self.found = []
        self.running = False
        self.probe = None

    def close(self):
        if self.probe is not None:
            self.probe.context.close()

    def __call__(self, _page):
        url = self.page.url
        key = re.sub(r"\d+", "N", urlsplit(url).path)
        if self.running or not url.startswith("http") or not self.first_to_check(key):
            return
        self.running = True
        if self.probe is None:
            self.probe = self.page.context.browser.new_context(locale="id-ID").new_page()
        probe = self.probe
        probe.context.clear_cookies()
        probe.context.add_cookies(_with_a_session_of_its_own(self.page.context.cookies()))
        try:
            for viewport in (self.page.viewport_size, PHONE):
                probe.set_viewport_size(viewport)
                probe.goto(url)
                results = self.axe.run(probe, options=AXE_OPTIONS)
                for violation in results.response["violations"]:
                    nodes = [node["target"] for node in violation["nodes"]]
                    self.found.append((url, viewport["width"], violation["id"], nodes))
            probe.goto("about:blank")  # a page left open would go on polling the live server
        finally:
            self.running = False
            if not self.page.is_closed():
                self.page.bring_to_front()  # the test's keyboard and focus go back to its own page


@pytest.fixture
def page(browser, live_server, first_to_check):
    context = browser.new_context(
        base_url=live_server.url, locale="id-ID", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    accessibility = AccessibilityCheck(page, first_to_check)
    page.on("load", accessibility)
    yield page
    accessibility.close()
    context.close()
    assert errors == [], f"the browser reported errors: {errors}"
    assert accessibility.found == [], f"axe found WCAG 2.1 A/AA violations: {accessibility.found}"


def held_back(page, pattern):
    """The answer to the next request whose URL matches ``pattern``, held back: the server has handled the
    request, the page has not had the answer yet. Call the result to wait until it is held (Playwright runs
    its handler meanwhile); it gives ``release``, which hands the answer to the page."""
    held = []
    page.route(pattern, lambda route: held.append((route, route.fetch())), times=1)

    def wait():
        deadline = time.monotonic() + 30
        while not held:
            assert time.monotonic() < deadline, f"no request to {pattern} was made"
            page.wait_for_timeout(50)
        route, response = held[0]
        return lambda: route.fulfill(response=response)

    return wait


def log_in(page, username, password):
    page.goto("/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_load_state()


def log_out(page):
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url("**/akun/masuk/")


def score_and_submit(page, scores):
    """A juror's sheet: each nominee (by the heading of its card) given ``scores[name]`` on every criterion
    and saved as a draft, then the sheet submitted."""
    for name, score in scores.items():
        card = page.locator("article", has=page.get_by_role("heading", name=name))
        for field in card.locator("input[type=number]").all():
            field.fill(str(score))
        card.get_by_role("button", name="Simpan draf nilai").click()
        expect(
            page.locator("article", has=page.get_by_role("heading", name=name)).get_by_text(
                "Draf nilai tersimpan"
            )
        ).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Kirim nilai").click()
    expect(page.get_by_text("Nilai Anda terkirim. Terima kasih.")).to_be_visible()


def issue_winners_certificates(page, count):
    """From a finalised scheme's page: issue its winners' ``count`` certificates after confirming, and
    download the PDF they are printed in."""
    page.get_by_role("link", name="Piagam para juara").click()
    page.get_by_role("button", name="Lanjutkan ke konfirmasi").click()
    expect(page.get_by_test_id("confirm-count")).to_have_text(f"{count} piagam akan diterbitkan.")
    page.get_by_role("button", name=f"Ya, terbitkan {count} piagam").click()
    expect(page.get_by_text("Laporan siap.")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh laporan").click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
