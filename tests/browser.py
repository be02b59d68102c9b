"""Open a page in headless Chromium (Debian's /usr/bin/chromium driven by Playwright),
with every request that would leave the machine blocked and recorded, and run axe-core
(bundled by axe-playwright-python) on it. Used by tests/test_html_pages.py."""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
SERIOUS = ("critical", "serious")


def chromium_path() -> str | None:
    """KAA_CHROMIUM, else the first Chromium found."""
    env = os.environ.get("KAA_CHROMIUM")
    if env:
        return env if Path(env).is_file() else None
    return next((p for p in CHROMIUM_CANDIDATES if Path(p).is_file()), None)


def why_no_browser() -> str | None:
    """None when a browser test can run, else the reason it cannot."""
    try:
        import axe_playwright_python  # noqa: F401
        import playwright  # noqa: F401
    except ImportError as e:
        return f"playwright/axe-playwright-python not installed ({e.name}); pip install -e .[dev]"
    if chromium_path() is None:
        return "no Chromium at /usr/bin/chromium (apt-get install chromium, or set KAA_CHROMIUM)"
    return None


@dataclass
class PageCheck:
    url: str
    offsite: list[str] = field(default_factory=list)   # requests that would have left the machine
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    violations: list[dict] = field(default_factory=list)  # axe violations (id, impact, nodes, help)
    overflow: int = 0  # CSS pixels the page is wider than the window (0 = it reflows)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for v in self.violations:
            out[v["impact"] or "none"] = out.get(v["impact"] or "none", 0) + 1
        return out

    def serious(self) -> list[str]:
        return [f"{v['impact']}: {v['id']} ({len(v['nodes'])} st) {v['help']}: "
                f"{v['nodes'][0]['target'] if v['nodes'] else ''}"
                for v in self.violations if v["impact"] in SERIOUS]


class Browser:
    """One Chromium for many pages: `with Browser() as b: b.check(path)`."""

    def __enter__(self) -> "Browser":
        from playwright.sync_api import sync_playwright

        self._profile = tempfile.mkdtemp(prefix="kaa-chromium-")
        self._pw = sync_playwright().start()
        self._ctx = self._pw.chromium.launch_persistent_context(
            self._profile, executable_path=chromium_path(), headless=True,
            args=FLAGS, offline=False, viewport={"width": 1000, "height": 800})
        return self

    def __exit__(self, *exc) -> None:
        self._ctx.close()
        self._pw.stop()
        shutil.rmtree(self._profile, ignore_errors=True)

    def check(self, path: Path, screenshot: Path | None = None, width: int = 1000) -> PageCheck:
        from axe_playwright_python.sync_playwright import Axe

        url = Path(path).resolve().as_uri()
        result = PageCheck(url)
        page = self._ctx.new_page()
        page.set_viewport_size({"width": width, "height": 800})

        def route(r):
            if r.request.url.startswith(LOCAL_SCHEMES):
                r.continue_()
            else:
                result.offsite.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.on("console", lambda m: result.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: result.page_errors.append(str(e)))
        page.goto(url, wait_until="load")
        page.wait_for_timeout(300)  # let scripts run that start on load
        result.overflow = int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))
        if screenshot is not None:
            page.screenshot(path=str(screenshot), full_page=False)
        # violations in full; passes and incomplete results only counted (axe's resultTypes):
        # half the time of a large page such as a diff of every scope
        result.violations = Axe().run(page, options={"resultTypes": ["violations"]}).response["violations"]
        page.close()
        return result
