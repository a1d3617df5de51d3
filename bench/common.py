"""Shared helpers of the side-by-side benchmarks (issue 9): paths, the
machine description, percentiles, and the two binaries under test.

Standard library only, so every script can import it before the venv's
packages are needed. `bench/run.sh` sets SITREP_BIN and SITREP_PEERS_BIN.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CACHE = REPO / "bench" / "cache"
RESULTS = REPO / "bench" / "results"
SHARED = Path(os.environ.get("SITREP_SHARED", REPO.parent / "shared"))
CITIES500 = CACHE / "cities500.txt"
CITIES15000 = CACHE / "cities15000.txt"


def sitrep_bin() -> Path:
    return Path(os.environ.get("SITREP_BIN", REPO / "target" / "release" / "sitrep"))


def peers_bin() -> Path:
    """The `benches/peers.rs` executable (built by `cargo bench --no-run`)."""
    env = os.environ.get("SITREP_PEERS_BIN")
    if env:
        return Path(env)
    out = subprocess.run(
        ["cargo", "bench", "--bench", "peers", "--no-run", "--message-format=json"],
        cwd=REPO, capture_output=True, text=True, check=True,
    ).stdout
    for line in out.splitlines():
        try:
            msg = json.loads(line)
        except json.JSONDecodeError:
            continue
        if msg.get("reason") == "compiler-artifact" and msg.get("target", {}).get("name") == "peers" \
                and msg.get("executable"):
            return Path(msg["executable"])
    sys.exit("could not find the peers bench executable")


def ensure_cities500() -> None:
    if not CITIES500.exists():
        subprocess.run([sys.executable, str(REPO / "bench" / "gazetteer" / "make_cities500.py"), str(CACHE)],
                       check=True)


def ensure_cities15000() -> Path:
    """GeoNames' cities15000 is cities500 restricted to places with a
    population over 15,000 or that are capitals (PPLC); derived here."""
    ensure_cities500()
    if CITIES15000.exists() and CITIES15000.stat().st_mtime > CITIES500.stat().st_mtime:
        return CITIES15000
    tmp = CITIES15000.with_suffix(".tmp")
    with open(CITIES500, encoding="utf-8") as src, open(tmp, "w", encoding="utf-8") as dst:
        for line in src:
            cols = line.rstrip("\n").split("\t")
            if len(cols) >= 15 and (cols[7] == "PPLC" or int(cols[14] or 0) > 15000):
                dst.write(line)
    tmp.replace(CITIES15000)
    return CITIES15000


# --------------------------------------------------------------------------
# statistics


def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile, p in [0, 100]."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


# --------------------------------------------------------------------------
# machine


def _first(path: str, key: str) -> str:
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.startswith(key):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def _run(cmd: list[str]) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _wrk_version() -> str:
    try:  # `wrk --version` prints its version and exits 1
        out = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout
        return " ".join(out.split()[:2]) or "unknown"
    except OSError:
        return "wrk missing"


def machine() -> dict:
    mem_kb = _first("/proc/meminfo", "MemTotal").split()[0]
    return {
        "date": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": _run(["nproc"]),
        "cpu": _first("/proc/cpuinfo", "model name"),
        "ram_gib": round(int(mem_kb) / 1024 / 1024, 1) if mem_kb.isdigit() else None,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "rustc": _run(["rustc", "-V"]),
        "sitrep_commit": _run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"]),
        "sitrep_version": _run([str(sitrep_bin()), "--version"]),
        "wrk": _wrk_version(),
    }


def package_version(name: str) -> str:
    try:
        from importlib.metadata import version

        return version(name)
    except Exception:  # noqa: BLE001
        return "unknown"


def write_json(name: str, data: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    data = {"machine": machine(), **data}
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    print(f"wrote {path}", file=sys.stderr)
    return path


def rss_kb(pid: int | str = "self", field: str = "VmRSS") -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0
