"""The reports in a real browser: headless Chromium (Debian's ``chromium``) opens a student's
report, a self-check report and the class summary, at a desktop and a phone width, and we
assert: no console error, no request for anything but the page itself, no sideways scroll,
a screenshot that is not blank, and no serious or critical accessibility violation found by
axe-core (the npm package, installed at test time into a cache folder outside the project:
``AXE_CORE_JS`` names an ``axe.min.js`` to use instead).

Chromium is driven through the DevTools protocol over a pipe (``--remote-debugging-pipe``:
JSON messages separated by NUL bytes on fds 3 and 4), so no driver package is needed.
"""

import base64
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote

import pytest

from grader import course
from grader.batch.run import grade_paths
from grader.mistakes import applied_to, catalogue
from grader.student.selfcheck import self_check
from tests.helpers import reference_source

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)"),
]


class Browser:
    """The few DevTools calls these tests need; every event is kept in ``events``."""

    def __init__(self):
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def wire_fds():  # the child sees the pipes as fds 3 (commands in) and 4 (replies out)
            high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_chrome_r, from_chrome_w)]  # out of the way
            for source, target in zip(high, (3, 4)):
                os.dup2(source, target)
                os.set_inheritable(target, True)

        self.profile = tempfile.mkdtemp(prefix="chromium-")
        self.process = subprocess.Popen(
            [
                CHROMIUM,
                "--headless=new",
                "--remote-debugging-pipe",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            preexec_fn=wire_fds,
            close_fds=False,  # our pipes are close-on-exec; their copies 3 and 4 are not
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buffer, self._next_id, self.events = b"", 0, []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable", session=True)

    def call(self, method, session=False, timeout=30, **params):
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            reply = self._read()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]
            self.events.append(reply)
        raise TimeoutError(method)

    def _read(self):
        while b"\0" not in self._buffer:
            chunk = os.read(self._from_chrome, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def open(self, url, width, height):
        self.call(
            "Emulation.setDeviceMetricsOverride",
            session=True,
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=width < 600,
        )
        self.events.clear()
        self.call("Page.navigate", session=True, url=url)
        deadline = time.monotonic() + 30
        while not any(e.get("method") == "Page.loadEventFired" for e in self.events):
            assert time.monotonic() < deadline, f"{url} did not finish loading"
            self.events.append(self._read())
        self.call("Runtime.evaluate", session=True, expression="1")  # flush late events

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", session=True, format="png", captureBeyondViewport=True)["data"]
        Path(path).write_bytes(base64.b64decode(data))

    def close(self):
        self.process.kill()
        self.process.wait()
        os.close(self._to_chrome)
        os.close(self._from_chrome)
        shutil.rmtree(self.profile, ignore_errors=True)


def problems(events, page):
    """Console errors, exceptions, failed loads and requests for anything but ``page``."""
    found = []
    for e in events:
        method, params = e.get("method"), e.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert", "warning"):
            found.append(f"console {params['type']}: {params.get('args')}")
        elif method == "Runtime.exceptionThrown":
            found.append(f"exception: {params.get('exceptionDetails')}")
        elif method == "Log.entryAdded" and params["entry"].get("level") in ("error", "warning"):
            found.append(f"log: {params['entry'].get('text')} {params['entry'].get('url', '')}")
        elif method == "Network.requestWillBeSent" and params["request"]["url"] != page:
            found.append(f"request outside the page: {params['request']['url']}")
        elif method == "Network.loadingFailed":
            found.append(f"failed load: {params}")
    return found


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """A small class: a complete submission, a wrong one, an empty one and a broken zip."""
    root = tmp_path_factory.mktemp("class")
    (root / "ada").mkdir()
    for assignment in course.ASSIGNMENT_IDS:  # every figure of the report
        (root / "ada" / f"{assignment}.py").write_text(reference_source(assignment))
    (root / "bo <b>&").mkdir()
    (root / "bo <b>&" / "gradient_checking.py").write_text(
        reference_source("gradient_checking").replace("dtheta = x\n", "dtheta = 2 * x\n", 1)
    )
    (root / "cy").mkdir()
    (root / "cy" / "notes.txt").write_text("nothing here")
    (root / "dee.zip").write_bytes(b"PK\x03\x04 not really a zip")
    (root / "fay").mkdir()  # a partial submission with a known mistake
    mistake = next(e for e in catalogue("optimization") if e.name == "adam_no_bias_correction")
    (root / "fay" / "optimization.py").write_text(applied_to(reference_source("optimization"), mistake.source))
    out = tmp_path_factory.mktemp("out")
    assert grade_paths([root], out, jobs=1) == 0
    assert self_check(root / "fay", out / "self-check") == 0
    return out


@pytest.fixture(scope="module")
def browser():
    chrome = Browser()
    yield chrome
    chrome.close()


PAGES = [
    "summary.html",
    "ada/report.html",
    "bo__b__/report.html",
    "dee/report.html",
    "fay/report.html",
    "self-check/report.html",
]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("width,height", [(1280, 900), (390, 844)])
def test_page_renders_without_errors_or_outside_requests(graded, browser, page, width, height, tmp_path):
    url = (graded / page).as_uri()
    assert (graded / page).exists(), sorted(p.name for p in graded.iterdir())
    browser.open(url, width, height)
    assert problems(browser.events, url) == []
    # readable on a phone: nothing wider than the screen but the scrollable tables
    overflow = browser.call(
        "Runtime.evaluate",
        session=True,
        returnByValue=True,
        expression="document.documentElement.scrollWidth - window.innerWidth",
    )["result"]["value"]
    assert overflow <= 0, f"{page} is {overflow}px wider than a {width}px screen"
    shot = tmp_path / "page.png"
    browser.screenshot(shot)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 5_000
    if os.environ.get("SCREENSHOTS"):
        shutil.copy(shot, Path(os.environ["SCREENSHOTS"]) / f"{page.replace('/', '_')}-{width}.png")


def test_summary_cards_fit_a_phone(graded, browser):
    browser.open((graded / "summary.html").as_uri(), 390, 844)
    found = browser.call(
        "Runtime.evaluate",
        session=True,
        returnByValue=True,
        expression="""(() => {
        const cards = [...document.querySelectorAll('.card')].map(c => c.getBoundingClientRect());
        const overlaps = cards.some((a, i) => cards.some((b, j) => i < j && a.left < b.right && b.left < a.right
                                                          && a.top < b.bottom && b.top < a.bottom));
        const spill = [...document.querySelectorAll('.card')].filter(c => c.scrollWidth > c.clientWidth + 1).length;
        return {cards: cards.length, overlaps, spill, right: Math.max(...cards.map(c => c.right))};
    })()""",
    )["result"]["value"]
    assert found["cards"] == 6 and not found["overlaps"] and found["spill"] == 0 and found["right"] <= 390, found


def test_summary_links_to_every_report(graded, browser):
    url = (graded / "summary.html").as_uri()
    browser.open(url, 1280, 900)
    links = browser.call(
        "Runtime.evaluate",
        session=True,
        returnByValue=True,
        expression="[...document.querySelectorAll('#students ~ div a')].map(a => a.href)",
    )
    hrefs = links["result"]["value"]
    assert len(hrefs) == 5
    for href in hrefs:
        assert href.startswith("file://") and Path(unquote(href[len("file://") :])).exists(), href


def test_problems_sees_an_outside_request(browser, tmp_path):
    """The oracle itself: a page that loads an image from the network is caught."""
    page = tmp_path / "leaky.html"
    page.write_text(
        '<!doctype html><title>x</title><img src="http://example.invalid/pixel.png">'
        '<script>console.error("boom")</script>'
    )
    browser.open(page.as_uri(), 800, 600)
    found = problems(browser.events, page.as_uri())
    assert any("request outside the page" in p for p in found) and any("console error" in p for p in found)


AXE_VERSION = "4.14.1"


@pytest.fixture(scope="module")
def axe_source():
    """The text of axe-core's ``axe.min.js``: ``AXE_CORE_JS``, else npm's package installed once
    into ``~/.cache/dnn-autograder/axe-core-VERSION`` (nothing is added to the project)."""
    given = os.environ.get("AXE_CORE_JS")
    if given:
        return Path(given).read_text(encoding="utf-8")
    folder = Path.home() / ".cache" / "dnn-autograder" / f"axe-core-{AXE_VERSION}"
    script = folder / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm is not installed: axe-core cannot be fetched (set AXE_CORE_JS)")
        folder.mkdir(parents=True, exist_ok=True)
        run = subprocess.run(
            [
                npm,
                "install",
                "--no-save",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(folder),
                f"axe-core@{AXE_VERSION}",
            ],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert run.returncode == 0 and script.exists(), run.stderr
    return script.read_text(encoding="utf-8")


def axe_violations(browser, source):
    """axe-core's violations of the open page: ``[(rule id, impact, [target, ...])]``."""
    browser.call("Runtime.evaluate", session=True, expression=source)
    found = browser.call(
        "Runtime.evaluate",
        session=True,
        awaitPromise=True,
        returnByValue=True,
        timeout=120,
        expression="axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map("
        "v => [v.id, v.impact, v.nodes.slice(0, 5).map(n => n.target.join(' '))]))",
    )
    return found["result"]["value"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("width,height", [(1280, 900), (390, 844)])
def test_no_serious_accessibility_violation(graded, browser, axe_source, page, width, height):
    browser.open((graded / page).as_uri(), width, height)
    violations = axe_violations(browser, axe_source)
    serious = [v for v in violations if v[1] in ("serious", "critical")]
    assert serious == [], f"{page} at {width}px: {serious}"
    landmarks = browser.call(
        "Runtime.evaluate", session=True, returnByValue=True, expression="document.querySelectorAll('main').length"
    )["result"]["value"]
    assert landmarks == 1


def test_axe_sees_a_serious_violation(browser, axe_source, tmp_path):
    """The oracle itself: an unlabelled plot and low-contrast text are caught."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!doctype html><html lang="en"><title>x</title><main><svg role="img" width="10" height="10">'
        '<rect width="10" height="10"/></svg><p style="color:#bbb">faint</p></main></html>'
    )
    browser.open(page.as_uri(), 800, 600)
    rules = {v[0] for v in axe_violations(browser, axe_source) if v[1] in ("serious", "critical")}
    assert {"svg-img-alt", "color-contrast"} <= rules


@pytest.mark.parametrize("page", ["ada/report.html", "summary.html"])
@pytest.mark.parametrize("width,height", [(1280, 900), (390, 844)])
def test_chart_text_is_at_least_12px_and_every_plot_has_a_text_alternative(graded, browser, page, width, height):
    browser.open((graded / page).as_uri(), width, height)
    found = browser.call(
        "Runtime.evaluate",
        session=True,
        returnByValue=True,
        expression="""(() => {
        const sizes = [...document.querySelectorAll('svg text')].map(t => {
            const svg = t.ownerSVGElement, box = svg.viewBox.baseVal;
            const scale = box && box.width ? svg.getBoundingClientRect().width / box.width : 1;
            return parseFloat(getComputedStyle(t).fontSize) * scale;
        });
        const plots = [...document.querySelectorAll('svg[role=img]')];
        return {smallest: Math.min(...sizes), texts: sizes.length, plots: plots.length,
                unlabelled: plots.filter(s => !(s.getAttribute('aria-label') || '').trim()
                                               || !s.querySelector('title')).length};
    })()""",
    )["result"]["value"]
    assert found["texts"] > 10 and found["plots"] >= 5
    assert found["smallest"] >= 11.9, found
    assert found["unlabelled"] == 0


@pytest.mark.parametrize("page", ["ada/report.html", "fay/report.html", "summary.html"])
def test_no_header_sits_over_a_hidden_column_on_a_phone(graded, browser, page):
    """Below 600 px a column may be hidden, but then its header too (scores never under 'Function')."""
    browser.open((graded / page).as_uri(), 390, 844)
    mismatched = browser.call(
        "Runtime.evaluate",
        session=True,
        returnByValue=True,
        expression="""(() => {
        const shown = e => getComputedStyle(e).display !== 'none';
        const bad = [];
        for (const table of document.querySelectorAll('table')) {
            const rows = [...table.rows];
            if (!rows.length) continue;
            [...rows[0].cells].forEach((th, i) => {
                const cells = rows.slice(1).map(r => r.cells[i]).filter(c => c && c.colSpan === 1);
                if (cells.length && cells.every(c => shown(c)) !== shown(th)) bad.push(th.textContent.trim());
            });
        }
        return bad;
    })()""",
    )["result"]["value"]
    assert mismatched == []
