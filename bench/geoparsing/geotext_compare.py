#!/usr/bin/env python3
"""Recognition baselines: the PyPI packages `geotext` and `flashgeotext`
against sitrep on GeoWebNews and LGL, in one run.

Scores the peers' toponym recognition with the same corpora, split and
matching rules as `sitrep eval`, and runs `sitrep eval --json` (with the
cities500 gazetteer) in the same run, trials interleaved, so the numbers and
the throughput ratios sit side by side:

* GeoWebNews (`GWN.xml`): gold = every <toponym> with a <latitude>.
* LGL (`lgl.xml`): gold = every <toponym> whose <gaztag> has a <lat>.
* Offsets are code points into the <text> content after XML unescaping
  (CDATA taken verbatim); the text is not trimmed.
* Split: documents in file order; index 0, 2, 4, ... = dev, 1, 3, 5, ... = test.
* Lenient recognition: gold mentions in document order, each matched to the
  first unused prediction that overlaps it; unmatched predictions are FPs.
  Strict recognition: the same with exact (start, end) equality.
* Throughput: UTF-8 bytes of the split's texts / 1e6 / seconds spent inside
  `GeoText(text)` (geotext builds its index at import time, which is not
  counted; the import time is reported separately).

geotext returns names, not offsets.  Predicted spans are every whole-word
occurrence (no word character on either side) of each distinct returned
city/country name, case-sensitive, sorted by position; identical spans are
kept once and a span lying inside a longer predicted span (e.g. "York" inside
"New York" when both were returned) is dropped.

flashgeotext returns character spans (`span_info=True`); they are used as
they are (identical spans once, nested spans dropped, as for geotext).
flashgeotext loads its place data when `GeoText()` is constructed; that is
not counted in MB/s (reported separately), and the MB/s counts the seconds
inside `extract(text)` only. sitrep's MB/s is `sitrep eval`'s own figure:
seconds inside the geoparser for the split's texts, with the bundled
gazetteer plus cities500 loaded.

Usage (from the repository root; `bash bench/run.sh geoparsing` sets up the
venv and binaries first):
    python3 bench/geoparsing/geotext_compare.py [--shared ../shared] [--split test] [--trials 3]

Writes bench/results/geotext.md and bench/results/geoparsing.json.  geotext
is installed with `pip install --target bench/cache/pylib geotext` when it is
not importable; flashgeotext and sitrep are skipped (with a note) when
missing.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import importlib
import json
import os
import platform
import re
import subprocess
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PYLIB = REPO / "bench" / "cache" / "pylib"
RESULTS = REPO / "bench" / "results" / "geotext.md"
CORPORA = [("GeoWebNews", "GWN.xml"), ("LGL", "lgl.xml")]


# --------------------------------------------------------------------------
# geotext import / install


def load_geotext():
    """Imports geotext, installing it into bench/cache/pylib if needed.

    Returns (GeoText class, version string, import seconds)."""
    started = time.perf_counter()
    try:
        module = importlib.import_module("geotext")
    except ImportError:
        if str(PYLIB) not in sys.path:
            sys.path.insert(0, str(PYLIB))
        try:
            module = importlib.import_module("geotext")
        except ImportError:
            PYLIB.mkdir(parents=True, exist_ok=True)
            print(f"installing geotext into {PYLIB} ...", file=sys.stderr)
            subprocess.run(
                [sys.executable, "-m", "pip", "install", "--quiet", "--target", str(PYLIB), "geotext"],
                check=True,
            )
            importlib.invalidate_caches()
            started = time.perf_counter()
            module = importlib.import_module("geotext")
    import_seconds = time.perf_counter() - started
    try:
        from importlib.metadata import version

        geotext_version = version("geotext")
    except Exception:  # noqa: BLE001 - metadata can be missing with --target
        geotext_version = getattr(module, "__version__", "unknown")
    return module.GeoText, geotext_version, import_seconds


# --------------------------------------------------------------------------
# corpora


@dataclass
class Document:
    doc_id: str
    text: str
    gold: list[tuple[int, int]] = field(default_factory=list)


def _child_text(element: ET.Element, tag: str) -> str | None:
    child = element.find(tag)
    if child is None or child.text is None:
        return None
    value = child.text.strip()
    return value or None


def _as_float(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _as_int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def read_corpus(path: Path) -> list[Document]:
    """Reads GeoWebNews or LGL XML; gold = toponyms with a latitude."""
    root = ET.parse(path).getroot()
    documents = []
    for index, article in enumerate(root.iter("article")):
        doc_id = article.get("file") or article.get("docid") or str(index)
        text_el = article.find("text")
        text = (text_el.text or "") if text_el is not None else ""
        doc = Document(doc_id, text)
        toponyms = article.find("toponyms")
        for toponym in toponyms.findall("toponym") if toponyms is not None else []:
            start = _as_int(_child_text(toponym, "start"))
            end = _as_int(_child_text(toponym, "end"))
            lat = _as_float(_child_text(toponym, "latitude"))  # GeoWebNews
            if lat is None:
                gaztag = toponym.find("gaztag")  # LGL
                if gaztag is not None:
                    lat = _as_float(_child_text(gaztag, "lat"))
            if start is not None and end is not None and lat is not None:
                doc.gold.append((start, end))
        documents.append(doc)
    return documents


def keeps(split: str, index: int) -> bool:
    return split == "all" or (split == "dev" and index % 2 == 0) or (split == "test" and index % 2 == 1)


# --------------------------------------------------------------------------
# predictions and scoring


def spans_for_names(text: str, names: list[str]) -> list[tuple[int, int]]:
    """Whole-word occurrences of each distinct name, sorted, nested spans dropped."""
    spans = set()
    for name in dict.fromkeys(names):
        pattern = re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)")
        for m in pattern.finditer(text):
            spans.add((m.start(), m.end()))
    ordered = sorted(spans, key=lambda s: (s[0], -s[1]))
    kept = []
    for span in ordered:
        inside = any(o[0] <= span[0] and span[1] <= o[1] and o != span for o in ordered)
        if not inside:
            kept.append(span)
    return kept


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@dataclass
class Prf:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    corpus: str
    split: str
    system: str = "geotext"
    documents: int = 0
    gold: int = 0
    predicted: int = 0
    lenient: Prf = field(default_factory=Prf)
    strict: Prf = field(default_factory=Prf)
    bytes: int = 0
    seconds: float = 0.0
    unlocated_names: int = 0  # returned names with no whole-word occurrence

    @property
    def mb_s(self) -> float:
        return self.bytes / 1e6 / self.seconds if self.seconds > 0 else 0.0


def score(report: Report, gold: list[tuple[int, int]], predicted: list[tuple[int, int]]) -> None:
    """Adds one document's predictions to the report (rules of `sitrep eval`)."""
    report.gold += len(gold)
    report.predicted += len(predicted)
    used_strict = [False] * len(predicted)
    used_lenient = [False] * len(predicted)
    for g in gold:
        i = next((i for i, p in enumerate(predicted) if not used_strict[i] and p == g), None)
        if i is None:
            report.strict.fn += 1
        else:
            used_strict[i] = True
            report.strict.tp += 1
        i = next((i for i, p in enumerate(predicted) if not used_lenient[i] and overlaps(p, g)), None)
        if i is None:
            report.lenient.fn += 1
        else:
            used_lenient[i] = True
            report.lenient.tp += 1
    report.strict.fp += used_strict.count(False)
    report.lenient.fp += used_lenient.count(False)


def evaluate(corpus: str, documents: list[Document], split: str, GeoText) -> Report:
    """geotext: names out, spans found by whole-word search (not timed)."""
    report = Report(corpus, split, "geotext")
    for index, doc in enumerate(documents):
        if not keeps(split, index):
            continue
        report.documents += 1
        started = time.perf_counter()
        result = GeoText(doc.text)
        report.seconds += time.perf_counter() - started
        report.bytes += len(doc.text.encode("utf-8"))

        names = list(result.cities) + list(result.countries)
        predicted = spans_for_names(doc.text, names)
        for name in dict.fromkeys(names):
            if not re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", doc.text):
                report.unlocated_names += 1
        score(report, doc.gold, predicted)
    return report


def nest_free(spans) -> list[tuple[int, int]]:
    ordered = sorted(set((int(a), int(b)) for a, b in spans), key=lambda s: (s[0], -s[1]))
    return [s for s in ordered if not any(o[0] <= s[0] and s[1] <= o[1] and o != s for o in ordered)]


def load_flashgeotext():
    """(GeoText instance, version, seconds to load its data) or None."""
    try:
        from flashgeotext.geotext import GeoText as FlashGeoText
    except ImportError:
        return None
    try:
        import logging

        from loguru import logger

        logger.remove()
        logging.disable(logging.WARNING)
    except ImportError:
        pass
    started = time.perf_counter()
    instance = FlashGeoText()
    load_seconds = time.perf_counter() - started
    try:
        from importlib.metadata import version

        flash_version = version("flashgeotext")
    except Exception:  # noqa: BLE001
        flash_version = "unknown"
    return instance, flash_version, load_seconds


def evaluate_flash(corpus: str, documents: list[Document], split: str, flash) -> Report:
    """flashgeotext: character spans straight from `extract(span_info=True)`."""
    report = Report(corpus, split, "flashgeotext")
    for index, doc in enumerate(documents):
        if not keeps(split, index):
            continue
        report.documents += 1
        started = time.perf_counter()
        result = flash.extract(input_text=doc.text, span_info=True)
        report.seconds += time.perf_counter() - started
        report.bytes += len(doc.text.encode("utf-8"))
        spans = []
        for group in ("cities", "countries"):
            for entry in result.get(group, {}).values():
                spans.extend(tuple(s) for s in entry.get("span_info", []))
        score(report, doc.gold, nest_free(spans))
    return report


def sitrep_eval(paths: list[Path], split: str, gazetteer: Path | None) -> dict | None:
    """`sitrep eval --json` over the corpora; None when the binary is missing."""
    binary = Path(os.environ.get("SITREP_BIN", REPO / "target" / "release" / "sitrep"))
    if not binary.exists():
        print(f"no {binary}: sitrep skipped (cargo build --release --bin sitrep)", file=sys.stderr)
        return None
    cmd = [str(binary), "eval", "--json", "--split", split]
    if gazetteer is not None and gazetteer.exists():
        cmd += ["--gazetteer", str(gazetteer)]
    cmd += [str(p) for p in paths]
    started = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    wall = time.perf_counter() - started
    reports = json.loads(out)
    by_name = {}
    for name, report in reports.items():
        by_name[Path(name).name] = report
    by_name["_wall_seconds"] = wall
    return by_name


STARTUP_TEXT = "Shelling was reported near Shusha and on the road to Lachin, officials in Baku said.\n"
STARTUP_RUNS = 10


def startup_seconds(command: list[str], stdin_text: str) -> list[float]:
    """Wall time of whole processes, start to exit, reading `stdin_text`."""
    times = []
    for _ in range(STARTUP_RUNS):
        started = time.perf_counter()
        subprocess.run(command, input=stdin_text, capture_output=True, text=True, check=True)
        times.append(time.perf_counter() - started)
    return times


def startup_commands() -> dict[str, list[str]]:
    """One short text geoparsed from a cold process: sitrep with its bundled
    gazetteer, and geotext (import + one call) for comparison."""
    commands = {}
    binary = Path(os.environ.get("SITREP_BIN", REPO / "target" / "release" / "sitrep"))
    if binary.exists():
        commands["sitrep geoparse (bundled gazetteer)"] = [str(binary), "geoparse", "-"]
    script = (f"import sys; sys.path.insert(0, {str(PYLIB)!r}); import geotext; "
              "print(geotext.GeoText(sys.stdin.read()).cities)")
    commands["geotext (import + GeoText)"] = [sys.executable, "-c", script]
    return commands


# --------------------------------------------------------------------------
# output


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def nproc() -> str:
    try:
        return subprocess.run(["nproc"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return str(os.cpu_count())


def median(values: list[float]) -> float:
    ordered = sorted(values)
    n = len(ordered)
    if not n:
        return 0.0
    return ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2


def render(rows: list[dict], versions: dict, shared: Path, trials: int, split: str) -> str:
    now = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M (UTC)")
    lines = [
        "# Geoparsing: recognition and throughput, sitrep vs geotext and flashgeotext",
        "",
        f"Generated by `python3 bench/geoparsing/geotext_compare.py` (corpora from `{shared}`), "
        f"split `{split}` (odd-numbered documents), {trials} interleaved trials, MB/s = median.",
        "",
        f"Machine: {now}, {nproc()} cores (nproc), CPU \"{cpu_model()}\", Python {platform.python_version()}; "
        + ", ".join(f"{k} {v}" for k, v in versions.items()) + ".",
        "",
        "| corpus | system | docs | P | R | F1 lenient | F1 strict | MB/s (median) | MB/s trials | sitrep MB/s ÷ this |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for r in rows:
        ratio = r.get("sitrep_ratio")
        lines.append(
            f"| {r['corpus']} | {r['system']} | {r['documents']} | {r['precision']:.3f} | {r['recall']:.3f} "
            f"| {r['f1_lenient']:.3f} | {r['f1_strict']:.3f} | {r['mb_s']:.2f} "
            f"| {', '.join(f'{x:.2f}' for x in r['mb_s_trials'])} | {'' if ratio is None else f'{ratio:.2f}'} |"
        )
    lines += [
        "",
        "P and R are lenient (overlapping spans). Counts:",
        "",
        "| corpus | system | gold | predicted | lenient TP / FP / FN | strict TP / FP / FN | MB |",
        "|---|---|---:|---:|---|---|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['corpus']} | {r['system']} | {r['gold']} | {r['predicted']} "
            f"| {r['lenient'][0]} / {r['lenient'][1]} / {r['lenient'][2]} "
            f"| {r['strict'][0]} / {r['strict'][1]} / {r['strict'][2]} | {r['mb']:.3f} |"
        )
    lines += [
        "",
        "Method:",
        "",
        "- Gold: GeoWebNews toponyms with a `<latitude>`, LGL toponyms whose `<gaztag>` has a `<lat>`; "
        "code-point offsets into the unescaped `<text>`.",
        "- Split as `sitrep eval`: documents in file order, even index = dev, odd index = test.",
        "- geotext returns names (`.cities` + `.countries`), not offsets; every whole-word, "
        "case-sensitive occurrence of each distinct returned name is a predicted span (identical spans once, "
        "spans nested in a longer predicted span dropped). Nationalities are not counted.",
        "- flashgeotext: the `span_info` spans of its cities and countries, the same dedup.",
        "- sitrep: `sitrep eval --json --split test --gazetteer bench/cache/cities500.txt`, which scores "
        "with the same rules (sitrep resolves every mention as well; the peers do recognition only).",
        "- Lenient: each gold mention, in order, takes the first unused overlapping prediction; "
        "unmatched predictions are FPs. Strict: the same with exact offsets.",
        "- MB/s: UTF-8 bytes of the split's texts / 1e6 / seconds inside the library call, one core; "
        "the peers' data loading and sitrep's gazetteer load are not counted.",
    ]
    return "\n".join(lines) + "\n"


def report_row(r: Report, mb_trials: list[float]) -> dict:
    return {
        "corpus": r.corpus, "system": r.system, "documents": r.documents,
        "precision": r.lenient.precision, "recall": r.lenient.recall,
        "f1_lenient": r.lenient.f1, "f1_strict": r.strict.f1,
        "gold": r.gold, "predicted": r.predicted,
        "lenient": [r.lenient.tp, r.lenient.fp, r.lenient.fn],
        "strict": [r.strict.tp, r.strict.fp, r.strict.fn],
        "mb": r.bytes / 1e6, "mb_s_trials": mb_trials, "mb_s": median(mb_trials),
    }


def sitrep_row(corpus: str, reports: list[dict]) -> dict:
    r = reports[0]
    rl, rs = r["recognition_lenient"], r["recognition_strict"]

    def counts(prf):
        return [prf.get("true_positives", 0), prf.get("false_positives", 0), prf.get("false_negatives", 0)]

    trials = [x["throughput_mb_s"] for x in reports]
    return {
        "corpus": corpus, "system": "sitrep", "documents": r["documents"],
        "precision": rl["precision"], "recall": rl["recall"], "f1_lenient": rl["f1"], "f1_strict": rs["f1"],
        "gold": r["gold_mentions"], "predicted": r["predicted_mentions"],
        "lenient": counts(rl), "strict": counts(rs), "mb": float("nan"),
        "mb_s_trials": trials, "mb_s": median(trials),
        "resolution_end_to_end": r["resolution_end_to_end"],
        "resolution_gold_spans": r["resolution_gold_spans"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", default="../shared", help="shared directory (relative to the repo root)")
    parser.add_argument("--split", choices=["all", "dev", "test"], default="test")
    parser.add_argument("--trials", type=int, default=3)
    parser.add_argument("--gazetteer", default=str(REPO / "bench" / "cache" / "cities500.txt"),
                        help="GeoNames table sitrep loads over its bundled gazetteer")
    parser.add_argument("--output", default=str(RESULTS), help="Markdown file to write")
    args = parser.parse_args()

    shared = Path(args.shared)
    shared_abs = shared if shared.is_absolute() else (REPO / shared)
    GeoText, version, import_seconds = load_geotext()
    flash = load_flashgeotext()
    if flash is None:
        print("flashgeotext not importable: skipped (bash bench/run.sh installs it)", file=sys.stderr)

    corpora = []
    for corpus, filename in CORPORA:
        path = shared_abs / "bench" / "geoparsing" / filename
        if not path.exists():
            print(f"missing corpus: {path}", file=sys.stderr)
            return 1
        corpora.append((corpus, path, read_corpus(path)))

    geo_reports: dict[str, list[Report]] = {c: [] for c, _, _ in corpora}
    flash_reports: dict[str, list[Report]] = {c: [] for c, _, _ in corpora}
    sitrep_reports: dict[str, list[dict]] = {c: [] for c, _, _ in corpora}
    gazetteer = Path(args.gazetteer)
    starts: dict[str, list[float]] = {name: [] for name in startup_commands()}
    for trial in range(args.trials):
        print(f"trial {trial + 1}/{args.trials}", file=sys.stderr)
        for name, command in startup_commands().items():
            starts[name] += startup_seconds(command, STARTUP_TEXT)
        result = sitrep_eval([p for _, p, _ in corpora], args.split, gazetteer)
        for corpus, path, documents in corpora:
            if result is not None:
                sitrep_reports[corpus].append(result[path.name])
            geo_reports[corpus].append(evaluate(corpus, documents, args.split, GeoText))
            if flash is not None:
                flash_reports[corpus].append(evaluate_flash(corpus, documents, args.split, flash[0]))

    rows = []
    for corpus, _, _ in corpora:
        sitrep = sitrep_row(corpus, sitrep_reports[corpus]) if sitrep_reports[corpus] else None
        if sitrep:
            sitrep["mb"] = geo_reports[corpus][0].bytes / 1e6  # the same texts
            rows.append(sitrep)
        for reports in (geo_reports[corpus], flash_reports[corpus]):
            if not reports:
                continue
            row = report_row(reports[0], [r.mb_s for r in reports])
            if sitrep and row["mb_s"] > 0:
                row["sitrep_ratio"] = sitrep["mb_s"] / row["mb_s"]
            rows.append(row)
    versions = {"geotext": version, "flashgeotext": flash[1] if flash else "missing"}
    notes = {
        "geotext_import_seconds": import_seconds,
        "flashgeotext_load_seconds": flash[2] if flash else None,
        "sitrep_gazetteer": str(gazetteer) if gazetteer.exists() else "bundled only",
        "startup": {name: {"median_s": statistics.median(t), "min_s": min(t), "max_s": max(t), "runs": len(t)}
                    for name, t in starts.items() if t},
        "startup_text": STARTUP_TEXT.strip(),
    }
    markdown = render(rows, versions, shared, args.trials, args.split)
    print(markdown)
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(markdown, encoding="utf-8")
    data = {"split": args.split, "trials": args.trials, "versions": versions, "notes": notes, "rows": rows}
    sys.path.insert(0, str(REPO / "bench"))
    import common  # noqa: PLC0415 - the shared helpers, for the machine description

    data = {"machine": common.machine(), **data}
    (output.parent / "geoparsing.json").write_text(json.dumps(data, indent=1), encoding="utf-8")
    print(f"wrote {output} and geoparsing.json", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
