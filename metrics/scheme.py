"""The assessment scheme (考核方案) as data: thresholds, cap and scoring rules, one file per year.

Why a file: the rules are decided each year by the assessment office, not by programmers, and the
numbers read at a dispatch meeting must follow the rules of that year.  ``schemes/default.toml``
holds the defaults of the domain reference; ``schemes/<year>.toml`` changes only the keys it names
for that year.  A different scheme changes the results without a code change.
"""

from __future__ import annotations

import copy
import importlib
import math
import os
import pkgutil
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCORING_NAMES = {"ratio": "ratio", "rank": "rank", "完成率": "ratio", "排名": "rank"}

# file layout: section -> key -> (Scheme field, type)
_LAYOUT: dict[str, dict[str, str]] = {
    "status": {"green": "green", "yellow": "yellow", "rate_band_percent": "band_percent",
               "rate_band_share": "band_share"},
    "score": {"cap": "cap", "rank_spread": "rank_spread"},
    "scoring": {"amount": "scoring_amount", "rate": "scoring_rate"},
}


class SchemeError(ValueError):
    """A scheme file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class Scheme:
    """The rules of one year's assessment; the defaults are those of the domain reference."""

    green: float = 1.00          # amount: attainment >= green -> green
    yellow: float = 0.90         # amount: attainment >= yellow -> yellow, else red
    band_percent: float = 1.0    # rate in %, no 容差: yellow when gap >= -1.0 pp
    band_share: float = 0.05     # rate in another measure, no 容差: band = 5% of |target|
    cap: float = 1.20            # ratio scoring: s = clamp(attainment, 0, cap)
    rank_spread: float = 0.5     # rank scoring: s = 1 - spread * (rank - 1) / (rank_of - 1)
    scoring_amount: str = "ratio"  # scoring of an amount whose catalog leaves 计分方式 blank
    scoring_rate: str = "rank"     # scoring of a rate whose catalog leaves 计分方式 blank
    scoring: Mapping[str, str] = field(default_factory=dict, hash=False)   # indicator code -> method
    weights: Mapping[str, float] = field(default_factory=dict, hash=False)  # indicator code -> weight
    settings: Mapping[str, Mapping[str, Any]] = field(default_factory=dict, hash=False)  # feature sections
    year: int | None = None
    sources: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        where = ", ".join(self.sources) or "scheme"
        for name in ("green", "yellow", "band_percent", "band_share", "cap", "rank_spread"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                raise SchemeError(f"{where}: {name} must be a number, not {value!r}")
            if value < 0:
                raise SchemeError(f"{where}: {name} must not be negative ({value})")
        if self.yellow > self.green:
            raise SchemeError(f"{where}: yellow ({self.yellow}) must not exceed green ({self.green})")
        if self.rank_spread > 1:
            raise SchemeError(f"{where}: rank_spread must be between 0 and 1 ({self.rank_spread})")
        if SCORING_NAMES.get(self.scoring_amount) is None:
            raise SchemeError(f"{where}: scoring.amount must be ratio or rank ({self.scoring_amount!r})")
        if SCORING_NAMES.get(self.scoring_rate) != "rank":
            raise SchemeError(f"{where}: scoring.rate must be rank: ratio scoring is for amounts only")
        for code, method in self.scoring.items():
            if SCORING_NAMES.get(method) is None:
                raise SchemeError(f"{where}: scoring.indicators.{code} must be ratio or rank ({method!r})")
        for code, weight in self.weights.items():
            if isinstance(weight, bool) or not isinstance(weight, int | float) or not weight >= 0:
                raise SchemeError(f"{where}: weights.{code} must be a number >= 0 ({weight!r})")

    def default_scoring(self, kind: str) -> str:
        return SCORING_NAMES[self.scoring_rate if kind == "rate" else self.scoring_amount]

    def section(self, name: str) -> Mapping[str, Any]:
        """A feature's settings (``metrics/scheme_sections/<name>.py``): its defaults overlaid by the files."""
        if name in self.settings:
            return self.settings[name]
        spec = feature_sections()[name]
        return copy.deepcopy(spec.DEFAULTS)


def feature_sections() -> dict[str, Any]:
    """Every module of ``metrics.scheme_sections`` by its section name."""
    from metrics import scheme_sections

    found = {}
    for info in pkgutil.iter_modules(scheme_sections.__path__):
        module = importlib.import_module(f"{scheme_sections.__name__}.{info.name}")
        found[module.NAME] = module
    return found


def _deep_merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _deep_merge(dict(merged[key]), value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def scheme_dir() -> Path:
    """$METRICS_SCHEMES if set, else <repo>/schemes."""
    env = os.environ.get("METRICS_SCHEMES")
    return Path(env).expanduser() if env else Path(__file__).resolve().parent.parent / "schemes"


def _read(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise SchemeError(f"{path}: not valid TOML: {exc}") from exc


def _apply(values: dict[str, Any], data: Mapping[str, Any], source: str) -> None:
    """Copy the keys of one file onto ``values``; an unknown key is an error, not silently ignored."""
    features = feature_sections()
    for section, body in data.items():
        if section in features:
            if not isinstance(body, Mapping):
                raise SchemeError(f"{source}: [{section}] must be a table")
            settings = values.setdefault("settings", {})
            settings[section] = _deep_merge(settings.get(section, {}), body)
            continue
        if section == "weights":
            if not isinstance(body, Mapping):
                raise SchemeError(f"{source}: [weights] must be a table of indicator code = weight")
            values["weights"] = {**values.get("weights", {}), **{str(k): v for k, v in body.items()}}
            continue
        keys = _LAYOUT.get(section)
        if keys is None or not isinstance(body, Mapping):
            known = ", ".join([*_LAYOUT, "weights", *sorted(features)])
            raise SchemeError(f"{source}: unknown section [{section}] (known: {known})")
        for key, value in body.items():
            if section == "scoring" and key == "indicators":
                if not isinstance(value, Mapping):
                    raise SchemeError(f"{source}: [scoring.indicators] must map indicator codes to methods")
                values["scoring"] = {**values.get("scoring", {}), **{str(k): v for k, v in value.items()}}
            elif key in keys:
                values[keys[key]] = value
            else:
                raise SchemeError(f"{source}: unknown key {section}.{key} (known: {', '.join(keys)})")


def parse_scheme(layers: list[tuple[str, Mapping[str, Any]]], year: int | None = None) -> Scheme:
    """A scheme from parsed TOML layers (source name, data), later layers overriding earlier ones."""
    values: dict[str, Any] = {}
    for source, data in layers:
        _apply(values, data, source)
    where = ", ".join(source for source, _ in layers) or "scheme"
    given = values.pop("settings", {})
    settings = {}
    for name, spec in feature_sections().items():
        settings[name] = _deep_merge(copy.deepcopy(spec.DEFAULTS), given.get(name, {}))
        spec.validate(settings[name], where)
    return Scheme(**values, settings=settings, year=year, sources=tuple(source for source, _ in layers))


def load_scheme(year: int | None = None, directory: Path | str | None = None) -> Scheme:
    """The scheme of a year: ``default.toml`` overlaid by ``<year>.toml``; built-in defaults if absent."""
    folder = Path(directory) if directory is not None else scheme_dir()
    layers = []
    for name in ("default.toml", f"{year}.toml" if year is not None else None):
        if name and (folder / name).is_file():
            layers.append((str(folder / name), _read(folder / name)))
    return parse_scheme(layers, year=year)


def load_scheme_file(path: Path | str, year: int | None = None) -> Scheme:
    """One explicit file (``report --scheme FILE``), over the built-in defaults."""
    return parse_scheme([(str(path), _read(Path(path)))], year=year)


SchemeSource = Scheme | Mapping[int, Scheme] | Callable[[int], Scheme] | None


def resolve(source: SchemeSource, year: int) -> Scheme:
    """The scheme for a year from what a caller passed: one scheme, a mapping by year, a function, or
    None (the files in :func:`scheme_dir`)."""
    if source is None:
        return load_scheme(year)
    if isinstance(source, Scheme):
        return source
    if isinstance(source, Mapping):
        return source[year] if year in source else Scheme(year=year)
    return source(year)
