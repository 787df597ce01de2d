"""The validated catalogue and its cross-file checks."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from generator.catalog.results import UNIT_RANGE, BenchmarkDef, Protocol, ResultFile, to_unit
from generator.catalog.schema import RUNNABLE_LOADERS, Category, Model, Paper, Series, Topic
from generator.catalog.yamlfile import YamlDoc
from generator.errors import CatalogError

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Located(Generic[M]):
    """A validated object and where it was read from."""

    obj: M
    path: str
    doc: YamlDoc
    base: tuple[Any, ...] = ()

    def error(self, field_path: str, message: str) -> CatalogError:
        """An error at ``field_path`` (dotted) of this object, at the file and line holding the value
        (a series file for a value a model entry takes from its family defaults)."""
        parts: list[Any] = [int(p) if p.isdigit() else p for p in field_path.split(".") if p]
        origin_of = getattr(self.doc, "origin_of", None)
        if origin_of is not None:
            shown, line = origin_of((*self.base, *parts))
            return CatalogError(shown, line, field_path, message)
        line = self.doc.line_of((*self.base, *parts))
        return CatalogError(self.path, line, field_path, message)

    @property
    def from_family(self) -> frozenset[str]:
        """Dotted paths of the values this entry takes from its series' defaults (empty if none)."""
        paths: set[tuple[Any, ...]] = getattr(self.doc, "family", set())
        return frozenset(".".join(str(p) for p in path) for path in paths)


@dataclass
class Catalog:
    """Everything under ``catalog/``, validated, with file locations kept."""

    root: Path
    categories: list[Located[Category]]
    topics: list[Located[Topic]]
    series: list[Located[Series]]
    papers: list[Located[Paper]]
    models: list[Located[Model]]
    benchmark_defs: list[Located[BenchmarkDef]] = field(default_factory=list)
    protocols: list[Located[Protocol]] = field(default_factory=list)
    results: list[Located[ResultFile]] = field(default_factory=list)

    def by_id(self, items: Iterable[Located[M]]) -> dict[str, M]:
        """Map id -> object for one kind of item."""
        return {getattr(i.obj, "id"): i.obj for i in items}

    @cached_property
    def model_map(self) -> dict[str, Model]:
        return self.by_id(self.models)

    @cached_property
    def series_map(self) -> dict[str, Series]:
        return self.by_id(self.series)

    @cached_property
    def paper_map(self) -> dict[str, Paper]:
        return self.by_id(self.papers)

    @cached_property
    def category_map(self) -> dict[str, Category]:
        return self.by_id(self.categories)

    @cached_property
    def topic_map(self) -> dict[str, Topic]:
        return self.by_id(self.topics)

    @cached_property
    def benchmark_def_map(self) -> dict[str, BenchmarkDef]:
        return self.by_id(self.benchmark_defs)

    @cached_property
    def protocol_map(self) -> dict[str, Protocol]:
        return self.by_id(self.protocols)

    @cached_property
    def family_fields(self) -> dict[str, frozenset[str]]:
        """Model id -> dotted paths of the values it takes from its series' defaults."""
        return {m.obj.id: m.from_family for m in self.models}


def _duplicates(items: list[Located[M]], key: str, label: str) -> list[CatalogError]:
    """Values of ``key`` used by more than one item; text compared without case (pages named
    ``Foo.html`` and ``foo.html`` are one file on a case-insensitive file system)."""

    def fold(value: Any) -> Any:
        return value.casefold() if isinstance(value, str) else value

    values = [getattr(i.obj, key) for i in items]
    counts = Counter(fold(v) for v in values if v is not None)
    errors = []
    for item, value in zip(items, values, strict=True):
        if value is None or counts[fold(value)] < 2:
            continue
        twins = sorted({v for v in values if v is not None and fold(v) == fold(value)} - {value})
        also = ""
        if twins:
            also = f" (also as {', '.join(map(repr, twins))}: ids that differ only in case collide)"
        errors.append(item.error(key, f"{label} {value!r} is used more than once{also}"))
    return errors


def _file_matches_id(cat: Catalog) -> list[CatalogError]:
    errors = []
    for m in cat.models:
        models_dir = (cat.root / "models").resolve()
        expected = Path(m.path).resolve().relative_to(models_dir).with_suffix("").as_posix()
        if m.obj.id != expected:
            errors.append(m.error("id", f"must equal the file path below models/: {expected!r}"))
        if m.obj.source.hub_id is not None and m.obj.source.hub_id != m.obj.id:
            errors.append(m.error("source.hub_id", f"must equal the entry id {m.obj.id!r}"))
    for kind in (cat.series, cat.papers):
        for item in kind:
            stem = Path(item.path).stem
            if getattr(item.obj, "id") != stem:
                errors.append(item.error("id", f"must equal the file name: {stem!r}"))
    return errors


def _references(cat: Catalog) -> list[CatalogError]:
    series, papers = cat.series_map, cat.paper_map
    categories, topics = cat.category_map, cat.topic_map
    errors = []

    def need(
        item: Located[Any], field_path: str, value: str | None, known: dict[str, Any], what: str
    ) -> None:
        if value is not None and value not in known:
            errors.append(item.error(field_path, f"unknown {what} {value!r}"))

    for m in cat.models:
        need(m, "series", m.obj.series, series, "series")
        need(m, "category", m.obj.category, categories, "category")
        for i, paper in enumerate(m.obj.papers):
            need(m, f"papers.{i}", paper, papers, "paper")
    for s in cat.series:
        need(s, "category", s.obj.category, categories, "category")
    for p in cat.papers:
        need(p, "topic", p.obj.topic, topics, "topic")
    return errors


TRANSFORMERS_MODELS = Path(__file__).with_name("transformers_models.txt")


@cache
def transformers_model_classes() -> tuple[str, frozenset[str]]:
    """(transformers version, model class names) of the committed list (scripts/transformers_classes.py)."""
    lines = TRANSFORMERS_MODELS.read_text(encoding="utf-8").splitlines()
    version = (
        lines[0].split("transformers ", 1)[1].split(" ", 1)[0] if lines and lines[0].startswith("#") else "?"
    )
    return version, frozenset(line for line in lines if line and not line.startswith("#"))


def _architectures(cat: Catalog) -> list[CatalogError]:
    """A transformers entry's class must be one transformers exports (never a silent AutoModel)."""
    version, known = transformers_model_classes()
    errors = []
    for m in cat.models:
        source = m.obj.source
        equivalent = source.equivalent_architecture
        if equivalent is not None and equivalent not in known:
            errors.append(
                m.error(
                    "source.equivalent_architecture",
                    f"{equivalent!r} is not a model class of transformers {version} (the list: "
                    "generator/catalog/transformers_models.txt): an equivalent architecture must be "
                    "one the library builds",
                )
            )
        name = source.architecture
        if name is None or source.trust_remote_code or source.loader not in RUNNABLE_LOADERS:
            continue
        if name not in known:
            errors.append(
                m.error(
                    "source.architecture",
                    f"{name!r} is not a model class of transformers {version} (the list: "
                    "generator/catalog/transformers_models.txt); with the model's own code, "
                    "set trust_remote_code: true and a pinned revision",
                )
            )
    return errors


def cross_check(cat: Catalog) -> list[CatalogError]:
    """Checks that span files: unique ids, ids equal paths, references resolve."""
    errors: list[CatalogError] = []
    groups: list[tuple[list[Located[Any]], str]] = [
        (cat.models, "model id"),
        (cat.series, "series id"),
        (cat.papers, "paper id"),
        (cat.categories, "category id"),
        (cat.topics, "topic id"),
    ]
    for items, label in groups:
        errors += _duplicates(items, "id", label)
    errors += _duplicates(cat.papers, "arxiv", "arXiv id")
    errors += _duplicates(cat.papers, "openreview", "OpenReview id")
    errors += _duplicates(cat.benchmark_defs, "id", "benchmark id")
    errors += _duplicates(cat.protocols, "id", "protocol id")
    errors += _file_matches_id(cat)
    errors += _references(cat)
    errors += _architectures(cat)
    errors += _figure_checks(cat)
    return errors


def _figure_checks(cat: Catalog) -> list[CatalogError]:
    """Every figure names a known model, benchmark and protocol, in a unit its benchmark can show;
    no figure is given twice by one source; a derived figure's inputs exist and give its score."""
    models, benchmarks, protocols = cat.model_map, cat.benchmark_def_map, cat.protocol_map
    errors: list[CatalogError] = []
    scores: dict[tuple[str, str, str], list[float]] = {}
    for located in cat.results:
        for fig in located.obj.figures:
            scores.setdefault((fig.model, fig.benchmark, fig.protocol), []).append(fig.score)
    source_ids = Counter(r.obj.source.id for r in cat.results)
    for located in cat.results:
        src = located.obj.source
        if source_ids[src.id] > 1:
            errors.append(located.error("source.id", f"source id {src.id!r} is used more than once"))
        if src.paper is not None and src.paper not in cat.paper_map:
            errors.append(located.error("source.paper", f"unknown paper {src.paper!r}"))
        seen: set[tuple[str, str, str]] = set()
        for i, fig in enumerate(located.obj.figures):
            at = f"figures.{i}"
            if fig.model not in models:
                errors.append(
                    located.error(f"{at}.model", f"unknown model {fig.model!r} (not in catalog/models/)")
                )
            if fig.protocol not in protocols:
                errors.append(located.error(f"{at}.protocol", f"unknown protocol {fig.protocol!r}"))
            bench = benchmarks.get(fig.benchmark)
            if bench is None:
                errors.append(located.error(f"{at}.benchmark", f"unknown benchmark {fig.benchmark!r}"))
                continue
            key = (fig.model, fig.benchmark, fig.protocol)
            if key in seen:
                errors.append(located.error(at, "this source gives this model, benchmark and protocol twice"))
            seen.add(key)
            try:
                shown = to_unit(fig.score, fig.unit, bench.unit)
            except ValueError as exc:
                errors.append(located.error(f"{at}.unit", str(exc)))
                continue
            hi = bench.range_max if bench.unit == "points" else UNIT_RANGE[bench.unit][1]
            if hi is not None and not 0 <= shown <= hi:
                errors.append(located.error(f"{at}.score", f"{shown:g} is outside 0–{hi:g} for {bench.id}"))
            if fig.kind == "derived":
                values = []
                for j, inp in enumerate(fig.inputs):
                    found = scores.get((inp.model or fig.model, inp.benchmark, inp.protocol))
                    if not found:
                        errors.append(
                            located.error(f"{at}.inputs.{j}", "no figure in the catalogue matches this input")
                        )
                    else:
                        values.append(found[0])
                if len(values) == len(fig.inputs) and abs(sum(values) / len(values) - fig.score) > 0.006:
                    errors.append(
                        located.error(
                            f"{at}.score", f"the mean of its inputs is {sum(values) / len(values):.4g}"
                        )
                    )
    return errors
