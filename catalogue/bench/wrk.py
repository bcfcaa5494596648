"""Run wrk (Debian's package) against one URL and read its report.

wrk prints durations with a unit (`850.12us`, `12.31ms`, `1.20s`, `2.00m`) and large counts with a
suffix (`1.23k` requests per second per thread, `3.21MB` read); `--latency` adds the percentiles.
Errors are two lines that appear only when there are some:

    Socket errors: connect 0, read 0, write 0, timeout 11
    Non-2xx or 3xx responses: 373
"""

import re
import subprocess
from dataclasses import dataclass

# Threads and connections for every page; the timeout is wrk's own (default 2 s), raised so that a
# heavy export waiting behind 15 others counts as slow, not as a socket error.
THREADS = 2
CONNECTIONS = 16
TIMEOUT = "30s"

_DURATION_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_SUFFIX = {"": 1, "k": 1e3, "M": 1e6, "G": 1e9}


@dataclass(frozen=True)
class WrkResult:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx_3xx: int
    socket_errors: int

    @property
    def errors(self):
        return self.non_2xx_3xx + self.socket_errors


def duration_ms(text):
    """'850.12us' → 0.85012, '12.31ms' → 12.31, '1.20s' → 1200.0."""
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text.strip())
    if not match:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match.group(1)) * _DURATION_MS[match.group(2)]


def count(text):
    """'1.23k' → 1230.0, '842' → 842.0."""
    match = re.fullmatch(r"([\d.]+)([kMG]?)", text.strip())
    if not match:
        raise ValueError(f"not a wrk count: {text!r}")
    return float(match.group(1)) * _SUFFIX[match.group(2)]


def parse(output):
    """The figures of one wrk --latency report; ValueError when it is not one (wrk failed)."""

    def find(pattern, default=None):
        match = re.search(pattern, output, re.MULTILINE)
        if match is None:
            if default is None:
                raise ValueError(f"wrk output without {pattern!r}:\n{output}")
            return default
        return match

    rps = count(find(r"^Requests/sec:\s+(\S+)").group(1))
    p50 = duration_ms(find(r"^\s+50%\s+(\S+)").group(1))
    p99 = duration_ms(find(r"^\s+99%\s+(\S+)").group(1))
    requests = int(count(find(r"^\s+(\S+) requests in ").group(1)))
    non_2xx = find(r"^\s+Non-2xx or 3xx responses:\s+(\d+)", default=False)
    sockets = find(r"^\s+Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", default=False)
    return WrkResult(
        rps=rps,
        p50_ms=p50,
        p99_ms=p99,
        requests=requests,
        non_2xx_3xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(n) for n in sockets.groups()) if sockets else 0,
    )


def command(url, seconds):
    return ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", f"--timeout={TIMEOUT}", "--latency", url]


def run(url, seconds):
    """Load `url` for `seconds` with wrk in its own process; its parsed report and raw output."""
    done = subprocess.run(command(url, seconds), capture_output=True, text=True, check=False, timeout=seconds + 120)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return parse(done.stdout), done.stdout
