"""Plain geometry helpers for GeoJSON coordinates ([lon, lat] in degrees), and the features that
the maps draw (GeoJSON, RFC 7946)."""

import math
from urllib.parse import urlsplit

EARTH_RADIUS_KM = 6371.0088


def haversine_km(a, b) -> float:
    lon1, lat1, lon2, lat2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def line_length_km(points) -> float:
    return sum(haversine_km(points[i], points[i + 1]) for i in range(len(points) - 1))


def marker_point(geometry) -> list | None:
    """Where a map puts the marker of a geometry: the point itself, or the middle vertex of a line
    (of the first line of a MultiLineString); None for anything else."""
    if not isinstance(geometry, dict):
        return None
    kind, coords = geometry.get("type"), geometry.get("coordinates") or []
    if kind == "MultiLineString" and coords:
        kind, coords = "LineString", coords[0]
    if kind == "Point" and len(coords) >= 2:
        return list(coords[:2])
    if kind == "LineString" and coords:
        return list(coords[len(coords) // 2][:2])
    return None


def feature(geometry: dict, properties: dict) -> dict:
    """A GeoJSON Feature; ``properties`` also carries its ``marker`` point (see marker_point)."""
    return {
        "type": "Feature",
        "geometry": geometry,
        "properties": {**properties, "marker": marker_point(geometry)},
    }


def feature_collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


def tile_origin(tiles: str) -> str:
    """The origin of a Leaflet tile URL template (``https://{s}.tile.example.org/{z}/{x}/{y}.png``
    gives ``https://*.tile.example.org``); "" when there is no tile server or it has no origin."""
    parts = urlsplit(tiles.strip().replace("{s}", "*"))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    return f"{parts.scheme}://{parts.netloc}"
