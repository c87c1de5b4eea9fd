"""Community Cloud rehearsal: the public demo as Streamlit Community Cloud runs it, measured in a browser.

Community Cloud clones the repository, runs ``pip install -r requirements.txt`` (the project itself is
not installed), writes the app's secrets to ``.streamlit/secrets.toml`` and runs ``streamlit run app.py``
from the repository root in a container of limited memory (690 MB guaranteed, 2.7 GB at most as of
Feb 2024, docs.streamlit.io "Manage your app"). This script starts that server from a clean clone with
a given Python (a venv made from requirements.txt only), then drives headless Chromium:

1. cold start: process start to the sign-in page with "Explore the demo account" shown;
2. ``--visitors`` concurrent browser contexts each click "Explore the demo account", add a transaction
   with a description of their own, visit every page (Forecast and Cash flow included), search for
   every visitor's description (their own found, the others' never) and log out (their account is deleted);
3. the resident memory (VmRSS) of the server and its child processes, sampled every 0.2 s:
   after start, after each wave of visitors, after the forecasts, the peak, and the database's visitor
   accounts before and after logout.

Run (a few minutes)::

    python3 -m venv /tmp/v && /tmp/v/bin/pip install -r requirements.txt
    git clone . /tmp/clone && printf 'BUDGETWISE_DEMO = "true"\\nBUDGETWISE_SECRET_KEY = "%s"\\n' \\
        "$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))')" > /tmp/clone/.streamlit/secrets.toml
    .venv/bin/python benchmarks/cloud_demo.py --python /tmp/v/bin/python --clone /tmp/clone --port 8642

Playwright comes from the development venv (it only drives the browser). Not a test: no timed assertions.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import sqlite3
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
PAGES = ["Dashboard", "Transactions", "Accounts", "Import", "Categorize", "Reports", "Budgets", "Goals", "Forecast",
         "Cash flow", "Profile"]


def tree_rss_kb(pid: int) -> tuple[int, int]:
    """(RSS of ``pid``, RSS of ``pid`` and every descendant) in kB, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                children.setdefault(int(fields[1]), []).append(int(entry))
            except (OSError, IndexError):
                pass
    total, own, todo = 0, 0, [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    kb = int(line.split()[1])
                    total += kb
                    own = kb if p == pid else own
        except OSError:
            continue
        todo.extend(children.get(p, []))
    return own, total


def cpu_s(pid: int) -> float:
    """CPU seconds (user + system) the server process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return round((int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"), 1)


class Sampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.peak_own, self.stop = pid, 0, 0, False

    def run(self) -> None:
        while not self.stop:
            own, total = tree_rss_kb(self.pid)
            self.peak, self.peak_own = max(self.peak, total), max(self.peak_own, own)
            time.sleep(0.2)

    def now(self) -> str:
        own, total = tree_rss_kb(self.pid)
        return f"server {own / 1024:.0f} MB, with children {total / 1024:.0f} MB"


async def idle(page, timeout: float = 180.0) -> None:
    """Wait until the script run is over: Streamlit's "Running..." status widget gone and no stale
    element left, for a whole second."""
    await page.wait_for_function(
        """() => {
            const busy = document.querySelector('[data-testid="stStatusWidget"]')
                || document.querySelector('[data-stale="true"]');
            const now = Date.now();
            if (busy) { window.__bwQuietSince = null; return false; }
            window.__bwQuietSince = window.__bwQuietSince || now;
            return now - window.__bwQuietSince > 1000;
        }""", timeout=timeout * 1000, polling=100)


async def nav(page, name: str, timeout: float = 180.0) -> None:
    """Follow the sidebar's link to page ``name`` and wait for its run (and its title, but for "Log out")."""
    await page.locator("[data-testid='stSidebarNav']").get_by_role("link", name=name, exact=True).click()
    if name != "Log out":
        await page.locator("[data-testid='stMain'] h1").filter(has_text=name).first.wait_for(timeout=timeout * 1000)
    await idle(page, timeout)


async def listing_total(page) -> int:
    main = await page.locator("[data-testid='stMain']").inner_text()
    found = re.search(r" of ([\d,]+) transactions", main)
    return int(found.group(1).replace(",", "")) if found else 0


async def wait_total(page, total: int) -> None:
    """Wait until the listing's caption says ``total`` transactions."""
    await page.wait_for_function(
        "n => (document.querySelector('[data-testid=\"stMain\"]').innerText.match(/ of ([\\d,]+) transactions/) "
        "|| [0, '0'])[1].replace(/,/g, '') == String(n)", arg=total, timeout=120_000)
    await idle(page)


async def problems(page) -> list[str]:
    out = []
    for sel in ("[data-testid='stException']",):
        for el in await page.query_selector_all(sel):
            out.append((await el.inner_text())[:300])
    for el in await page.query_selector_all("[data-testid='stAlertContentError']"):
        out.append("error: " + (await el.inner_text())[:200])
    return out


async def visitor(browser, url: str, n: int, tags: list[str], log: dict, barrier: asyncio.Barrier,
                  db: Path | None) -> None:
    ctx = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await ctx.new_page()
    try:
        await _visit(page, url, n, tags, log, barrier, db)
    except BaseException:
        await barrier.abort()  # the others stop waiting for this one
        await page.screenshot(path=f"/tmp/cloud-shot-{n}-failed.png")
        raise
    finally:
        await ctx.close()


async def _visit(page, url: str, n: int, tags: list[str], log: dict, barrier: asyncio.Barrier,
                 db: Path | None) -> None:
    rec: dict = {"pages": {}, "problems": []}
    log[n] = rec
    await page.goto(url)
    await page.get_by_role("button", name="Explore the demo account").click(timeout=120_000)
    t = time.perf_counter()
    await page.get_by_text("Temporary demo account").first.wait_for(timeout=180_000)
    await idle(page)
    rec["demo_s"] = round(time.perf_counter() - t, 1)
    rec["email"] = (await page.locator("[data-testid='stSidebar']").get_by_text("Signed in as").inner_text()).strip()
    # add a transaction of one's own
    await nav(page, "Transactions")
    await page.get_by_text("Add a transaction").click()
    await page.wait_for_timeout(500)
    form = page.locator("[data-testid='stForm']").first
    await form.get_by_label("Amount").fill("12.34")
    await form.get_by_label("Description").fill(tags[n])
    await form.get_by_role("button", name="Add transaction").click()
    for _ in range(600):  # stored? (the database says; the page's caption may lag behind)
        if db is None or owners(db, tags[n]):
            break
        await page.wait_for_timeout(200)
    await idle(page)
    for name in PAGES:
        t = time.perf_counter()
        await nav(page, name, 300)
        if name in ("Forecast", "Cash flow"):  # a chart once the figures are computed
            await page.locator("[data-testid='stPlotlyChart']").first.wait_for(timeout=300_000)
            await idle(page, 300)
        rec["pages"][name] = round(time.perf_counter() - t, 1)
        found = await problems(page)
        if found:
            rec["problems"].append((name, found))
        await page.screenshot(path=f"/tmp/cloud-shot-{n}-{name.replace(' ', '_')}.png", full_page=False)
    await barrier.wait()  # every visitor has added theirs: search for the others'
    await nav(page, "Transactions")
    total = await listing_total(page)
    seen = {}
    await page.get_by_text("Filter", exact=True).first.click()
    for other, tag in enumerate(tags):
        box = page.get_by_label("Search description and notes")
        await box.wait_for(timeout=30_000)
        if other:  # back to every row first, so the wait below sees this search's own result
            await box.fill("")
            await box.press("Enter")
            await wait_total(page, total)
        await box.fill(tag)
        await box.press("Enter")
        await page.wait_for_function(  # the search has run: one row or none (the table itself is a canvas)
            "() => /Showing 1–1 of 1 transactions|No transactions match/.test("
            "document.querySelector('[data-testid=\"stMain\"]').innerText)", timeout=120_000)
        await idle(page)
        main = await page.locator("[data-testid='stMain']").inner_text()
        seen[other] = "Showing 1–1 of 1 transactions" in main
        await page.screenshot(path=f"/tmp/cloud-shot-{n}-search-{other}.png")
    rec["sees"] = seen
    if db is not None:  # whose account each description was stored in
        rec["owner_of_own_row"] = owners(db, tags[n])
    await barrier.wait()
    await nav(page, "Log out")
    await page.get_by_role("button", name="Explore the demo account").wait_for(timeout=60_000)


def owners(db: Path, description: str) -> list[str]:
    """The emails of the accounts holding a transaction with this description."""
    with sqlite3.connect(db) as con:
        return [r[0] for r in con.execute(
            "select u.email from transactions t join users u on u.id = t.user_id where t.description = ?",
            (description,))]


def visitor_accounts(db: Path) -> int:
    with sqlite3.connect(db) as con:
        return con.execute("select count(*) from users where email like '%@demo.budgetwise.app'").fetchone()[0]


async def main_async(args) -> dict:
    from playwright.async_api import async_playwright

    clone = Path(args.clone).resolve()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BUDGETWISE_", "STREAMLIT_"))}
    env["PYTHONUNBUFFERED"] = "1"
    log_file = open(f"/tmp/cloud-server-{args.port}.log", "w")  # noqa: SIM115 - open for the server's lifetime
    out: dict = {"waves": []}
    t0 = time.perf_counter()
    proc = subprocess.Popen([args.python, "-m", "streamlit", "run", "app.py", "--server.port", str(args.port),
                             "--server.address", "127.0.0.1"], cwd=clone, env=env, stdout=log_file,
                            stderr=subprocess.STDOUT)
    sampler = Sampler(proc.pid)
    sampler.start()
    url = f"http://127.0.0.1:{args.port}"
    try:
        while True:
            try:
                urllib.request.urlopen(url + "/_stcore/health", timeout=1)
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(Path(log_file.name).read_text()) from None
                time.sleep(0.2)
        out["health_s"] = round(time.perf_counter() - t0, 1)
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            ctx = await browser.new_context()
            page = await ctx.new_page()
            await page.goto(url)
            await page.get_by_role("button", name="Explore the demo account").wait_for(timeout=180_000)
            out["cold_start_s"] = round(time.perf_counter() - t0, 1)
            out["cold_start_cpu_s"] = cpu_s(proc.pid)
            out["load_average"] = os.getloadavg()
            await page.screenshot(path="/tmp/cloud-shot-signin.png")
            await ctx.close()
            out["rss_after_start"] = sampler.now()
            print("cold start", out["cold_start_s"], "s wall,", out["cold_start_cpu_s"], "s CPU;", out["rss_after_start"],
                  flush=True)
            db = clone / "data" / "budgetwise.db"
            for wave in range(args.waves):
                tags = [f"cloudcheck-w{wave}-v{i}-{os.urandom(3).hex()}" for i in range(args.visitors)]
                log: dict = {}
                barrier = asyncio.Barrier(args.visitors)
                t = time.perf_counter()
                results = await asyncio.gather(*(visitor(browser, url, i, tags, log, barrier, db)
                                                 for i in range(args.visitors)), return_exceptions=True)
                wave_out = {"wall_s": round(time.perf_counter() - t, 1), "visitors": log,
                            "errors": [repr(r) for r in results if isinstance(r, BaseException)],
                            "rss_after": sampler.now(), "server_cpu_s": cpu_s(proc.pid), "peak_so_far_mb": round(sampler.peak / 1024),
                            "visitor_accounts_left": visitor_accounts(db) if db.exists() else None}
                out["waves"].append(wave_out)
                print(json.dumps(wave_out, indent=1), flush=True)
            await browser.close()
        time.sleep(args.settle)
        out["rss_end"] = sampler.now()
        out["peak_mb"] = round(sampler.peak / 1024)
        out["peak_server_mb"] = round(sampler.peak_own / 1024)
        secret = clone / "data" / "secret_key"
        out["generated_secret_file"] = (oct(secret.stat().st_mode & 0o777) if secret.exists() else None)
    finally:
        sampler.stop = True
        proc.terminate()
        proc.wait(30)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--python", required=True, help="python of a venv made from requirements.txt only")
    parser.add_argument("--clone", required=True, help="a clean clone of the repository (with .streamlit/secrets.toml)")
    parser.add_argument("--port", type=int, default=8642)
    parser.add_argument("--visitors", type=int, default=4)
    parser.add_argument("--waves", type=int, default=2)
    parser.add_argument("--settle", type=float, default=5.0, help="seconds to wait before the last memory reading")
    args = parser.parse_args()
    out = asyncio.run(main_async(args))
    print(json.dumps({k: v for k, v in out.items() if k != "waves"}, indent=1))


if __name__ == "__main__":
    main()
