"""Plain geometry helpers for GeoJSON coordinates ([lon, lat] in degrees)."""

import math

EARTH_RADIUS_KM = 6371.0088


def haversine_km(a, b) -> float:
    lon1, lat1, lon2, lat2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def line_length_km(points) -> float:
    return sum(haversine_km(points[i], points[i + 1]) for i in range(len(points) - 1))
