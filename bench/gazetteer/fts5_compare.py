#!/usr/bin/env python3
"""Gazetteer search: sitrep's autocomplete and fuzzy lookup vs SQLite FTS5
(trigram and prefix indexes) over the same GeoNames cities500 names.

Run: `bash bench/run.sh gazetteer` (or, with SITREP_PEERS_BIN set, this
script directly). Both sides are measured in-process, so no process start is
counted:

* sitrep: `benches/peers.rs gazetteer` loads cities500.txt into the
  in-memory gazetteer (names + alternate names) and times
  `Gazetteer::search` per query, 3 timed passes after an untimed one.
* FTS5 (Python's sqlite3): one row per distinct
  (place, name) of the same file in two FTS5 tables, one with the trigram
  tokenizer, one with unicode61 (diacritics removed) and prefix indexes of
  1-3 characters; the population is stored so results are ranked by
  importance, as sitrep ranks them. Timed around `execute` + `fetchall`
  (the Python call overhead, a few microseconds, is counted against FTS5).

Queries (the same list for everyone, made here deterministically):

* prefix: 1-6 leading characters of sampled primary names (autocomplete).
  sitrep: `SearchQuery::new(q).autocomplete()`. FTS5 prefix:
  `^"q"*` (the name starts with the prefix), top 10 places by population.
  FTS5 trigram: `name LIKE 'q%'` (the trigram index serves LIKE for 3+
  characters; shorter prefixes scan the table, which is what users of a
  trigram index get; only a sample of 60 of those is timed, one pass).
* typo: primary names of 6+ letters with two adjacent letters swapped or
  one dropped. sitrep: `SearchQuery::new(q)` (exact, then typo-tolerant).
  FTS5 trigram: the query's trigrams OR-ed, best 10 by bm25 (the usual way
  to get typo tolerance out of a trigram index). FTS5 prefix has no typo
  tolerance and is not run on typos.

Quality: the share of queries whose source place is in the top 1 / 5 / 10.
Memory: resident-set growth of each process for its index (sitrep: after
load + index build; FTS5: after opening the database and running every
query, with the database file in the OS page cache), and the FTS5 file size.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import common  # noqa: E402

PREFIXES = 1200
TYPOS = 600
PASSES = 3
DB = common.CACHE / "fts5_cities500.db"
QUERIES = common.CACHE / "gazetteer_queries.tsv"


def read_places():
    """(geonameid, primary name, [names], population) for each row."""
    places = []
    with open(common.CITIES500, encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 15:
                continue
            names = [cols[1], cols[2]] + [a for a in cols[3].split(",") if a]
            seen, distinct = set(), []
            for n in names:
                n = n.strip()
                if n and n not in seen:
                    seen.add(n)
                    distinct.append(n)
            places.append((int(cols[0]), cols[1], distinct, int(cols[14] or 0)))
    return places


def make_queries(places) -> list[tuple[str, str, int]]:
    rng = random.Random(0x5EED)
    out = []
    step = max(1, len(places) // PREFIXES)
    for i, (gid, name, _, _) in enumerate(places[::step][:PREFIXES]):
        prefix = name[: 1 + i % 6]
        if prefix.strip() and "\t" not in prefix:
            out.append(("prefix", prefix, gid))
    typos = 0
    while typos < TYPOS:
        gid, name, _, _ = places[rng.randrange(len(places))]
        chars = list(name)
        if len(chars) < 6:
            continue
        if rng.random() < 0.5:
            at = 1 + rng.randrange(len(chars) - 2)
            if not (chars[at].isalpha() and chars[at + 1].isalpha()) or chars[at] == chars[at + 1]:
                continue
            chars[at], chars[at + 1] = chars[at + 1], chars[at]
        else:
            at = 1 + rng.randrange(len(chars) - 1)
            if not chars[at].isalpha():
                continue
            del chars[at]
        out.append(("typo", "".join(chars), gid))
        typos += 1
    return out


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()


def build_db(places) -> float:
    """Builds the FTS5 database (once; reused while cities500.txt is older)."""
    if DB.exists() and DB.stat().st_mtime > common.CITIES500.stat().st_mtime:
        return json.loads((DB.with_suffix(".json")).read_text())["build_s"]
    tmp = DB.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    started = time.perf_counter()
    con = sqlite3.connect(tmp)
    con.executescript(
        """
        PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
        CREATE VIRTUAL TABLE names_tri USING fts5(name, place_id UNINDEXED, population UNINDEXED,
            tokenize='trigram');
        CREATE VIRTUAL TABLE names_prefix USING fts5(name, place_id UNINDEXED, population UNINDEXED,
            tokenize='unicode61 remove_diacritics 2', prefix='1 2 3');
        """
    )
    rows = ((n, gid, pop) for gid, _, names, pop in places for n in names)
    con.executemany("INSERT INTO names_tri VALUES (?, ?, ?)", rows)
    con.execute("INSERT INTO names_prefix SELECT name, place_id, population FROM names_tri")
    con.execute("INSERT INTO names_tri(names_tri) VALUES ('optimize')")
    con.execute("INSERT INTO names_prefix(names_prefix) VALUES ('optimize')")
    con.commit()
    con.close()
    build_s = time.perf_counter() - started
    tmp.replace(DB)
    DB.with_suffix(".json").write_text(json.dumps({"build_s": build_s}))
    return build_s


def quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def fts_prefix(con, q):
    # the whole prefix as a phrase whose last token is a prefix, anchored at the name's start
    match = "^ " + quote(q.strip()) + " *"
    return con.execute(
        "SELECT place_id FROM names_prefix WHERE names_prefix MATCH ? "
        "GROUP BY place_id ORDER BY max(population) DESC LIMIT 10", (match,)).fetchall()


def fts_tri_prefix(con, q):
    # no ESCAPE clause: with one, SQLite cannot use the trigram index and scans
    pattern = q + "%"
    return con.execute(
        "SELECT place_id FROM names_tri WHERE name LIKE ? "
        "GROUP BY place_id ORDER BY max(population) DESC LIMIT 10", (pattern,)).fetchall()


def fts_tri_fuzzy(con, q):
    text = q.lower()
    grams = list(dict.fromkeys(text[i:i + 3] for i in range(len(text) - 2)))
    if not grams:
        return []
    match = " OR ".join(quote(g) for g in grams)
    return con.execute(
        "SELECT place_id FROM (SELECT place_id, rank FROM names_tri WHERE names_tri MATCH ? "
        "ORDER BY rank LIMIT 40) GROUP BY place_id ORDER BY min(rank) LIMIT 10", (match,)).fetchall()


def run_fts(con, fn, items, passes=PASSES):
    """Timed passes; an untimed first one scores quality and warms the cache."""
    top = [0, 0, 0]
    timed = []
    for index in range(passes + 1):
        ns = []
        for q, gid in items:
            started = time.perf_counter_ns()
            rows = fn(con, q)
            ns.append(time.perf_counter_ns() - started)
            if index == 0:
                ids = [r[0] for r in rows]
                if gid in ids:
                    rank = ids.index(gid)
                    top[0] += rank < 1
                    top[1] += rank < 5
                    top[2] += rank < 10
        if index > 0:
            timed.append(ns)
    return {"n": len(items), "top1": top[0], "top5": top[1], "top10": top[2], "passes_ns": timed}


def summarise(result: dict) -> dict:
    """Median over passes of each percentile, in microseconds."""
    out = {}
    for p in (50, 90, 99):
        out[f"p{p}_us"] = common.median([common.pct(ns, p) / 1e3 for ns in result["passes_ns"]])
    out["max_us"] = common.median([max(ns) / 1e3 for ns in result["passes_ns"]])
    n = result["n"] or 1
    out.update({"n": result["n"], "top1": result["top1"] / n, "top5": result["top5"] / n,
                "top10": result["top10"] / n})
    return out


def main() -> int:
    common.ensure_cities500()
    places = read_places()
    queries = make_queries(places)
    with open(QUERIES, "w", encoding="utf-8") as f:
        for kind, q, gid in queries:
            f.write(f"{kind}\t{q}\t{gid}\n")
    names = sum(len(n) for _, _, n, _ in places)
    print(f"{len(places)} places, {names} names, {len(queries)} queries", file=sys.stderr)

    # sitrep, in its own process
    out = common.CACHE / "gazetteer_sitrep.json"
    print("sitrep ...", file=sys.stderr)
    subprocess.run([str(common.peers_bin()), "gazetteer", str(common.CITIES500), str(QUERIES), str(out)],
                   check=True)
    sitrep = json.loads(out.read_text())

    # FTS5, in this process
    print("FTS5: building the database ...", file=sys.stderr)
    build_s = build_db(places)
    rss_before = common.rss_kb()
    started = time.perf_counter()
    con = sqlite3.connect(f"file:{DB}?mode=ro", uri=True)
    con.execute("SELECT count(*) FROM names_tri").fetchone()
    open_s = time.perf_counter() - started
    by_kind = {"prefix": [], "typo": []}
    for kind, q, gid in queries:
        by_kind[kind].append((q, gid))
    longer = [(q, gid) for q, gid in by_kind["prefix"] if len(q) >= 3]
    fts = {}
    print("FTS5 prefix ...", file=sys.stderr)
    fts["prefix/fts5-prefix"] = run_fts(con, fts_prefix, by_kind["prefix"])
    print("FTS5 trigram LIKE ...", file=sys.stderr)
    # 1-2 character prefixes scan the whole table under LIKE: a sample of 60 shows the cost
    short = [(q, gid) for q, gid in by_kind["prefix"] if len(q) < 3][:60]
    fts["prefix12/fts5-trigram"] = run_fts(con, fts_tri_prefix, short, passes=1)
    fts["prefix3/fts5-trigram"] = run_fts(con, fts_tri_prefix, longer)
    fts["prefix3/fts5-prefix"] = run_fts(con, fts_prefix, longer)
    print("FTS5 trigram fuzzy ...", file=sys.stderr)
    fts["typo/fts5-trigram"] = run_fts(con, fts_tri_fuzzy, by_kind["typo"])
    rss_after = common.rss_kb()
    con.close()

    # sitrep on the 3+ character prefixes, from the same per-query timings
    prefix_items = by_kind["prefix"]
    keep = [i for i, (q, _) in enumerate(prefix_items) if len(q) >= 3]
    s_prefix = sitrep["results"]["prefix"]
    s_prefix3 = {"n": len(keep), "top1": 0, "top5": 0, "top10": 0,
                 "passes_ns": [[p[i] for i in keep] for p in s_prefix["passes_ns"]]}

    table = {
        "prefix/sitrep": summarise(s_prefix),
        "prefix/fts5-prefix": summarise(fts["prefix/fts5-prefix"]),
        "prefix12/fts5-trigram": summarise(fts["prefix12/fts5-trigram"]),
        "prefix3/sitrep": summarise(s_prefix3),
        "prefix3/fts5-prefix": summarise(fts["prefix3/fts5-prefix"]),
        "prefix3/fts5-trigram": summarise(fts["prefix3/fts5-trigram"]),
        "typo/sitrep": summarise(sitrep["results"]["typo"]),
        "typo/fts5-trigram": summarise(fts["typo/fts5-trigram"]),
    }
    for key in ("prefix3/sitrep",):
        for q in ("top1", "top5", "top10"):
            table[key][q] = None  # not recomputed for the subset
    memory = {
        "sitrep_rss_growth_mb": (sitrep["rss_loaded_kb"] - sitrep["rss_start_kb"]) / 1024,
        "sitrep_peak_mb": sitrep["hwm_end_kb"] / 1024,
        "sitrep_load_s": sitrep["load_s"],
        "sitrep_build_s": sitrep["build_s"],
        "fts5_rss_growth_mb": (rss_after - rss_before) / 1024,
        "fts5_file_mb": DB.stat().st_size / 1e6,
        "fts5_build_s": build_s,
        "fts5_open_s": open_s,
    }
    for key, row in table.items():
        print(f"{key:24s} " + " ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}"
                                       for k, v in row.items()), file=sys.stderr)
    print(json.dumps(memory), file=sys.stderr)
    common.write_json("gazetteer_search", {
        "places": len(places), "names": names, "sitrep_names": sitrep["names"],
        "sqlite_version": sqlite3.sqlite_version, "passes": PASSES,
        "table": table, "memory": memory,
    })
    return 0


if __name__ == "__main__":
    sys.exit(main())
