#!/usr/bin/python3
"""The operations dashboard (GET /ui) in a real browser.

Starts the built `utxoiq-store serve` on its embedded PostgreSQL and Redis in a temporary data
dir, on a free port, with a bootstrap admin key; seeds data through the API; drives headless
Chromium (Debian chromium + chromium-driver, through python3-selenium) and checks what an operator
sees. Screenshots of each view go to --screenshots. Missing Chromium is a failure, never a skip:
the dashboard is only tested here.
"""
import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
SCRIPT_COMMENT = ('<script>window.__xss = 1; document.title = "pwned";</script>'
                  '<img src=x onerror="window.__xss = 2">')
METRIC_POINTS = 12
# Series of one more service: more than a page of GET /metrics/series (at most 500), so the
# metrics picker lists them all only by following next_cursor.
MANY_SERIES = 600
WAIT_S = 30


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)
    print(f"ok: {message}")


# --- the service -------------------------------------------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Service:
    def __init__(self, binary, workdir, key):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.key = key
        self.log_path = os.path.join(workdir, "serve.log")
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "UTXOIQ_BOOTSTRAP_ADMIN_KEY": key}
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [binary, "serve", "--data-dir", os.path.join(workdir, "var"),
             "--listen", f"127.0.0.1:{self.port}"],
            env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def wait_ready(self, limit_s=120):
        deadline = time.time() + limit_s
        while time.time() < deadline:
            if self.process.poll() is not None:
                fail(f"serve exited with {self.process.returncode}:\n{self.output()}")
            try:
                with urllib.request.urlopen(f"{self.base}/readyz", timeout=2) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.3)
        fail(f"serve not ready within {limit_s} s:\n{self.output()}")

    def output(self):
        with open(self.log_path) as f:
            return f.read()[-4000:]

    def call(self, method, path, body=None, headers=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.base}{path}", data=data, method=method)
        request.add_header("X-API-Key", self.key)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=10) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def json(self, method, path, body=None):
        status, _, raw = self.call(method, path, body)
        if status >= 300:
            fail(f"{method} {path} -> {status}: {raw[:500]!r}")
        return json.loads(raw)

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def seed(service):
    """A job at 40%, metric points over the last hour, feedback with a <script> comment."""
    job = service.json("POST", "/api/v1/monitoring/backfill/start",
                       {"job_type": "utxo_index", "start_block": 0, "end_block": 1000})
    time.sleep(1.2)  # so the job has a rate to show
    eta = (datetime.now(timezone.utc) + timedelta(minutes=30)).isoformat()
    job = service.json("POST", "/api/v1/monitoring/backfill/progress",
                       {"job_id": job["id"], "current_block": 400, "estimated_completion": eta})
    check(job["progress_percentage"] == 40, "seeded job is at 40%")
    done = service.json("POST", "/api/v1/monitoring/backfill/start",
                        {"job_type": "tx_index", "start_block": 10, "end_block": 20})
    service.json("POST", f"/api/v1/monitoring/backfill/{done['id']}/complete", {})
    now = datetime.now(timezone.utc)
    points = [{"service_name": "btc-node", "metric_type": "block_latency_ms", "unit": "ms",
               "metric_value": 100 + 10 * i,
               "timestamp": (now - timedelta(minutes=4 * i + 1)).isoformat()}
              for i in range(METRIC_POINTS)]
    inserted = service.json("POST", "/api/v1/monitoring/metrics/batch", {"metrics": points})
    check(inserted["inserted"] == METRIC_POINTS, f"{METRIC_POINTS} metric points seeded")
    many = [{"service_name": "zz-many", "metric_type": f"t{i:03d}", "unit": "ms",
             "metric_value": i, "timestamp": (now - timedelta(minutes=1)).isoformat()}
            for i in range(MANY_SERIES)]
    inserted = service.json("POST", "/api/v1/monitoring/metrics/batch", {"metrics": many})
    check(inserted["inserted"] == MANY_SERIES, f"{MANY_SERIES} more series seeded")
    for user, rating in (("alice", 5), ("bob", 4), ("carol", 2)):
        service.json("POST", "/api/v1/feedback/rate",
                     {"insight_id": "whale-move", "user_id": user, "rating": rating})
    service.json("POST", "/api/v1/feedback/rate",
                 {"insight_id": "fee-spike", "user_id": "alice", "rating": 3})
    service.json("POST", "/api/v1/feedback/flag",
                 {"insight_id": "fee-spike", "user_id": "dave", "flag_type": "spam"})
    service.json("POST", "/api/v1/feedback/comment",
                 {"insight_id": "whale-move", "user_id": "mallory", "comment": SCRIPT_COMMENT})
    return job


def check_static_files(service):
    status, headers, body = service.call("GET", "/ui")
    check(status == 200 and headers.get("Content-Type", "").startswith("text/html"),
          "GET /ui is HTML")
    check(headers.get("Content-Security-Policy", "").startswith("default-src 'self'"),
          "GET /ui has a CSP of self only")
    check(b"<script>" not in body and b"style=" not in body,
          "index.html has no inline script or style")
    status, headers, _ = service.call("GET", "/ui/chart.js")
    check(status == 200 and headers.get("Content-Type", "").startswith("text/javascript"),
          "Chart.js is served as JavaScript")
    chart_etag = headers.get("ETag", "")
    status, _, _ = service.call("GET", "/ui/app.css", headers={"If-None-Match": chart_etag})
    check(status == 200, "another file's ETag does not give 304")
    etag = service.call("GET", "/ui/app.css")[1]["ETag"]
    status, _, body = service.call("GET", "/ui/app.css", headers={"If-None-Match": etag})
    check(status == 304 and body == b"", "If-None-Match with the ETag gives 304")


# --- the browser -------------------------------------------------------------------------------

def browser():
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.path.exists(path):
            fail(f"{path} is missing: install chromium and chromium-driver (scripts/setup.sh)")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service as DriverService
    except ImportError:
        fail("python3-selenium is missing (scripts/setup.sh installs it)")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,800", "--no-first-run", "--disable-extensions",
                "--disable-background-networking", "--disable-component-update"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    return webdriver.Chrome(service=DriverService(executable_path=CHROMEDRIVER), options=options)


class Page:
    def __init__(self, driver, base, shots):
        self.driver = driver
        self.base = base
        self.shots = shots
        self.console = []
        self.requests = []

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def wait(self, condition, what, limit_s=WAIT_S):
        deadline = time.time() + limit_s
        last = None
        while time.time() < deadline:
            try:
                last = condition()
                if last:
                    return last
            except Exception as e:  # the element may not exist yet
                last = e
            time.sleep(0.2)
        self.shot("failure")
        fail(f"timed out waiting for {what} (last: {last!r}); console: {self.drain_console()}")

    def shot(self, name):
        os.makedirs(self.shots, exist_ok=True)
        self.js("window.scrollTo(0, 0)")
        self.driver.save_screenshot(os.path.join(self.shots, f"{name}.png"))

    def drain_console(self):
        entries = self.driver.get_log("browser")
        self.console.extend(entries)
        return [e for e in entries if e["level"] == "SEVERE"]

    def drain_network(self):
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") == "Network.requestWillBeSent":
                self.requests.append(message["params"]["request"])

    def text(self, selector):
        return self.js("const e = document.querySelector(arguments[0]);"
                       " return e ? e.textContent : null;", selector)

    def renders(self):
        return int(self.js("return Number(document.body.dataset.renders || 0);"))

    def type_key(self, key):
        from selenium.webdriver.common.by import By
        field = self.driver.find_element(By.ID, "admin-key")
        field.clear()
        field.send_keys(key)
        self.driver.find_element(By.CSS_SELECTOR, "#key-form button[type=submit]").click()

    def go(self, view, ready_selector):
        from selenium.webdriver.common.by import By
        self.driver.find_element(By.CSS_SELECTOR, f'.views a[href="#{view}"]').click()
        self.wait(lambda: self.js("return document.body.dataset.view") == view
                  and self.js(JS_HAS, ready_selector), f"the {view} view")


# Scripts run in the page (arguments[0] is the argument given to Page.js).
JS_TYPE_OPTIONS = "return document.querySelectorAll('#metric-type option').length"
JS_LOADED = "return document.readyState === 'complete' && typeof window.Chart === 'function'"
JS_KEY_ERROR = ("const s = document.getElementById('key-status');"
                " return s.classList.contains('error') ? s.textContent : '';")
JS_HAS = "return document.querySelector(arguments[0]) !== null"
JS_NOT_GREEN = ("return [...document.querySelectorAll('[data-card]')]"
                ".filter(c => c.dataset.state === 'red' || c.dataset.state === 'amber')"
                ".map(c => c.dataset.card)")
JS_KEY_PLACES = ("return sessionStorage.getItem('utxoiq-admin-key') === arguments[0]"
                 " && localStorage.length === 0 && document.cookie === ''")
JS_JOB_ROW = ("const b = document.querySelector("
              "`progress[aria-label='progress of job ${arguments[0]}']`); return b ?"
              " [b.value, ...[...b.closest('tr').cells].map(c => c.textContent)] : null;")
JS_CLICK_JOB = "document.querySelector(`button[data-job='${arguments[0]}']`).click()"
JS_JOB_TYPES = ("return [...document.querySelectorAll('#job-list tbody tr')]"
                ".map(r => r.cells[1].textContent).join()")
JS_RAW_POINTS = ("const f = document.querySelector('#metric-chart figure');"
                 " return f ? f.dataset.rawPoints : null;")
JS_DRAWN = ("const c = Chart.getChart(document.querySelector('#metric-chart canvas'));"
            " const d = c.data.datasets.find(s => s.label === 'raw points');"
            " return d.data.map(p => p.y).sort((a, b) => a - b);")
JS_PAINTED = ("const c = document.querySelector('#metric-chart canvas');"
              " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
              " let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return n;")
JS_COMMENTS = ("return [...document.querySelectorAll('#feedback-comments .comment-text')]"
               ".map(e => e.textContent)")
JS_RAN_NOTHING = ("return window.__xss === undefined && document.title !== 'pwned'"
                  " && document.querySelectorAll("
                  "'#feedback-comments script, #feedback-comments img').length === 0")
JS_FOCUSED = "const e = document.activeElement; return e.id || e.getAttribute('href') || e.tagName;"


def check_start_and_wrong_key(page):
    page.driver.get(f"{page.base}/ui")
    page.wait(lambda: page.js(JS_LOADED), "the page and Chart.js")
    page.wait(lambda: page.renders() >= 1, "the first render")
    check(page.drain_console() == [], "the page loads with no console error")
    page.shot("0-start")
    page.type_key("not-the-admin-key-" + secrets.token_hex(12))
    message = page.wait(lambda: page.js(JS_KEY_ERROR), "the wrong-key message")
    check("does not know this key" in message, f"a wrong key says so clearly: {message!r}")
    check(page.js("return sessionStorage.length") == 0, "a wrong key is not kept")
    page.shot("0-wrong-key")
    check(all("401" in e["message"] for e in page.drain_console()),
          "the only console errors of the wrong key are its 401")


def check_overview(page):
    """Green once the request rate is measured (two scrapes of /metrics)."""
    page.type_key(page.key)
    page.wait(lambda: page.js(JS_HAS, "#overview-summary"), "the overview")
    first = page.renders()
    page.wait(lambda: page.renders() >= first + 1, "an overview refresh", 20)
    state = page.js("return document.getElementById('overview-summary').dataset.state")
    bad = page.js(JS_NOT_GREEN)
    banner = page.text("#overview-summary")
    check(state == "green" and bad == [],
          f"the overview is green (state {state}, not green: {bad}; {banner!r})")
    check(page.js("return document.querySelectorAll('[data-card]').length") >= 6,
          "the overview shows its cards")
    check(page.js(JS_KEY_PLACES, page.key),
          "the key is in sessionStorage only (no localStorage, no cookie)")
    page.shot("1-overview")


def check_jobs(page, job):
    """The 40% job: a bar at 40 and an ETA; its history on click; the status filter."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select
    page.go("jobs", "#job-list table")
    row = page.wait(lambda: page.js(JS_JOB_ROW, job["id"]), "the job's row")
    check(row[0] == 40, f"the 40% job shows a bar at 40 ({row[0]})")
    check("40 %" in row[4] and re.search(r"in (2[89]|30) min", row[7]),
          f"the job's row shows 40 % and its ETA: {row}")
    # The live refresh replaces the table every 5 s: click in the page, not through a stale handle.
    page.js(JS_CLICK_JOB, job["id"])
    page.wait(lambda: job["id"] in (page.text("#job-detail") or ""), "the job's history")
    status = Select(page.driver.find_element(By.ID, "job-status"))
    status.select_by_value("completed")
    page.wait(lambda: page.js(JS_JOB_TYPES) == "tx_index", "the status filter")
    status.select_by_value("")
    page.wait(lambda: page.js(JS_JOB_TYPES) == "tx_index,utxo_index", "both jobs again")
    page.shot("2-jobs")


def check_metrics(page):
    """24 h of hourly bands, then 1 h with the seeded raw points drawn."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select
    page.go("metrics", "#metric-chart figure")
    buckets = page.js("return document.querySelector('#metric-chart figure').dataset.buckets")
    check(int(buckets) >= 1, "the 24 h chart has hourly buckets")
    Select(page.driver.find_element(By.ID, "metric-range")).select_by_value("1")
    page.wait(lambda: page.js(JS_RAW_POINTS) == str(METRIC_POINTS), "the raw points")
    check(page.js(JS_DRAWN) == [100 + 10 * i for i in range(METRIC_POINTS)],
          f"the chart holds the {METRIC_POINTS} seeded values")
    painted = page.js(JS_PAINTED)
    check(painted > 1000, f"the canvas is drawn ({painted} painted pixels)")
    rows = page.js("return document.querySelectorAll('#metric-chart table tbody tr').length")
    check(rows >= METRIC_POINTS, "the chart's numbers are in a table")
    page.shot("3-metrics")
    Select(page.driver.find_element(By.ID, "metric-service")).select_by_value("zz-many")
    page.wait(lambda: page.js(JS_TYPE_OPTIONS) == MANY_SERIES,
              f"all {MANY_SERIES} series of a service spread over two pages of the series list")


def check_feedback_and_database(page):
    """The <script> comment is text and ran nothing; the database view loads."""
    page.go("feedback", "#feedback-comments")
    check(SCRIPT_COMMENT in page.js(JS_COMMENTS), "the <script> comment shows as text")
    check(page.js(JS_RAN_NOTHING), "the comment ran nothing")
    page.wait(lambda: "whale-move" in (page.text("main") or "")
              and page.js("return document.querySelectorAll('main canvas').length") == 1,
              "the feedback panels")
    page.shot("4-feedback")
    page.go("database", "section[aria-label='Connection pool'] table")
    page.shot("5-database")


# The operations' buttons and the route each needs; a missing route is said on the page.
ACTIONS = (("Dry-run retention", "/api/v1/monitoring/retention/run", "Retention runs"),
           ("Back up now", "/api/v1/monitoring/backup/run", "Backups"))


def check_operations(page, routes):
    """A panel whose route is missing says so; an action asks first, then shows its result."""
    from selenium.webdriver.common.by import By
    page.go("operations", "section[aria-label='Run now']")
    page.wait(lambda: "Loading" not in page.text("main"), "the operations panels")
    page.shot("6-operations")
    for label, route, list_panel in ACTIONS:
        if route not in routes:
            check(f"{label}: not available on this server yet." in page.text("main"),
                  f"{label}: the page says its route is not available on this server yet")
            continue
        find = page.driver.find_element
        find(By.XPATH, f"//button[normalize-space()='{label}']").click()
        page.wait(lambda: page.js(JS_HAS, "[role=group] button"), f"{label}: the confirmation")
        find(By.XPATH, "//button[normalize-space()='Yes, run it']").click()
        page.wait(lambda: f"{label}: done." in page.text("section[aria-label='Run now']"),
                  f"{label}: its result", 90)
        page.wait(lambda: page.js(JS_HAS, f"section[aria-label='{list_panel}'] table"),
                  f"{label}: the new row in {list_panel}")
        page.shot("6-operations-" + label.lower().replace(" ", "-"))
        print(f"ok: {label} asks for confirmation, then shows its result and the new row")


def check_layouts(page):
    """A reload keeps the key; the dark scheme; phone width; keyboard reach of the controls."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys
    d = page.driver
    d.get(f"{page.base}/ui#overview")
    page.wait(lambda: page.js(JS_HAS, "#overview-summary"), "the overview after a reload")
    check(page.js("return sessionStorage.getItem('utxoiq-admin-key') !== null"),
          "a reload of the tab keeps the key")
    def scheme(value):
        d.execute_cdp_cmd("Emulation.setEmulatedMedia",
                          {"features": [{"name": "prefers-color-scheme", "value": value}]})
    background = "return getComputedStyle(document.body).backgroundColor"
    light = page.js(background)
    scheme("dark")
    dark = page.js(background)
    check(light != dark, f"the dark scheme changes the colours ({light} -> {dark})")
    page.shot("7-overview-dark")
    scheme("light")
    d.set_window_size(390, 844)
    page.wait(lambda: page.js("return window.innerWidth") <= 400, "the phone width")
    page.go("jobs", "#job-list table")
    check(page.js("return document.documentElement.scrollWidth <= window.innerWidth + 1"),
          "no horizontal scroll at phone width")
    page.shot("8-jobs-phone")
    d.set_window_size(1280, 800)
    d.find_element("tag name", "body").click()
    reached = set()
    for _ in range(20):
        ActionChains(d).send_keys(Keys.TAB).perform()  # to the page, whatever has the focus
        reached.add(page.js(JS_FOCUSED))
    wanted = {"admin-key", "forget-key", "#overview", "#jobs", "#metrics", "#feedback",
              "#database", "#operations"}
    check(wanted <= reached,
          f"the key field and every view are reachable with Tab ({sorted(reached)})")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--screenshots", required=True)
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="utxoiq-dashboard-")
    os.chmod(workdir, 0o755)  # as root, the embedded PostgreSQL runs as another user
    key = "dashboard-test-admin-" + secrets.token_urlsafe(24)
    service = Service(args.binary, workdir, key)
    driver = None
    try:
        service.wait_ready()
        check_static_files(service)
        job = seed(service)
        driver = browser()
        page = Page(driver, service.base, args.screenshots)
        page.key = key
        check_start_and_wrong_key(page)
        check_overview(page)
        check_jobs(page, job)
        check_metrics(page)
        check_feedback_and_database(page)
        check_operations(page, set(service.json("GET", "/openapi.json")["paths"]))
        check_layouts(page)
        page.drain_console()
        unexpected = [e for e in page.console
                      if e["level"] == "SEVERE" and "401" not in e["message"]]
        check(unexpected == [], f"no console error besides the wrong key's 401: {unexpected}")
        page.drain_network()
        check(len(page.requests) > 10, f"the network log saw the requests ({len(page.requests)})")
        headers = [r.get("headers", {}) for r in page.requests]
        check(any(h.get("X-API-Key") == key for h in headers),
              "the key went as the X-API-Key header")
        check(all(key not in r["url"] for r in page.requests), "no request URL contains the key")
        check(all(key not in h.get("Cookie", "") for h in headers), "no cookie carries the key")
    finally:
        if driver is not None:
            driver.quit()
        service.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"dashboard browser test passed; screenshots in {args.screenshots}")


if __name__ == "__main__":
    main()
