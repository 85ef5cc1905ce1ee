#!/usr/bin/env bash
# bench-startup.sh: time from exec to the first frame on the terminal.
#
# Builds ftpscope, then starts it RUNS times (default 20) with no
# arguments, as a new user does: the sandbox FTP server starts inside it
# and the terminal UI connects to it. Each run gets a pseudo-terminal of
# 160x45; the time is taken from just before the program is started to
# the moment its first frame (the input line's "ftp>" prompt) has been
# written to the terminal. Then it is left with ctrl+c, as a user leaves,
# and waited for. It prints min/median/max in milliseconds, and the CPU time
# the program had used by its first frame (on a busy machine the wall
# time mostly measures waiting for a CPU). Extra arguments are passed to
# ftpscope (e.g. a URL instead of the sandbox).
#
# Needs python3 (for the pseudo-terminal). Nothing leaves 127.0.0.1; the
# build runs with GOPROXY=off. What it builds is removed at the end.
set -euo pipefail

RUNS=${RUNS:-20}
cd "$(dirname "$0")/.."
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ftpscope-startup.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT

GOPROXY=off go build -o "$WORK/ftpscope" ./cmd/ftpscope

python3 - "$RUNS" "$WORK/ftpscope" "$@" <<'PY'
import fcntl, os, pty, select, signal, statistics, struct, sys, termios, time

runs, argv = int(sys.argv[1]), sys.argv[2:]

def cpu_ms(pid):
    """CPU time all of pid's threads have run, from /proc (nanoseconds)."""
    total = 0
    for task in os.listdir("/proc/%d/task" % pid):
        with open("/proc/%d/task/%s/schedstat" % (pid, task)) as f:
            total += int(f.read().split()[0])
    return total / 1e6

def first_frame():
    start = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 45, 160, 0, 0))
        os.environ["TERM"] = "xterm-256color"
        os.execv(argv[0], argv)
    seen = b""
    try:
        while b"ftp>" not in seen:
            ready, _, _ = select.select([fd], [], [], 10)
            if not ready:
                raise SystemExit("no frame within 10 s; the output was: %r" % seen[-500:])
            seen += os.read(fd, 1 << 16)
        return (time.monotonic() - start) * 1000, cpu_ms(pid)
    finally:
        # ctrl+c, as a user leaves: the program stops its sandbox and
        # removes its folder. SIGKILL only if it has not left in 10 s.
        os.write(fd, b"\x03")
        deadline = time.monotonic() + 10
        while True:
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                deadline = float("inf")
            # Drain the terminal while the program cleans up, so it
            # never blocks writing to it.
            if select.select([fd], [], [], 0.05)[0]:
                try:
                    os.read(fd, 1 << 16)
                except OSError:
                    pass
        os.close(fd)

results = [first_frame() for _ in range(runs)]
times, cpus = sorted(r[0] for r in results), sorted(r[1] for r in results)
print("exec to first frame, %d runs: min %.1f ms, median %.1f ms, max %.1f ms"
      % (runs, times[0], statistics.median(times), times[-1]))
print("CPU time used by then (all threads): min %.1f ms, median %.1f ms, max %.1f ms"
      % (cpus[0], statistics.median(cpus), cpus[-1]))
print("load average at the end: %s" % open("/proc/loadavg").read().split()[0])
PY
