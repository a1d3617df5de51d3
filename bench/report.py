#!/usr/bin/env python3
"""Writes BENCHMARKS.md from the JSON results in bench/results/ (run by
`bash bench/run.sh ...` after each benchmark; `bash bench/run.sh report`
alone rewrites it). A benchmark with no result yet is listed as not run."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402

OUT = common.REPO / "BENCHMARKS.md"

# Published resolution figures. Mordecai3: Halterman (2023), "Mordecai 3: A
# Neural Geoparser and Event Geocoder", arXiv:2303.13675, tables as reproduced
# in the mordecai3 README; resolution given the annotated place names (so
# comparable with sitrep's "gold spans" column). Gritta et al. (2019) "A
# pragmatic guide to geoparsing evaluation" (LREV 54:683-712): its tables
# could not be retrieved here, so the CamCoder/Edinburgh/CLAVIN figures are
# the ones quoted in issue 3, marked unverified.
PUBLISHED = [
    ("Mordecai3", "LGL", "0.827", "79.4%", "303.9 km", "0.0 km", "Halterman 2023, arXiv:2303.13675 (gold place names, n=967)"),
    ("Mordecai3", "GeoWebNews", "0.941", "90.1%", "249.4 km", "0.0 km", "Halterman 2023, arXiv:2303.13675 (gold place names, n=474)"),
    ("CamCoder", "LGL", "0.76", "", "", "", "as quoted in issue 3 (from Gritta et al. 2018/2019); not re-verified here"),
    ("Edinburgh Geoparser", "LGL", "0.76", "", "", "", "as quoted in issue 3 (Gritta et al. 2019); not re-verified here"),
    ("CLAVIN", "LGL", "not found", "", "", "", "issue 3 quotes only CLAVIN's LGL geotagging F1 0.57; no resolution figure found"),
    ("CamCoder, Edinburgh, CLAVIN", "GeoWebNews", "not found", "", "", "", "Gritta et al. 2019 tables not retrievable with the search tool here"),
]


def load(name: str) -> dict | None:
    path = common.RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def machine_line(m: dict) -> str:
    return (f"{m['date']}; {m['nproc']} cores (nproc), CPU \"{m['cpu']}\", {m['ram_gib']} GiB RAM, "
            f"Linux {m['kernel']}, {m['rustc']}, Python {m['python']}, {m['sitrep_version']} "
            f"(commit {m['sitrep_commit']}), {m['wrk']}")


def f(x, digits=2, suffix=""):
    if x is None or (isinstance(x, float) and x != x):
        return "–"
    return f"{x:.{digits}f}{suffix}"


def geoparsing(out: list[str]) -> None:
    d = load("geoparsing")
    out += ["## 1. Geoparsing: sitrep vs geotext and flashgeotext", "",
            "Command: `bash bench/run.sh geoparsing` "
            "(`bench/geoparsing/geotext_compare.py`). Full table: [bench/results/geotext.md](bench/results/geotext.md).", ""]
    if not d:
        out += ["*Not run yet.*", ""]
        return
    out += [f"Machine: {machine_line(d['machine'])}. " + ", ".join(f"{k} {v}" for k, v in d["versions"].items())
            + f". **Test split = the odd-numbered documents** (`--split test`); {d['trials']} interleaved trials, "
            "MB/s is the median; sitrep has the bundled gazetteer + GeoNames cities500 loaded and also resolves every "
            "mention, the peers only recognise.", "",
            "| corpus | system | P | R | F1 lenient | F1 strict | MB/s | sitrep MB/s ÷ peer |",
            "|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in d["rows"]:
        ratio = r.get("sitrep_ratio")
        out.append(f"| {r['corpus']} | {r['system']} | {r['precision']:.3f} | {r['recall']:.3f} | "
                   f"**{r['f1_lenient']:.3f}** | {r['f1_strict']:.3f} | {r['mb_s']:.2f} | "
                   f"{'' if ratio is None else f'{ratio:.2f}x'} |")
    startup = d.get("notes", {}).get("startup")
    if startup:
        out += ["", f"Startup: a whole process geoparsing one sentence (\"{d['notes']['startup_text']}\") from "
                "standard input, start to exit; runs interleaved with the trials above (target for sitrep: under "
                "300 ms with the bundled gazetteer).", "",
                "| process | median | min | max | runs |", "|---|---:|---:|---:|---:|"]
        for name, t in startup.items():
            out.append(f"| {name} | **{t['median_s'] * 1000:.0f} ms** | {t['min_s'] * 1000:.0f} ms | "
                       f"{t['max_s'] * 1000:.0f} ms | {t['runs']} |")
    out += ["", "sitrep's resolution (`sitrep eval`, same run, test split):", "",
            "| corpus | mode | acc@161 km | acc within gold precision | mean km | median km | AUC | GeoNames id match |",
            "|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in d["rows"]:
        if r["system"] != "sitrep":
            continue
        for mode, key in (("end to end", "resolution_end_to_end"), ("gold spans", "resolution_gold_spans")):
            x = r[key]
            out.append(f"| {r['corpus']} | {mode} | {x['accuracy_161km']:.3f} | {x['accuracy_within_precision']:.3f} "
                       f"| {x['mean_km']:.0f} | {x['median_km']:.1f} | {x['auc']:.3f} | {f(x.get('geonames_id_match'), 3)} |")
    out += ["", "Published figures (not measured here; different gazetteers, splits and matching rules, so "
            "indicative only):", "",
            "| system | corpus | acc@161 km | exact GeoNames match | mean error | median error | source |",
            "|---|---|---:|---:|---:|---:|---|"]
    for row in PUBLISHED:
        out.append("| " + " | ".join(row) + " |")
    out += ["", "Also from issue 3 (unverified here): LGL geotagging F1 0.57 (CLAVIN) to 0.71 (Topocluster).", ""]


def gazetteer(out: list[str]) -> None:
    d = load("gazetteer_search")
    out += ["## 2. Gazetteer search: sitrep vs SQLite FTS5", "",
            "Command: `bash bench/run.sh gazetteer` (`bench/gazetteer/fts5_compare.py` + `benches/peers.rs gazetteer`).", ""]
    if not d:
        out += ["*Not run yet.*", ""]
        return
    m = d["memory"]
    out += [f"Machine: {machine_line(d['machine'])}. SQLite {d['sqlite_version']} (Python sqlite3). "
            f"Same names: GeoNames cities500, {d['places']:,} places, {d['names']:,} distinct (place, name) rows "
            f"for FTS5, {d['sitrep_names']:,} names in sitrep. Both in-process; percentiles are the median over "
            f"{d['passes']} timed passes.", "",
            "| queries | system | n | p50 | p90 | p99 | max | top-1 | top-5 | top-10 | p99 ratio (peer ÷ sitrep) |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    t = d["table"]
    labels = {"prefix": "autocomplete, 1-6 chars", "prefix3": "autocomplete, 3-6 chars",
              "prefix12": "autocomplete, 1-2 chars (sample)", "typo": "fuzzy (1 swap/drop)"}
    for key, row in t.items():
        kind, system = key.split("/")
        base = t.get(f"{kind}/sitrep") or t.get("prefix/sitrep")
        ratio = row["p99_us"] / base["p99_us"] if system != "sitrep" and base else None

        def q(v):
            return "–" if v is None else f"{100 * v:.0f}%"

        out.append(f"| {labels.get(kind, kind)} | {system} | {row['n']} | {f(row['p50_us'], 1)} µs | "
                   f"{f(row['p90_us'], 1)} µs | **{f(row['p99_us'], 1)} µs** | {f(row['max_us'], 0)} µs | "
                   f"{q(row['top1'])} | {q(row['top5'])} | {q(row['top10'])} | {'' if ratio is None else f'{ratio:.1f}x'} |")
    out += ["", f"Memory: sitrep's in-memory index grows the process by **{m['sitrep_rss_growth_mb']:.0f} MB** "
            f"(peak {m['sitrep_peak_mb']:.0f} MB; load {m['sitrep_load_s']:.1f} s + index {m['sitrep_build_s']:.1f} s at "
            f"every start). FTS5 keeps its index on disk: a **{m['fts5_file_mb']:.0f} MB** file "
            f"(built once in {m['fts5_build_s']:.0f} s), and the querying process grew by only "
            f"{m['fts5_rss_growth_mb']:.0f} MB (SQLite's page cache; the file sits in the OS page cache).", "",
            "How FTS5 is queried: prefix = `^\"q\" *` on a unicode61 table with prefix indexes, top 10 places by "
            "population; trigram = `name LIKE 'q%'` (served by the trigram index from 3 characters; 1-2 characters "
            "scan the table, so only a sample of 60 is timed); fuzzy = the query's trigrams OR-ed, best 10 by bm25. "
            "top-k = the place the query was made from is among the first k results "
            "(the 3-6 character subset of sitrep is not re-scored).", ""]


def serving(out: list[str]) -> None:
    d = load("serving")
    out += ["## 3. Serving: sitrep vs pygeoapi", "",
            "Command: `bash bench/run.sh serving` (`bench/serving/serve_compare.py`, pygeoapi config "
            "`bench/serving/pygeoapi.config.yml`). wrk outputs: [bench/results/serving_wrk.txt](bench/results/serving_wrk.txt).", ""]
    if not d:
        out += ["*Not run yet.*", ""]
        return
    out += [f"Machine: {machine_line(d['machine'])}. pygeoapi {d['versions']['pygeoapi']} (SQLite/GeoPackage "
            f"provider over the `sitrep export --format gpkg` file of the same {d['incidents']:,} incidents) under "
            f"gunicorn {d['versions']['gunicorn']} with {d['gunicorn_workers']} sync workers; sitrep serves its own "
            f"database. Loopback; bbox `{d['bbox']}`; wrk `{' '.join(d['wrk']['bbox'])}` for the bbox page and "
            f"`{' '.join(d['wrk']['full'])}` for the full layer; median of interleaved trials.", "",
            "| request | server | features / bytes per response | req/s | p50 | p99 | trials (req/s) |",
            "|---|---|---|---:|---:|---:|---|"]
    kinds = (("bbox", "items page, bbox, limit 500, the same view"),
             ("distinct", "items page, bbox, limit 500, a new view each time"), ("full", "full layer"))
    for kind, label in kinds:
        for name, row in d["table"].get(kind, {}).items():
            p = d["probes"][kind][name]
            out.append(f"| {label} | {name} | {p['features']:,} / {p['bytes'] / 1e6:.2f} MB | **{row['rps']:.1f}** | "
                       f"{row['p50_ms']:.1f} ms | {row['p99_ms']:.1f} ms | "
                       + ", ".join(f"{t['rps']:.1f}" for t in row["trials"]) + " |")
    out += ["", "sitrep's layer endpoint keeps whole answers in memory keyed by ETag (dropped at any data change): "
            "\"the same view\" is served from that cache after the first request, as when many users look at one "
            "region; \"a new view each time\" asks for a random bbox of the same size every time, so nothing is "
            "cached. OGC items pages carry a time stamp and are never cached. The full layer is cached the same way "
            "(the cache holds `serve --cache-mb` megabytes, 256 by default; one answer may take half), so after the "
            "first download at a data version the next ones are copies of bytes; when the random views of the "
            "\"new view\" runs have pushed it out, the first full download of a trial builds it again (that is "
            "the p99)."]
    full = d["probes"].get("full", {})
    if full:
        out += ["", "First, uncached answer of the full layer (the probe before the trials): "
                + ", ".join(f"{name} {p['seconds']:.2f} s" for name, p in full.items()) + "."]
    out += ["", "Ratios (same run):", ""]
    for k, v in d["ratios"].items():
        verdict = "met" if v >= 10 else "**missed**"
        out.append(f"- {k}: **{v:.1f}x** (target ≥ 10x: {verdict})")
    out += ["", f"Peak resident memory: sitrep {d['memory']['sitrep_peak_mb']:.0f} MB, pygeoapi (all gunicorn "
            f"processes) {d['memory']['pygeoapi_peak_mb']:.0f} MB. sitrep's includes its answer cache (at most 256 MB by "
            "default, `serve --cache-mb`; the random views fill it) and, when both connections of the full-layer run "
            "miss the cache at once, two 105 MB layers being built.", ""]


def scaling(out: list[str]) -> None:
    d = load("scaling")
    out += ["## 4. Scaling curves", "", "Command: `bash bench/run.sh scaling` (`bench/scaling/scaling.py`).", ""]
    if not d:
        out += ["*Not run yet.*", ""]
        return
    out += [f"Machine: {machine_line(d['machine'])}.", ""]
    if d.get("geoparse_sitrep"):
        out += ["### Geoparse time vs text size", "", "![geoparse vs text size](bench/results/geoparse_vs_text_size.png)", "",
                f"Medians of the trials, pooled over {d.get('geoparse_rounds', 1)} rounds in which sitrep and geotext "
                "take turns (flashgeotext runs in the first only); sitrep with the bundled gazetteer plus cities500 "
                "(resolving every mention), geotext and flashgeotext recognising only. Each trial geoparses the "
                "text as one new text. \"sitrep ÷ geotext\" is the ratio of throughputs, above 1 when sitrep is "
                "faster. sitrep runs on one core, and again with a long text's 64 kB chunks side by side on "
                f"every core ({d.get('geoparse_cores', '?')}; texts over 128 kB), which gives the same mentions.",
                "",
                "| text | sitrep s | sitrep MB/s | geotext s | geotext MB/s | sitrep ÷ geotext | sitrep, every core s "
                "| every core ÷ geotext | flashgeotext s | sitrep mentions |",
                "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        s = d["geoparse_sitrep"][-1]["runs"]
        py = d["geoparse_python"]["runs"]
        every = d.get("geoparse_sitrep_all_cores") or [None] * len(s)
        for i, r in enumerate(s):
            e = common.median(every[i]["seconds"]) if every[i] else None
            sec = common.median(r["seconds"])
            g = common.median(py["geotext"][i]["seconds"]) if "geotext" in py else None
            fl = common.median(py["flashgeotext"][i]["seconds"]) if "flashgeotext" in py else None
            g_mbs = r["bytes"] / 1e6 / g if g else None
            ratio = g / sec if g else None
            out.append(f"| {r['bytes'] / 1e6:g} MB | {sec:.4f} | {r['bytes'] / 1e6 / sec:.2f} | {f(g, 4)} | "
                       f"{f(g_mbs, 2)} | {f(ratio, 2)} | {f(e, 4)} | {f(g / e if g and e else None, 2)} | {f(fl, 3)} | "
                       f"{r['mentions']:,} |")
        out += ["", "### Geoparse vs gazetteer size", "", "![geoparse vs gazetteer](bench/results/geoparse_vs_gazetteer.png)", "",
                "| gazetteer | places | load + index s | MB/s on 1 MB | resident after load |", "|---|---:|---:|---:|---:|"]
        for c in d["geoparse_sitrep"]:
            r = min(c["runs"], key=lambda r: abs(r["bytes"] - 1_000_000))
            out.append(f"| {c['gazetteer']} | {c['places']:,} | {c['load_s']:.2f} | "
                       f"{r['bytes'] / 1e6 / common.median(r['seconds']):.2f} | {c['rss_loaded_kb'] / 1024:.0f} MB |")
        out += ["", "\"bundled\" reads the name index built with the binary (as `sitrep geoparse` does); with a "
                "GeoNames table added, every place is indexed at load. The texts are GeoWebNews articles repeated, "
                "so the larger gazetteer also finds (and resolves) more mentions in them.", ""]
    if d.get("bbox"):
        out += ["### bbox query latency vs incidents", "", "![bbox vs incidents](bench/results/bbox_vs_incidents.png)", "",
                "A new random bbox (the size of the ~500-feature one) every request, so the response cache never "
                "answers; \"features returned\" is for the fixed bbox.", "",
                "| incidents | features returned | req/s | p50 | p99 | server peak RSS |", "|---:|---:|---:|---:|---:|---:|"]
        for c in sorted(d["bbox"], key=int):
            r = d["bbox"][c]
            out.append(f"| {int(c):,} | {r['features']} | {r['rps']:.1f} | {r['p50_ms']:.1f} ms | {r['p99_ms']:.1f} ms | "
                       f"{r['server_peak_mb']:.0f} MB |")
        out.append("")
    if d.get("export"):
        out += ["### Export time vs incidents", "", "![export vs incidents](bench/results/export_vs_incidents.png)", "",
                "| incidents | format | seconds | peak RSS | size |", "|---:|---|---:|---:|---:|"]
        for c in sorted(d["export"], key=int):
            for fmt, r in d["export"][c].items():
                out.append(f"| {int(c):,} | {fmt} | {f(r['seconds'])} | {f(r['peak_mb'], 0, ' MB')} | "
                           f"{f((r['bytes'] or 0) / 1e6, 1, ' MB')} |")
        out.append("")
    missing = [n for n in ("10000", "100000", "1000000") if n not in (d.get("bbox") or {})]
    if missing:
        out += [f"Not measured: incidents = {', '.join(missing)} (see the notes below).", ""]


def main() -> int:
    out = ["# Benchmarks", "",
           "Side-by-side figures for issue 9, written by `bash bench/run.sh <name>` (never in CI: too slow). "
           "Each comparison is measured in one run on one machine, with trials interleaved, and reported as a ratio; "
           "absolute times on this shared 2-core machine drift (other engineers were compiling during these runs), "
           "ratios much less. Raw results: `bench/results/*.json`.", ""]
    geoparsing(out)
    gazetteer(out)
    serving(out)
    scaling(out)
    notes = common.REPO / "bench" / "NOTES.md"
    if notes.exists():
        out += [notes.read_text(encoding="utf-8").strip(), ""]
    OUT.write_text("\n".join(out), encoding="utf-8")
    print(f"wrote {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
