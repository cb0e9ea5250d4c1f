"""Headless Chromium, the one browser finsam drives: the layout sweep prints its HTML pages to PDF with it
(corpus/sweep/chromium_producer.py) and the browser check of `finsam serve` loads the served pages in it
(normalized/web/screenshot.py). It is found on PATH by its Debian and Google names and run with the flags a
machine without a display, a GPU or a D-Bus needs, in a profile and a home of its own (nothing of the
user's is read or written), and stopped with every helper process it started when it takes too long.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from collections.abc import Sequence
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

# headless on a server or in a container (no setuid sandbox, no GPU), and nothing fetched but the page asked
# for (no component updates, no first-run pages, no extensions)
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-extensions",
)


def find() -> str | None:
    """The path of the first of BROWSERS on PATH, or None."""
    return next((p for p in map(shutil.which, BROWSERS) if p), None)


def run(browser: str, args: Sequence[str], work: Path, timeout: float) -> subprocess.CompletedProcess[bytes]:
    """Run `browser` headless with `args` (after FLAGS), its profile and home in the folder `work`, its
    stdout and stderr captured. After `timeout` seconds the browser and the helpers it started are killed
    and subprocess.TimeoutExpired is raised."""
    work = Path(work)
    cmd = [browser, *FLAGS, f"--user-data-dir={work / 'profile'}", *args]
    env = dict(os.environ, HOME=str(work))  # keep Chromium's caches out of the real home
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=work,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def last_message(stderr: bytes) -> str:
    """The browser's last line on stderr (after its D-Bus and GPU complaints), for a one-line failure."""
    lines = [ln for ln in stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
    return lines[-1][:200] if lines else "no message"
