#!/usr/bin/env python3
"""A hostile-body sender for bench/hostile.sh (issue 10) that costs its machine little CPU.

It builds the 16 MiB `{"metrics":[0,0,0,...]}` body once, in memory, then repeats one request:
a new connection (no keep-alive: the service closes after a refusal anyway), the headers (the
writer key, Content-Length of the whole body), then the body in chunks, stopping as soon as the
service has answered or closed (it answers 422 after reading 0.4-1 MiB, 429 at once when the key
already has two heavy requests in flight). It reads the status line, counts it, and starts over,
optionally paced. The curl loops it replaces started a process and read a 16 MiB file for every
request, and on a 2-core machine their own CPU raised /healthz's p99 whether or not the service
received the bodies; this sender's CPU time is printed with its counts, so that claim is checked
on every run.

Runs until SIGTERM/SIGINT or --seconds, then prints one line of JSON:
  {"422": n, "429": n, "429_rate_limit": n, "other": n, "errors": n, "bytes_sent": n,
   "cpu_seconds": x, "seconds": x}
"429_rate_limit" are the 429s of the per-key rate limit (100 requests a minute by default; they
carry RateLimit-Limit), the rest of "429" the heavy-request limit's (2 in flight per key).
"bytes_sent" counts body bytes handed to the kernel: for a request refused on its header that is
what fitted in the socket buffers before the answer came, which the service then drains (up to
64 MiB or 2 s, so that its answer is not lost to a reset). With --expect-continue the sender
waits for 100 Continue before the body, as curl does for bodies over 1 MiB: a request refused on
its header then sends no body byte.
"errors" are requests without a status (refused or reset connection, timeout); after one the
sender sleeps --error-pause so that a closed port is not a busy loop.

  python3 bench/hostile_sender.py --port 8080 --key KEY [--seconds 20] [--pace 0]
Standard library only.
"""
import argparse
import json
import os
import select
import signal
import socket
import sys
import time

BODY_BYTES = 16 * 1024 * 1024 - 64  # as the curl senders' file: under the route's 16 MiB cap


class Stop(Exception):
    """Raised by the signal handler: the loop ends and the counts are printed."""


def hostile_body(size=BODY_BYTES):
    """`{"metrics":[0,0,...]}` of at most `size` bytes (16,777,151 for the default)."""
    head, tail = b'{"metrics":[0', b"]}"
    count = (size - len(head) - len(tail)) // 2
    return head + b",0" * count + tail


def request_head(host, port, path, key, length, expect_continue):
    return (
        f"POST {path} HTTP/1.1\r\n"
        f"Host: {host}:{port}\r\n"
        f"Authorization: Bearer {key}\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {length}\r\n"
        + ("Expect: 100-continue\r\n" if expect_continue else "")
        + "Connection: close\r\n\r\n"
    ).encode("ascii")


def send_until_answered(sock, body, chunk, timeout):
    """Sends `body` until it is all sent or the peer has something to say (its answer, or its
    close); returns the bytes sent. The socket is non-blocking here."""
    view = memoryview(body)
    sent = 0
    while sent < len(view):
        readable, writable, _ = select.select([sock], [sock], [], timeout)
        if readable:
            break  # answered (or closed) before the whole body: stop sending, read the status
        if not writable:
            raise TimeoutError("the service neither read nor answered")
        try:
            sent += sock.send(view[sent : sent + chunk])
        except BlockingIOError:
            continue
        except (BrokenPipeError, ConnectionResetError):
            break  # it closed its side; the status may still be readable
    return sent


def read_head(sock, timeout, data=b""):
    """(status code or None, header lines, bytes after the head) of the next response head;
    None when the connection ended before it."""
    sock.setblocking(True)
    sock.settimeout(timeout)
    while b"\r\n\r\n" not in data and len(data) < 16384:
        part = sock.recv(16384)
        if not part:
            break
        data += part
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    fields = lines[0].split()
    if len(fields) < 2 or not fields[1].isdigit():
        return None, [], b""
    return int(fields[1]), lines[1:], rest


def read_status(sock, timeout, data=b""):
    """(status code, whether the head has RateLimit-Limit) of the response, or (None, False) when
    the connection ended before its head. RateLimit-Limit is sent by the per-key rate limit only,
    which tells its 429 from the heavy-request limit's."""
    status, lines, _ = read_head(sock, timeout, data)
    rate_limited = any(line.lower().startswith(b"ratelimit-limit:") for line in lines)
    return status, rate_limited


def one_request(address, head, body, chunk, timeout, expect_continue):
    """(status or None, rate limited, body bytes sent) of one hostile request on a new
    connection. With `expect_continue` (the head asks for it, as curl does for large bodies) the
    body is sent only after the service's 100 Continue; a refusal on the header comes instead."""
    with socket.create_connection(address, timeout=timeout) as sock:
        sock.sendall(head)
        rest = b""
        if expect_continue:
            status, lines, rest = read_head(sock, timeout)
            if status != 100:
                rate_limited = any(line.lower().startswith(b"ratelimit-limit:") for line in lines)
                return status, rate_limited, 0
        sock.setblocking(False)
        sent = send_until_answered(sock, body, chunk, timeout)
        return *read_status(sock, timeout, rest), sent


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", default="/api/v1/monitoring/metrics/batch")
    parser.add_argument("--key", required=True, help="a writer key (sent as a Bearer token)")
    parser.add_argument("--seconds", type=float, default=0, help="stop after this long (0: never)")
    parser.add_argument("--pace", type=float, default=0, help="seconds to sleep between requests")
    parser.add_argument("--chunk", type=int, default=64 * 1024, help="bytes per send")
    parser.add_argument("--timeout", type=float, default=10)
    parser.add_argument("--error-pause", type=float, default=0.05)
    parser.add_argument("--expect-continue", action="store_true",
                        help="send Expect: 100-continue and the body only after 100 Continue")
    args = parser.parse_args()
    assert args.chunk > 0 and args.timeout > 0

    body = hostile_body()
    head = request_head(args.host, args.port, args.path, args.key, len(body),
                        args.expect_continue)
    counts = {"422": 0, "429": 0, "429_rate_limit": 0, "other": 0, "errors": 0, "bytes_sent": 0}

    def stop(signum, frame):
        raise Stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    started = time.monotonic()
    try:
        while not args.seconds or time.monotonic() - started < args.seconds:
            try:
                status, rate_limited, sent = one_request((args.host, args.port), head, body,
                                                         args.chunk, args.timeout,
                                                         args.expect_continue)
            except (OSError, TimeoutError):
                counts["errors"] += 1
                time.sleep(args.error_pause)
                continue
            counts["bytes_sent"] += sent
            if status is None:
                counts["errors"] += 1
            else:
                key = str(status) if str(status) in ("422", "429") else "other"
                counts[key] += 1
                counts["429_rate_limit"] += 1 if status == 429 and rate_limited else 0
            if args.pace:
                time.sleep(args.pace)
    except Stop:
        pass
    cpu = os.times()
    counts["cpu_seconds"] = round(cpu.user + cpu.system, 3)
    counts["seconds"] = round(time.monotonic() - started, 3)
    print(json.dumps(counts), flush=True)


if __name__ == "__main__":
    sys.exit(main())
