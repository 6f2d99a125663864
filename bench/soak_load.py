# The mixed load of bench/soak.py: a few threads, each with its own keep-alive connection, writing
# (ratings with a unique (insight, user) pair, backfill job creates) and reading (statistics, job
# listing, a just-acknowledged job and rating read back) at a bounded pace. Every answer is logged
# as (time, kind, status, has Retry-After); every acknowledged write keeps its id, so that the end
# of the soak can read each one back.
import http.client
import json
import threading
import time

PACE_SECONDS = 0.02  # at most ~50 requests/s per thread: a soak, not a throughput test
INSIGHTS = 20


class Client:
    def __init__(self, port, key):
        self.port = port
        self.headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
        self.conn = None

    def request(self, method, path, body=None):
        """(status, parsed body or None, has Retry-After); status "ERR" for a transport failure."""
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
            data = json.dumps(body) if body is not None else None
            self.conn.request(method, path, body=data, headers=self.headers)
            resp = self.conn.getresponse()
            raw = resp.read()
            retry = resp.getheader("Retry-After") is not None
            if resp.getheader("Connection", "").lower() == "close":
                self.close()
            parsed = json.loads(raw) if raw and resp.status < 300 else None
            return resp.status, parsed, retry
        except (OSError, http.client.HTTPException, ValueError):
            self.close()
            return "ERR", None, False

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


class Load:
    def __init__(self, port, key, tag):
        self.port, self.key, self.tag = port, key, tag
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.log = []  # (time, kind, status, retry_after)
        self.ratings = []  # (insight_id, user_id) answered 201
        self.jobs = []  # job ids answered 201
        self.threads = []

    def insight(self, n):
        return f"soak-{self.tag}-{n % INSIGHTS}"

    def record(self, kind, status, retry):
        with self.lock:
            self.log.append((time.time(), kind, status, retry))

    def run(self, name, step):
        client = Client(self.port, self.key)
        n = 0
        while not self.stop.is_set():
            n += 1
            step(client, name, n)
            time.sleep(PACE_SECONDS)
        client.close()

    def rate(self, client, name, n):
        pair = (self.insight(n), f"{name}-{n}")
        body = {"insight_id": pair[0], "user_id": pair[1], "rating": n % 5 + 1}
        status, _, retry = client.request("POST", "/api/v1/feedback/rate", body)
        self.record("rate", status, retry)
        if status == 201:
            with self.lock:
                self.ratings.append(pair)
        if n % 5 == 0 and self.ratings:  # read a just-acknowledged rating back
            insight, user = self.ratings[-1]
            path = f"/api/v1/feedback?insight_id={insight}&user_id={user}"
            status, _, retry = client.request("GET", path)
            self.record("get_rating", status, retry)

    def backfill(self, client, name, n):
        body = {"job_type": f"soak_{self.tag}", "start_block": 0, "end_block": 1000 + n}
        status, job, retry = client.request("POST", "/api/v1/monitoring/backfill/start", body)
        self.record("start_job", status, retry)
        if status == 201:
            with self.lock:
                self.jobs.append(job["id"])
            status, _, retry = client.request("GET", f"/api/v1/monitoring/backfill/{job['id']}")
            self.record("get_job", status, retry)

    def read(self, client, name, n):
        if n % 2:
            path = f"/api/v1/feedback/stats?insight_id={self.insight(n)}"
            kind = "stats"
        else:
            path = f"/api/v1/monitoring/backfill/status?job_type=soak_{self.tag}&limit=20"
            kind = "list_jobs"
        status, _, retry = client.request("GET", path)
        self.record(kind, status, retry)

    def start(self):
        steps = [("r1", self.rate), ("r2", self.rate), ("b1", self.backfill), ("q1", self.read),
                 ("q2", self.read)]
        for name, step in steps:
            thread = threading.Thread(target=self.run, args=(name, step), daemon=True)
            thread.start()
            self.threads.append(thread)

    def finish(self):
        self.stop.set()
        for thread in self.threads:
            thread.join()


def pages(client, path, field):
    """Every item of a paginated listing (raises if a page is not 200)."""
    cursor = None
    while True:
        url = path + (f"&cursor={cursor}" if cursor else "")
        status, body, _ = client.request("GET", url)
        if status != 200:
            raise RuntimeError(f"read-back GET {url} answered {status}")
        yield from body[field]
        cursor = body["next_cursor"]
        if not cursor:
            return


def lost_writes(load):
    """(lost ratings, lost jobs): acknowledged writes the API does not return at the end."""
    client = Client(load.port, load.key)
    seen = set()
    for n in range(INSIGHTS):
        path = f"/api/v1/feedback?insight_id={load.insight(n)}&limit=500"
        seen.update((f["insight_id"], f["user_id"]) for f in pages(client, path, "feedback"))
    lost_ratings = [pair for pair in load.ratings if pair not in seen]
    path = f"/api/v1/monitoring/backfill/status?job_type=soak_{load.tag}&limit=500"
    jobs = {job["id"] for job in pages(client, path, "jobs")}
    lost_jobs = [job for job in load.jobs if job not in jobs]
    client.close()
    return lost_ratings, lost_jobs
