#!/usr/bin/env python3
"""Recognition baseline: the PyPI package `geotext` on GeoWebNews and LGL.

Scores geotext's toponym recognition with the same corpora, split and
matching rules as `sitrep eval`, so the numbers sit next to sitrep's:

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

Usage (from the repository root):
    python3 bench/geoparsing/geotext_compare.py [--shared ../shared] [--split test]

Writes the table to bench/results/geotext.md.  geotext is installed with
`pip install --target bench/cache/pylib geotext` when it is not importable.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import importlib
import os
import platform
import re
import subprocess
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


def evaluate(corpus: str, documents: list[Document], split: str, GeoText) -> Report:
    report = Report(corpus, split)
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
        report.gold += len(doc.gold)
        report.predicted += len(predicted)

        used_strict = [False] * len(predicted)
        used_lenient = [False] * len(predicted)
        for g in doc.gold:
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
    return report


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


def render(reports: list[Report], version: str, import_seconds: float, shared: Path) -> str:
    now = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M (UTC)")
    lines = [
        "# geotext recognition baseline",
        "",
        f"Generated by `python3 bench/geoparsing/geotext_compare.py` (corpora from `{shared}`).",
        "",
        f"Machine: {now}, {nproc()} cores (nproc), CPU \"{cpu_model()}\", "
        f"Python {platform.python_version()}, geotext {version} "
        f"(index built at import: {import_seconds:.2f} s, not counted in MB/s).",
        "",
        "| corpus | split | docs | P | R | F1 lenient | F1 strict | MB/s | geotext version |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in reports:
        lines.append(
            f"| {r.corpus} | {r.split} | {r.documents} | {r.lenient.precision:.3f} | {r.lenient.recall:.3f} "
            f"| {r.lenient.f1:.3f} | {r.strict.f1:.3f} | {r.mb_s:.2f} | {version} |"
        )
    lines += [
        "",
        "P and R are lenient (overlapping spans). Counts:",
        "",
        "| corpus | split | gold | predicted | lenient TP / FP / FN | strict P / R | strict TP / FP / FN "
        "| MB | s in GeoText() |",
        "|---|---|---:|---:|---|---|---|---:|---:|",
    ]
    for r in reports:
        lines.append(
            f"| {r.corpus} | {r.split} | {r.gold} | {r.predicted} "
            f"| {r.lenient.tp} / {r.lenient.fp} / {r.lenient.fn} "
            f"| {r.strict.precision:.3f} / {r.strict.recall:.3f} "
            f"| {r.strict.tp} / {r.strict.fp} / {r.strict.fn} "
            f"| {r.bytes / 1e6:.3f} | {r.seconds:.3f} |"
        )
    lines += [
        "",
        "Method:",
        "",
        "- Gold: GeoWebNews toponyms with a `<latitude>`, LGL toponyms whose `<gaztag>` has a `<lat>`; "
        "code-point offsets into the unescaped `<text>`.",
        "- Split as `sitrep eval`: documents in file order, even index = dev, odd index = test.",
        "- Predictions: geotext returns names (`.cities` + `.countries`), not offsets; every whole-word, "
        "case-sensitive occurrence of each distinct returned name is a predicted span (identical spans once, "
        "spans nested in a longer predicted span dropped). Nationalities are not counted.",
        "- Lenient: each gold mention, in order, takes the first unused overlapping prediction; "
        "unmatched predictions are FPs. Strict: the same with exact offsets.",
        "- MB/s: UTF-8 bytes of the split's texts / 1e6 / seconds inside `GeoText(text)`, one core.",
    ]
    unlocated = sum(r.unlocated_names for r in reports)
    if unlocated:
        lines.append(
            f"- {unlocated} returned name(s) (per document, distinct) had no whole-word occurrence "
            "(matched inside a longer word) and gave no span."
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", default="../shared", help="shared directory (relative to the repo root)")
    parser.add_argument("--split", choices=["all", "dev", "test"], default="test")
    parser.add_argument("--output", default=str(RESULTS), help="Markdown file to write")
    args = parser.parse_args()

    shared = Path(args.shared)
    shared_abs = shared if shared.is_absolute() else (REPO / shared)
    GeoText, version, import_seconds = load_geotext()

    reports = []
    for corpus, filename in CORPORA:
        path = shared_abs / "bench" / "geoparsing" / filename
        if not path.exists():
            print(f"missing corpus: {path}", file=sys.stderr)
            return 1
        documents = read_corpus(path)
        reports.append(evaluate(corpus, documents, args.split, GeoText))

    markdown = render(reports, version, import_seconds, shared)
    print(markdown)
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(markdown, encoding="utf-8")
    print(f"wrote {output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
