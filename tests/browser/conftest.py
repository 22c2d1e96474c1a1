"""Chromium, driven by Playwright, against the site served by a real server process.

The server runs the development settings on its own SQLite file in a temporary folder, after
`migrate` and `load_demo`, exactly as `make run` does; its mail goes to files there. The
browser is Debian's Chromium (/usr/bin/chromium); Playwright's own downloads are not used.
Without Chromium these tests are skipped with the reason, unless BROWSER_TESTS_REQUIRED=1 (as
CI sets) turns the skip into a failure.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
DEMO_PASSWORD = "demo-browser-password-7391"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(item.fspath).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.browser)


@dataclass
class SiteServer:
    url: str
    var_dir: Path
    env: dict

    @property
    def mail_dir(self) -> Path:
        return self.var_dir / "mail"

    def newest_mail(self) -> str:
        files = sorted(self.mail_dir.glob("*.log"), key=lambda path: path.stat().st_mtime)
        assert files, f"no mail written to {self.mail_dir}"
        return files[-1].read_text()

    def all_mail(self) -> str:
        """Every mail the site has written so far, oldest first."""
        files = sorted(self.mail_dir.glob("*.log"), key=lambda path: path.stat().st_mtime)
        return "\n".join(path.read_text() for path in files)

    def manage(self, *args: str) -> str:
        result = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not Path(CHROMIUM).exists():
        reason = f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium`"
        if os.environ.get("BROWSER_TESTS_REQUIRED", "") in {"1", "true", "yes"}:
            pytest.fail(reason + " (BROWSER_TESTS_REQUIRED is set)")
        pytest.skip(reason)
    return CHROMIUM


@pytest.fixture(scope="session")
def site_server(chromium_path, tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("site")
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "EMAIL_URL", "REDIS_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="urbanexchange.settings.dev",
        VAR_DIR=str(var_dir),
        DEBUG="0",  # the visitor's error pages, not Django's debug pages
        DEMO_PASSWORD=DEMO_PASSWORD,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        BASE_URL=f"http://127.0.0.1:{port}",
    )
    server = SiteServer(url=f"http://127.0.0.1:{port}", var_dir=var_dir, env=env)
    server.manage("migrate", "--noinput", "-v", "0")
    server.manage("load_demo", "--quiet")
    log = (var_dir / "server.log").open("w")
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(server.url + "/robots.txt", timeout=2)  # noqa: S310
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("the site did not start:\n" + (var_dir / "server.log").read_text())
            time.sleep(0.2)
    yield server
    process.terminate()
    process.wait(timeout=10)
    log.close()


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, site_server):
    """A fresh browser tab with its own cookies."""
    context = browser.new_context(base_url=site_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()
