#!/usr/bin/env python3
"""Scaling curves (issue 9), plotted to bench/results/*.png:

* geoparse time vs text size, 1 KB to 50 MB: GeoWebNews texts (all of
  them, joined by blank lines, repeated) cut to each size; sitrep in-process
  (`benches/peers.rs geoparse`, bundled + cities500 gazetteer) and geotext
  and flashgeotext on the same files, in the same run.
* geoparse throughput vs gazetteer size: bundled, bundled + cities15000
  (derived from cities500: population > 15,000 or capital), bundled +
  cities500, on the 1 MB text; with each gazetteer's load time.
* bbox query latency vs incidents (10k, 100k, 1M generated incidents):
  `sitrep serve` on loopback, `wrk -t2 -c4 -d10s`, a new random bbox of the
  size of a ~500-feature one every request (limit=500), so nothing is cached.
* export time and peak memory vs incidents: `sitrep export` to GeoJSON,
  CSV and GeoPackage, timed with /usr/bin/time.

Run: `bash bench/run.sh scaling`. BENCH_SCALING_INCIDENTS (default
"10000,100000,1000000") chooses the database sizes; generated databases are
kept in bench/cache/serving/.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "geoparsing"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "serving"))
import common  # noqa: E402
import geotext_compare  # noqa: E402
import serve_compare  # noqa: E402

TEXTS = common.CACHE / "scaling" / "texts"
SIZES = [1_000, 10_000, 100_000, 1_000_000, 10_000_000, 50_000_000]
INCIDENTS = [int(x) for x in os.environ.get("BENCH_SCALING_INCIDENTS", "10000,100000,1000000").split(",")]


def make_texts() -> None:
    TEXTS.mkdir(parents=True, exist_ok=True)
    if all((TEXTS / f"text_{s}.txt").exists() for s in SIZES):
        return
    docs = geotext_compare.read_corpus(common.SHARED / "bench" / "geoparsing" / "GWN.xml")
    base = "\n\n".join(d.text.strip() for d in docs).encode("utf-8")
    for size in SIZES:
        data = (base * (size // len(base) + 1))[:size]
        text = data.decode("utf-8", errors="ignore")  # cut at a character boundary
        (TEXTS / f"text_{size}.txt").write_text(text, encoding="utf-8")


def trials_for(size: int) -> int:
    return 5 if size <= 1_000_000 else 3 if size <= 10_000_000 else 2


def peers_geoparse(all_gazetteers: bool = True, threads: int = 1) -> list[dict]:
    """sitrep in-process; `threads` per text, 1 for the one-core figure, 0
    for one per core (a long text's chunks side by side)."""
    out = common.CACHE / "scaling" / "geoparse_sitrep.json"
    gazetteers = ["bundled", f"cities15000={common.ensure_cities15000()}"] if all_gazetteers else []
    env = dict(os.environ, PEERS_GEOPARSE_THREADS=str(threads))
    subprocess.run([str(common.peers_bin()), "geoparse", str(TEXTS), str(out), *gazetteers,
                    f"cities500={common.CITIES500}"], check=True, env=env)
    return json.loads(out.read_text())["configs"]


def pool(into: list[dict], more: list[dict]) -> None:
    """Adds the trials of `more` to those of the same sizes in `into`."""
    for run, extra in zip(into, more):
        run["seconds"].extend(extra["seconds"])


def interleaved_geoparse(rounds: int) -> tuple[list[dict], list[dict], dict]:
    """sitrep (one core, then every core) and the peers take turns, `rounds`
    times, and each size's trials are pooled: on a shared machine a slow
    minute then hits every side, not one, and the ratio of their medians
    holds."""
    print("geoparse: sitrep ...", file=sys.stderr)
    sitrep = peers_geoparse()
    print("geoparse: sitrep (cities500), every core ...", file=sys.stderr)
    all_cores = peers_geoparse(all_gazetteers=False, threads=0)[-1]["runs"]
    print("geoparse: geotext, flashgeotext ...", file=sys.stderr)
    python = python_geoparse()
    for round_ in range(1, rounds):
        print(f"geoparse round {round_ + 1}/{rounds}: sitrep (cities500, one core, every core), geotext ...",
              file=sys.stderr)
        pool(sitrep[-1]["runs"], peers_geoparse(all_gazetteers=False)[-1]["runs"])
        pool(all_cores, peers_geoparse(all_gazetteers=False, threads=0)[-1]["runs"])
        for name, runs in python_geoparse(only=("geotext",))["runs"].items():
            pool(python["runs"][name], runs)
    return sitrep, all_cores, python


def python_geoparse(only: tuple[str, ...] | None = None) -> dict:
    GeoText, geotext_version, _ = geotext_compare.load_geotext()
    flash = None if only and "flashgeotext" not in only else geotext_compare.load_flashgeotext()
    systems = {"geotext": lambda t: GeoText(t)}
    if flash is not None:
        systems["flashgeotext"] = lambda t: flash[0].extract(input_text=t, span_info=True)
    out = {name: [] for name in systems}
    for size in SIZES:
        text = (TEXTS / f"text_{size}.txt").read_text(encoding="utf-8")
        for name, fn in systems.items():
            if size <= 1_000_000:
                fn(text)  # warm-up
            seconds = []
            for _ in range(trials_for(size)):
                started = time.perf_counter()
                fn(text)
                seconds.append(time.perf_counter() - started)
            print(f"  {name} {size} bytes: {seconds}", file=sys.stderr)
            out[name].append({"bytes": len(text.encode("utf-8")), "seconds": seconds})
    return {"runs": out, "versions": {"geotext": geotext_version, "flashgeotext": flash[1] if flash else None}}


def bbox_latency(db: Path) -> dict:
    proc, base = serve_compare.start_sitrep(db)
    try:
        url = f"{base}/api/layers/incidents.geojson?bbox={serve_compare.BBOX}&limit=500"
        probe = serve_compare.probe(url)
        # a new bbox every request: the server's response cache must not
        # answer, or the curve would show memory speed, not the query's
        template = f"{base}/api/layers/incidents.geojson?bbox=BBOX&limit=500"
        settings = ["-t2", "-c4", "-d10s", "--timeout", "10s", "-s", serve_compare.distinct_script(template)]
        trials = [serve_compare.wrk(f"{base}/api/layers/incidents.geojson", settings) for _ in range(2)]
        peak = serve_compare.tree_memory_kb(proc.pid) / 1024
    finally:
        serve_compare.stop(proc)
    row = serve_compare.summarise(trials)
    row.update({"features": probe["features"], "bytes": probe["bytes"], "server_peak_mb": peak})
    return row


def export_times(db: Path, count: int) -> dict:
    out = {}
    tmp = common.CACHE / "scaling" / "export"
    tmp.mkdir(parents=True, exist_ok=True)
    for fmt, ext in (("geojson", "geojson"), ("csv", "csv"), ("gpkg", "gpkg")):
        runs = []
        for _ in range(1 if count >= 1_000_000 else 2):
            target = tmp / f"incidents.{ext}"
            target.unlink(missing_ok=True)
            r = subprocess.run(["/usr/bin/time", "-f", "%e %M", str(common.sitrep_bin()), "export", "--db", str(db),
                                "--layer", "incidents", "--format", fmt, "-o", str(target)],
                               capture_output=True, text=True)
            if r.returncode != 0:
                runs.append({"error": r.stderr.strip()[-300:]})
                continue
            seconds, max_kb = r.stderr.strip().splitlines()[-1].split()
            runs.append({"seconds": float(seconds), "peak_mb": int(max_kb) / 1024, "bytes": target.stat().st_size})
            target.unlink(missing_ok=True)
        ok = [x for x in runs if "seconds" in x]
        out[fmt] = {"seconds": common.median([x["seconds"] for x in ok]) if ok else None,
                    "peak_mb": max((x["peak_mb"] for x in ok), default=None),
                    "bytes": ok[0]["bytes"] if ok else None, "runs": runs}
        print(f"  export {count} {fmt}: {out[fmt]['seconds']} s", file=sys.stderr)
    return out


def plot(data: dict) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    made = []
    # 1. geoparse time vs text size
    fig, ax = plt.subplots(figsize=(7, 4.5))
    cities500 = data["geoparse_sitrep"][-1]
    series = {"sitrep (bundled + cities500, resolves), one core": cities500["runs"]}
    if data.get("geoparse_sitrep_all_cores"):
        series[f"sitrep, {data.get('geoparse_cores', 'all')} cores"] = data["geoparse_sitrep_all_cores"]
    series.update({f"{k} (recognition only)": v for k, v in data["geoparse_python"]["runs"].items()})
    for label, runs in series.items():
        xs = [r["bytes"] / 1e6 for r in runs]
        ys = [common.median(r["seconds"]) for r in runs]
        ax.loglog(xs, ys, marker="o", label=label)
    ax.set_xlabel("text size (MB, GeoWebNews text repeated)")
    ax.set_ylabel("seconds (median)")
    ax.set_title("Geoparse time vs text size")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(common.RESULTS / "geoparse_vs_text_size.png", dpi=110)
    plt.close(fig)
    made.append("geoparse_vs_text_size.png")

    # 2. gazetteer size
    fig, ax1 = plt.subplots(figsize=(7, 4.5))
    configs = data["geoparse_sitrep"]
    labels = [f"{c['gazetteer']}\n{c['places']:,} places" for c in configs]
    ref = [min(c["runs"], key=lambda r: abs(r["bytes"] - 1_000_000)) for c in configs]
    mbs = [r["bytes"] / 1e6 / common.median(r["seconds"]) for r in ref]
    loads = [c["load_s"] for c in configs]
    xs = range(len(configs))
    ax1.bar([x - 0.2 for x in xs], mbs, width=0.4, label="geoparse MB/s (1 MB text)", color="tab:blue")
    ax1.set_ylabel("MB/s", color="tab:blue")
    ax2 = ax1.twinx()
    ax2.bar([x + 0.2 for x in xs], loads, width=0.4, label="gazetteer load + index (s)", color="tab:orange")
    ax2.set_ylabel("load seconds", color="tab:orange")
    ax1.set_xticks(list(xs))
    ax1.set_xticklabels(labels)
    ax1.set_title("sitrep geoparse vs gazetteer size")
    fig.legend(loc="upper right", bbox_to_anchor=(0.88, 0.88))
    fig.tight_layout()
    fig.savefig(common.RESULTS / "geoparse_vs_gazetteer.png", dpi=110)
    plt.close(fig)
    made.append("geoparse_vs_gazetteer.png")

    # 3. bbox latency vs incidents
    if data.get("bbox"):
        fig, ax = plt.subplots(figsize=(7, 4.5))
        counts = sorted(int(k) for k in data["bbox"])
        for key, label in (("p50_ms", "p50"), ("p99_ms", "p99")):
            ax.plot(counts, [data["bbox"][str(c)][key] for c in counts], marker="o", label=label)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("incidents in the database")
        ax.set_ylabel("latency (ms)")
        ax.set_title("sitrep bbox query (limit 500) latency vs incidents, wrk -c4")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend()
        fig.tight_layout()
        fig.savefig(common.RESULTS / "bbox_vs_incidents.png", dpi=110)
        plt.close(fig)
        made.append("bbox_vs_incidents.png")

    # 4. export time vs incidents
    if data.get("export"):
        fig, ax = plt.subplots(figsize=(7, 4.5))
        counts = sorted(int(k) for k in data["export"])
        for fmt in ("geojson", "csv", "gpkg"):
            pts = [(c, data["export"][str(c)][fmt]["seconds"]) for c in counts
                   if data["export"][str(c)][fmt]["seconds"] is not None]
            if pts:
                ax.loglog([p[0] for p in pts], [p[1] for p in pts], marker="o", label=fmt)
        ax.set_xlabel("incidents")
        ax.set_ylabel("seconds (sitrep export, whole process)")
        ax.set_title("Export time vs incidents")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend()
        fig.tight_layout()
        fig.savefig(common.RESULTS / "export_vs_incidents.png", dpi=110)
        plt.close(fig)
        made.append("export_vs_incidents.png")
    return made


def main() -> int:
    common.ensure_cities500()
    make_texts()
    data: dict = {}
    parts = os.environ.get("BENCH_SCALING_PARTS", "geoparse,bbox,export").split(",")
    previous = common.RESULTS / "scaling.json"
    if previous.exists():  # keep parts not re-run
        data = {k: v for k, v in json.loads(previous.read_text()).items() if k != "machine"}
    if "geoparse" in parts:
        rounds = int(os.environ.get("BENCH_SCALING_ROUNDS", "3"))
        data["geoparse_sitrep"], data["geoparse_sitrep_all_cores"], data["geoparse_python"] = \
            interleaved_geoparse(rounds)
        data["geoparse_cores"] = os.cpu_count()
        data["geoparse_rounds"] = rounds
    if "bbox" in parts or "export" in parts:
        data.setdefault("bbox", {})
        data.setdefault("export", {})
        data["db_generate_s"] = data.get("db_generate_s", {})
        for count in INCIDENTS:
            started = time.perf_counter()
            db = serve_compare.ensure_db(count)
            meta = serve_compare.WORK / f"incidents_{count}.json"
            if meta.exists():
                data["db_generate_s"][str(count)] = json.loads(meta.read_text())["generate_s"]
            print(f"{count} incidents ({time.perf_counter() - started:.0f} s to have the DB)", file=sys.stderr)
            if "bbox" in parts:
                data["bbox"][str(count)] = bbox_latency(db)
                print(f"  bbox: {data['bbox'][str(count)]['p99_ms']:.1f} ms p99", file=sys.stderr)
            if "export" in parts:
                data["export"][str(count)] = export_times(db, count)
    data["plots"] = plot(data)
    common.write_json("scaling", data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
