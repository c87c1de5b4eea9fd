"""A real `streamlit run app.py` server on a free port with a temporary database,
driven by Playwright in Debian's headless Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
CHROMIUM = os.environ.get("BUDGETWISE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

pytestmark = pytest.mark.e2e


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium); end-to-end tests need it")
    try:
        import playwright  # noqa: F401
    except ImportError:
        pytest.skip("the playwright package is not installed (pip install -e '.[dev]')")
    return CHROMIUM


class Server:
    def __init__(self, url: str, data_dir: Path, process: subprocess.Popen, log: Path) -> None:
        self.url, self.data_dir, self.process, self.log = url, data_dir, process, log


def start_server(data_dir: Path, log: Path, extra_env: dict[str, str] | None = None, *, script: str = "app.py") -> Server:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BUDGETWISE_")}
    env.update(
        BUDGETWISE_DATA_DIR=str(data_dir),
        BUDGETWISE_BCRYPT_ROUNDS="4",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra_env or {})
    handle = log.open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / script), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return Server(url, data_dir, process, log)
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise RuntimeError(f"streamlit did not become healthy:\n{log.read_text()}")


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()


@pytest.fixture
def server(tmp_path: Path, chromium_path: str) -> Iterator[Server]:
    srv = start_server(tmp_path / "data", tmp_path / "streamlit.log")
    try:
        yield srv
    finally:
        stop_server(srv)


@pytest.fixture
def browser(chromium_path: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser, tmp_path: Path):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    shots = Path(os.environ.get("BUDGETWISE_E2E_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    try:
        pg.screenshot(path=str(shots / "last.png"), full_page=True)
    except Exception:  # noqa: BLE001 - best effort for debugging
        pass
    context.close()
