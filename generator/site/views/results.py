"""Views of the reported results: leaderboards per benchmark and protocol, a model's figures,
the home table's headline scores. Pure functions of the catalogue (and the locks for costs).

A ranking only ever holds figures of one benchmark under one protocol; figures are shown in
their benchmark's unit (a fraction printed as 0.781 becomes 78.1 on a percent benchmark).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from generator.catalog.results import BenchmarkDef, Figure, Protocol, ResultSource, to_unit
from generator.catalog.schema import Model
from generator.catalog.validated import Catalog
from generator.locks.files import Locks
from generator.site import facts


@dataclass(frozen=True)
class Shown:
    """One figure as the site shows it, with everything needed to find it again."""

    figure: Figure
    benchmark: BenchmarkDef
    protocol: Protocol
    source: ResultSource
    value: float

    @property
    def text(self) -> str:
        """The value in the benchmark's unit, to the precision the sources give (one or two decimals)."""
        if self.benchmark.unit == "fraction":
            return f"{self.value:.3f}"
        return f"{self.value:.2f}".rstrip("0").rstrip(".") if self.value % 1 else f"{self.value:.1f}"

    @property
    def href(self) -> str:
        """The source's link (a file at a commit, a paper, a card)."""
        return self.source.url


@dataclass(frozen=True)
class Board:
    """One leaderboard: a benchmark under one protocol, best first."""

    benchmark: BenchmarkDef
    protocol: Protocol
    rows: tuple[Shown, ...]

    @property
    def slug(self) -> str:
        return f"{self.benchmark.id}--{self.protocol.id}"

    @property
    def sources(self) -> list[ResultSource]:
        """The sources of its rows, each once, in the order of their first row."""
        seen: dict[str, ResultSource] = {}
        for row in self.rows:
            seen.setdefault(row.source.id, row.source)
        return list(seen.values())


class Results:
    """The catalogue's figures, indexed by benchmark, protocol and model."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        benchmarks, protocols = catalog.benchmark_def_map, catalog.protocol_map
        shown: list[Shown] = []
        for located in catalog.results:
            src = located.obj.source
            for fig in located.obj.figures:
                bench = benchmarks[fig.benchmark]
                value = to_unit(fig.score, fig.unit, bench.unit)
                shown.append(Shown(fig, bench, protocols[fig.protocol], src, value))
        self.all: tuple[Shown, ...] = tuple(shown)

    @cached_property
    def boards(self) -> dict[str, list[Board]]:
        """Benchmark id -> its leaderboards, one per protocol (protocols in catalogue order)."""
        groups: dict[tuple[str, str], list[Shown]] = {}
        for s in self.all:
            groups.setdefault((s.benchmark.id, s.protocol.id), []).append(s)
        order = {p.obj.id: i for i, p in enumerate(self.catalog.protocols)}
        out: dict[str, list[Board]] = {}
        for (bench_id, protocol_id), items in sorted(groups.items(), key=lambda kv: order[kv[0][1]]):
            bench = self.catalog.benchmark_def_map[bench_id]
            sign = -1.0 if bench.direction == "higher" else 1.0
            rows = sorted(items, key=lambda s: (sign * s.value, s.figure.model.lower(), s.source.id))
            out.setdefault(bench_id, []).append(Board(bench, self.catalog.protocol_map[protocol_id], tuple(rows)))
        return out

    def benchmarks(self) -> list[BenchmarkDef]:
        """The benchmarks that have at least one figure, in catalogue order."""
        return [b.obj for b in self.catalog.benchmark_defs if b.obj.id in self.boards]

    def of_model(self, model_id: str) -> list[Shown]:
        """A model's figures, in benchmark (catalogue) order then protocol."""
        order = {b.obj.id: i for i, b in enumerate(self.catalog.benchmark_defs)}
        mine = [s for s in self.all if s.figure.model == model_id]
        return sorted(mine, key=lambda s: (order[s.benchmark.id], s.protocol.id, s.source.id))

    def of_model_by_source(self, model_id: str) -> list[tuple[Protocol, ResultSource, list[Shown]]]:
        """A model's figures (:meth:`of_model`) grouped by protocol and source, each group where
        its first figure comes: a model page names each group's protocol and source once."""
        groups: dict[tuple[str, str], tuple[Protocol, ResultSource, list[Shown]]] = {}
        for s in self.of_model(model_id):
            groups.setdefault((s.protocol.id, s.source.id), (s.protocol, s.source, []))[2].append(s)
        return list(groups.values())

    def headline(self) -> list[BenchmarkDef]:
        """The headline benchmarks (home columns and charts), in catalogue order."""
        return [b for b in self.benchmarks() if b.headline]

    def headline_value(self, bench: BenchmarkDef, model_id: str) -> Shown | None:
        """The model's figure on a headline benchmark under its headline protocol (best if several sources)."""
        for board in self.boards.get(bench.id, []):
            if board.protocol.id == bench.headline_protocol:
                return next((s for s in board.rows if s.figure.model == model_id), None)
        return None


@dataclass(frozen=True)
class Point:
    """A model on a quality-versus-cost chart."""

    model: Model
    score: float
    cost: int
    cost_source: str
    pareto: bool


def chart_points(results: Results, bench: BenchmarkDef, locks: Locks) -> list[Point]:
    """The headline protocol's best figure per model against its parameter count; the Pareto front
    (no other model is both cheaper and better) marked. Models without a known count are left out."""
    models = results.catalog.model_map
    raw: list[tuple[Model, float, int, str]] = []
    for board in results.boards.get(bench.id, []):
        if board.protocol.id != bench.headline_protocol:
            continue
        seen: set[str] = set()
        for s in board.rows:
            if s.figure.model in seen:
                continue
            seen.add(s.figure.model)
            m = models[s.figure.model]
            params = facts.parameters(m, locks)
            if params is not None:
                raw.append((m, s.value, params[0], params[1]))
    better = 1.0 if bench.direction == "higher" else -1.0
    return [
        Point(m, score, cost, source, not _dominated(score * better, cost, ((v * better, c) for _, v, c, _ in raw)))
        for m, score, cost, source in raw
    ]


def _dominated(score: float, cost: int, others: Iterable[tuple[float, int]]) -> bool:
    return any(c <= cost and v >= score and (c < cost or v > score) for v, c in others)
