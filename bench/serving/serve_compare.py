#!/usr/bin/env python3
"""Serving: sitrep vs pygeoapi on the same 100,000 incidents, same wrk.

Run: `bash bench/run.sh serving`. Steps:

1. `benches/peers.rs make-db 100000` generates the incidents (the generator
   of `benches/serve_load.rs`) into bench/cache/serving/ (kept between runs).
2. `sitrep export --format gpkg` writes them as a GeoPackage; pygeoapi
   (pinned in bench/requirements.txt) serves that file with its SQLite/
   GeoPackage provider (needs Debian's libsqlite3-mod-spatialite, which
   bench/run.sh installs), under gunicorn with 2 sync workers per core
   plus one (gunicorn's advice), bound to loopback.
3. `sitrep serve --db` serves the database itself, on loopback.
4. wrk, the same settings for both, trials interleaved (sitrep, pygeoapi,
   sitrep, ...), median reported:
   - an items page with a bbox (~500 features, limit=500):
     sitrep `/ogc/collections/incidents/items` and `/api/layers/...`,
     pygeoapi `/collections/incidents/items?f=json`; `wrk -t2 -c16 -d15s`.
   - the full layer (100,000 features): sitrep `/api/layers/incidents.geojson`,
     pygeoapi `/collections/incidents/items?limit=100000&f=json`;
     `wrk -t1 -c2 -d30s --timeout 120s`, plus one timed curl each.
   Both servers run while the other is measured (idle), as on one machine.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import common  # noqa: E402

WORK = common.CACHE / "serving"
BBOX = "46.70,39.70,46.80,39.85"
TRIALS = int(os.environ.get("BENCH_TRIALS", "3"))
BBOX_WRK = ["-t2", "-c16", "-d15s", "--timeout", "10s"]
FULL_WRK = ["-t1", "-c2", "-d30s", "--timeout", "120s"]

# A new random bbox of the same size for every request (the word BBOX in the
# path is replaced), so no answer repeats: sitrep's response cache cannot help.
DISTINCT_LUA = """
math.randomseed(7)
request = function()
  local lon = 46.30 + math.random() * 0.60
  local lat = 39.45 + math.random() * 0.50
  local bbox = string.format("%.5f,%.5f,%.5f,%.5f", lon, lat, lon + 0.10, lat + 0.15)
  return wrk.format("GET", (string.gsub(PATH, "BBOX", bbox)))
end
"""


def distinct_script(url: str) -> str:
    """A wrk script asking `url`'s path with a fresh bbox each time."""
    path = "/" + url.split("/", 3)[3]
    script = WORK / f"distinct_{abs(hash(path))}.lua"
    script.write_text(f"PATH = {json.dumps(path)}\n{DISTINCT_LUA}", encoding="utf-8")
    return str(script)
SPATIALITE = "/usr/lib/x86_64-linux-gnu/mod_spatialite.so"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_db(count: int) -> Path:
    WORK.mkdir(parents=True, exist_ok=True)
    db = WORK / f"incidents_{count}.db"
    if not db.exists():
        tmp = WORK / f"incidents_{count}.tmp.db"
        for extra in ("", "-wal", "-shm"):
            Path(str(tmp) + extra).unlink(missing_ok=True)
        started = time.perf_counter()
        subprocess.run([str(common.peers_bin()), "make-db", str(count), str(tmp)], check=True)
        # fold the WAL in so the copy is one file
        subprocess.run(["sqlite3", str(tmp), "PRAGMA wal_checkpoint(TRUNCATE);"], check=False,
                       capture_output=True)
        tmp.replace(db)
        for extra in ("-wal", "-shm"):
            Path(str(tmp) + extra).unlink(missing_ok=True)
        (WORK / f"incidents_{count}.json").write_text(json.dumps({"generate_s": time.perf_counter() - started}))
    return db


def wait_http(url: str, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                r.read()
                return
        except Exception:  # noqa: BLE001
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer")


def start_sitrep(db: Path) -> tuple[subprocess.Popen, str]:
    """`sitrep serve` on a free loopback port; a copy of the DB so nothing changes it."""
    copy = db.with_name(db.stem + ".serve.db")
    shutil.copyfile(db, copy)
    for extra in ("-wal", "-shm"):
        Path(str(copy) + extra).unlink(missing_ok=True)
    port = free_port()
    env = dict(os.environ, SITREP_NO_DEMO="1", SITREP_LOG="warn")
    proc = subprocess.Popen([str(common.sitrep_bin()), "serve", "--db", str(copy), "--addr", f"127.0.0.1:{port}"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait_http(base + "/healthz")
    return proc, base


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def start_pygeoapi(gpkg: Path, workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    venv_bin = Path(sys.executable).parent
    config = WORK / "pygeoapi.yml"
    template = (Path(__file__).parent / "pygeoapi.config.yml").read_text()
    config.write_text(template.replace("@PORT@", str(port)).replace("@GPKG@", str(gpkg)))
    openapi = WORK / "pygeoapi-openapi.yml"
    env = dict(os.environ, PYGEOAPI_CONFIG=str(config), PYGEOAPI_OPENAPI=str(openapi),
               SPATIALITE_LIBRARY_PATH=SPATIALITE)
    subprocess.run([str(venv_bin / "pygeoapi"), "openapi", "generate", str(config), "--output-file", str(openapi)],
                   env=env, check=True, capture_output=True)
    proc = subprocess.Popen(
        [str(venv_bin / "gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--timeout", "300", "--log-level", "warning", "pygeoapi.flask_app:APP"],
        env=env, stdout=subprocess.DEVNULL, stderr=open(WORK / "pygeoapi.log", "w"),  # noqa: SIM115
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    wait_http(base + "/conformance?f=json")
    return proc, base


def tree_memory_kb(pid: int) -> int:
    """Sum of VmHWM (peak RSS) of a process and its children."""
    total = common.rss_kb(pid, "VmHWM")
    try:
        children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    except OSError:
        children = []
    for child in children:
        total += common.rss_kb(child, "VmHWM")
    return total


def probe(url: str) -> dict:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=300) as r:
        body = r.read()
        status = r.status
    seconds = time.perf_counter() - started
    features = body.count(b'"type":"Feature"') + body.count(b'"type": "Feature"')
    return {"status": status, "bytes": len(body), "features": features, "seconds": seconds}


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def _ms(text: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s|m)$", text.strip())
    return float(m.group(1)) * UNITS[m.group(2)] if m else float("nan")


def wrk(url: str, settings: list[str]) -> dict:
    out = subprocess.run(["wrk", *settings, "--latency", url], capture_output=True, text=True).stdout
    result = {"raw": out}
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    result["rps"] = float(m.group(1)) if m else 0.0
    for p in ("50", "90", "99"):
        m = re.search(rf"^\s+{p}(?:\.000)?%\s+(\S+)", out, re.M)
        result[f"p{p}_ms"] = _ms(m.group(1)) if m else float("nan")
    m = re.search(r"(\d+) requests in", out)
    result["requests"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    result["socket_errors"] = sum(int(x) for x in m.groups()) if m else 0
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    result["non_2xx"] = int(m.group(1)) if m else 0
    return result


def summarise(trials: list[dict]) -> dict:
    keys = ("rps", "p50_ms", "p90_ms", "p99_ms")
    out = {k: common.median([t[k] for t in trials]) for k in keys}
    out["trials"] = [{k: t[k] for k in (*keys, "requests", "socket_errors", "non_2xx")} for t in trials]
    return out


def main() -> int:
    count = int(os.environ.get("BENCH_INCIDENTS", "100000"))
    db = ensure_db(count)
    gpkg = WORK / f"incidents_{count}.gpkg"
    if not gpkg.exists() or gpkg.stat().st_mtime < db.stat().st_mtime:
        gpkg.unlink(missing_ok=True)
        subprocess.run([str(common.sitrep_bin()), "export", "--db", str(db), "--layer", "incidents",
                        "--format", "gpkg", "-o", str(gpkg)], check=True, capture_output=True)
    workers = 2 * os.cpu_count() + 1
    sitrep, s_base = start_sitrep(db)
    pygeo, p_base = start_pygeoapi(gpkg, workers)
    try:
        urls = {
            "bbox": {
                "sitrep (OGC items)": f"{s_base}/ogc/collections/incidents/items?bbox={BBOX}&limit=500",
                "sitrep (layer)": f"{s_base}/api/layers/incidents.geojson?bbox={BBOX}&limit=500",
                "pygeoapi": f"{p_base}/collections/incidents/items?bbox={BBOX}&limit=500&f=json",
            },
            "distinct": {
                "sitrep (OGC items)": f"{s_base}/ogc/collections/incidents/items?bbox=BBOX&limit=500",
                "sitrep (layer)": f"{s_base}/api/layers/incidents.geojson?bbox=BBOX&limit=500",
                "pygeoapi": f"{p_base}/collections/incidents/items?bbox=BBOX&limit=500&f=json",
            },
            "full": {
                "sitrep (layer)": f"{s_base}/api/layers/incidents.geojson",
                "pygeoapi": f"{p_base}/collections/incidents/items?limit={count}&f=json",
            },
        }
        probes = {kind: {name: probe(url.replace("BBOX", BBOX)) for name, url in group.items()}
                  for kind, group in urls.items()}
        print(json.dumps(probes, indent=1), file=sys.stderr)
        runs: dict[str, dict[str, list]] = {kind: {name: [] for name in group} for kind, group in urls.items()}
        for trial in range(TRIALS):
            for kind, settings in (("bbox", BBOX_WRK), ("distinct", BBOX_WRK), ("full", FULL_WRK)):
                if kind == "full" and trial >= max(1, TRIALS - 1):
                    continue  # the full layer is slow for pygeoapi: fewer trials
                for name, url in urls[kind].items():
                    print(f"trial {trial + 1} {kind} {name} ...", file=sys.stderr)
                    if kind == "distinct":
                        r = wrk(url.split("?")[0], [*settings, "-s", distinct_script(url)])
                    else:
                        r = wrk(url, settings)
                    print(f"  {r['rps']:.1f} req/s, p99 {r['p99_ms']:.1f} ms", file=sys.stderr)
                    runs[kind][name].append(r)
        memory = {"sitrep_peak_mb": tree_memory_kb(sitrep.pid) / 1024,
                  "pygeoapi_peak_mb": tree_memory_kb(pygeo.pid) / 1024}
    finally:
        stop(sitrep)
        try:
            os.killpg(pygeo.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        pygeo.wait(timeout=30)
    table = {kind: {name: summarise(trials) for name, trials in group.items()} for kind, group in runs.items()}
    ratios = {}
    for kind, group in table.items():
        peer = group["pygeoapi"]
        for name, row in group.items():
            if name != "pygeoapi" and peer["rps"] > 0:
                ratios[f"{kind}: {name} / pygeoapi req/s"] = row["rps"] / peer["rps"]
    raw = {kind: {name: [t["raw"] for t in trials] for name, trials in group.items()} for kind, group in runs.items()}
    (common.RESULTS / "serving_wrk.txt").write_text(
        "\n".join(f"== {kind} / {name} / trial {i + 1}\n{text}" for kind, group in raw.items()
                  for name, texts in group.items() for i, text in enumerate(texts)), encoding="utf-8")
    common.write_json("serving", {
        "incidents": count, "bbox": BBOX, "gunicorn_workers": workers,
        "wrk": {"bbox": BBOX_WRK, "full": FULL_WRK}, "trials": TRIALS,
        "versions": {"pygeoapi": common.package_version("pygeoapi"), "gunicorn": common.package_version("gunicorn")},
        "urls": urls, "probes": probes, "table": table, "ratios": ratios, "memory": memory,
    })
    print(json.dumps(ratios, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
