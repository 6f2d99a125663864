# Restarting the service's embedded PostgreSQL and Redis from outside, for bench/soak.py. The
# service does not respawn its children, so each restart here stops the running server with a
# signal, waits until it is gone, leaves it down for a few seconds and starts the same command line
# again (same user, same directory), detached: the service must reconnect by itself. The servers
# started here are not the service's children, so stop_all() must stop them at the end.
import os
import pwd
import shlex
import signal
import subprocess
import time


def _gone(pid):
    """True once pid has exited (a zombie its parent has not reaped yet counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def _wait_gone(pid, seconds):
    deadline = time.monotonic() + seconds
    while not _gone(pid):
        if time.monotonic() > deadline:
            raise RuntimeError(f"pid {pid} still running {seconds} s after its stop signal")
        time.sleep(0.05)


class Server:
    """One embedded server: how to find its pid and command line, how to start it again."""

    def __init__(self, name, data_dir):
        self.name = name
        self.data_dir = data_dir
        self.started = []  # Popen objects of the servers started here

    def pid(self):
        if self.name == "postgres":
            with open(os.path.join(self.data_dir, "postmaster.pid")) as f:
                return int(f.readline())
        # redis-server rewrites its title: find it by its working directory, its data dir.
        for entry in os.listdir("/proc"):
            if entry.isdigit() and not _gone(int(entry)):
                try:
                    with open(f"/proc/{entry}/comm") as f:
                        comm = f.read().strip()
                    cwd = os.readlink(f"/proc/{entry}/cwd")
                except OSError:
                    continue
                if comm == "redis-server" and cwd == self.data_dir:
                    return int(entry)
        raise RuntimeError(f"no redis-server running in {self.data_dir}")

    def argv(self, pid):
        if self.name == "postgres":  # its own record of its command line
            with open(os.path.join(self.data_dir, "postmaster.opts")) as f:
                return shlex.split(f.read())
        with open(f"/proc/{pid}/cmdline", "rb") as f:  # argv[0] picks the program (Debian)
            program = f.read().split(b"\0")[0].split()[0].decode()
        return [program, os.path.join(self.data_dir, "redis.conf")]

    def restart(self, sig, down_seconds):
        """Stops the server with `sig`, keeps it down `down_seconds`, starts it again."""
        pid = self.pid()
        argv = self.argv(pid)
        owner = os.stat(self.data_dir).st_uid
        os.kill(pid, sig)
        _wait_gone(pid, 60)
        if self.name == "postgres":
            # A postmaster its parent has not reaped still "exists" for the lock-file check.
            lock = os.path.join(self.data_dir, "postmaster.pid")
            if os.path.exists(lock):
                os.remove(lock)
        time.sleep(down_seconds)
        log = open(os.path.join(self.data_dir, "soak-restarts.log"), "ab")
        user = owner if os.geteuid() == 0 and owner != 0 else None
        group = pwd.getpwuid(owner).pw_gid if user is not None else None
        self.started.append(
            subprocess.Popen(argv, cwd=self.data_dir, stdin=subprocess.DEVNULL, stdout=log,
                             stderr=subprocess.STDOUT, start_new_session=True, user=user,
                             group=group, extra_groups=[] if user is not None else None))

    def stop_all(self):
        for proc in self.started:
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT if self.name == "postgres" else signal.SIGTERM)
        for proc in self.started:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
