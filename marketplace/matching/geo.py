"""Great-circle distance and a grid index for "who is within r km of here" queries.

``haversine_km`` is the one distance function of the engine; the checker uses it too,
so solver and checker can never disagree about rule 2.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator

EARTH_RADIUS_KM = 6371.0088
_KM_PER_DEG_LAT = math.pi * EARTH_RADIUS_KM / 180.0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1 = math.radians(lat1)
    p2 = math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


class GridIndex:
    """Buckets points into square cells of about ``cell_km``; queries scan nearby cells.

    Cells are in degrees, with the longitude step widened by the latitude's cosine
    (taken at the most poleward point, so a cell is never narrower than ``cell_km``).
    Queries return a superset of the points within the radius; callers check the
    exact distance.
    """

    def __init__(self, points: list[tuple[float, float]], cell_km: float):
        self.cell_km = max(cell_km, 1e-3)
        max_abs_lat = max((abs(lat) for lat, _ in points), default=0.0)
        cos_lat = max(math.cos(math.radians(min(max_abs_lat + 1.0, 89.0))), 1e-3)
        self.dlat = self.cell_km / _KM_PER_DEG_LAT
        self.dlon = self.cell_km / (_KM_PER_DEG_LAT * cos_lat)
        self.cells: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i, (lat, lon) in enumerate(points):
            self.cells[self._cell(lat, lon)].append(i)

    def _cell(self, lat: float, lon: float) -> tuple[int, int]:
        return math.floor(lat / self.dlat), math.floor(lon / self.dlon)

    def near(self, lat: float, lon: float, radius_km: float) -> Iterator[int]:
        """Indices of points possibly within ``radius_km`` (a superset; check distances)."""
        reach = math.ceil(radius_km / self.cell_km) + 1
        ci, cj = self._cell(lat, lon)
        cells = self.cells
        # A cell |d| steps away is at least (|d| - 1) cells away on that axis; skip the
        # corners of the square that lie wholly outside the circle.
        steps_sq = (radius_km / self.cell_km) ** 2
        for di in range(-reach, reach + 1):
            gap_i = max(0, abs(di) - 1) ** 2
            for dj in range(-reach, reach + 1):
                if gap_i + max(0, abs(dj) - 1) ** 2 > steps_sq:
                    continue
                bucket = cells.get((ci + di, cj + dj))
                if bucket:
                    yield from bucket
