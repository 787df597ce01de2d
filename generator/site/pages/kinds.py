"""The generated pages, declared: which template, which output path, which context.

:data:`PAGES` lists every kind of page once. A page kind is either single
(``index.md``) or one page per catalogue item (``models/{id}.md`` for every
model); its context function builds what the template prints from the
catalogue, the locks and the language, using the views of
:mod:`generator.site.views.lists` and :mod:`generator.site.views.model`.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from generator.catalog.results import BenchmarkDef
from generator.catalog.schema import Model, Series
from generator.catalog.validated import Catalog, Located
from generator.locks.files import Locks
from generator.site.views.chart import chart_svg
from generator.site.i18n import LANGS, UI
from generator.site.views.model import family_marks, model_view
from generator.site.views.results import Board, Results, Shown, chart_points
from generator.site.views.lists import ModelRow, RowCache, compare_labels, filter_form, home_rows


@dataclass(frozen=True)
class Site:
    """What every page of one language is rendered from, with the catalogue's cross indexes."""

    catalog: Catalog
    locks: Locks
    lang: str
    models_by_series: dict[str, list[Model]]
    models_by_paper: dict[str, list[Model]]
    rows: RowCache
    results: Results

    def row(self, m: Model) -> ModelRow:
        """The model's table row (computed once for the home page and its series page)."""
        return self.rows.row(m, self.locks, self.lang)


def site(catalog: Catalog, locks: Locks, lang: str, rows: RowCache | None = None) -> Site:
    """The :class:`Site` of one language; models in each index are sorted by id.

    ``rows``: rows computed before (the live preview's); by default, new ones.
    """
    by_series: dict[str, list[Model]] = {}
    by_paper: dict[str, list[Model]] = {}
    for m in sorted(catalog.model_map.values(), key=lambda m: m.id.lower()):
        by_series.setdefault(m.series, []).append(m)
        for p in m.papers:
            by_paper.setdefault(p, []).append(m)
    rows = rows if rows is not None else RowCache()
    return Site(catalog, locks, lang, by_series, by_paper, rows, Results(catalog))


@dataclass(frozen=True)
class PageKind:
    """One kind of generated page.

    Attributes:
        template: the Jinja template in ``generator/site/pages/templates/``.
        path: the output path below the language folder; ``{id}`` is the item's id.
        context: the template's variables, from the site and the item (None for a single page).
        source: the catalogue path named in the page's "generated from" note;
            for per-item pages, the item's own file.
        each: the catalogue items that get a page each; None for a single page.
        inputs: for per-item pages, every object the page is made from (the live preview
            renders the page again only when one of them is a new object); None: always.
    """

    template: str
    path: str
    context: Callable[[Site, Any], dict[str, Any]]
    source: str = "catalog/"
    each: Callable[[Catalog], Sequence[Located[Any]]] | None = None
    inputs: Callable[[Site, Located[Any]], tuple[Any, ...]] | None = None


def _api_href(lang: str, depth: int) -> str:
    """The static API folder (``site/api/``) seen from a page ``depth`` folders below the language root."""
    return "../" * (depth + (lang != LANGS[0])) + "api/"


def _home(s: Site, _: None) -> dict[str, Any]:
    cat = s.catalog
    categories = [c.obj for c in cat.categories]
    by_category = {
        c.id: sorted(
            (m for m in cat.model_map.values() if m.category == c.id), key=lambda m: (m.series, m.id.lower())
        )
        for c in categories
    }
    compare_href = "compare/index.html"
    headline = s.results.headline()
    labels = tuple((b.id, _headline_label(s, b)) for b in headline)
    return {
        "headline": [(b, label) for b, (_, label) in zip(headline, labels, strict=True)],
        "scores": {
            m.id: [_score_cell(s.results.headline_value(b, m.id), s.lang) for b in headline]
            for m in cat.model_map.values()
        },
        "categories": categories,
        "by_category": by_category,
        "series_map": cat.series_map,
        "category_map": cat.category_map,
        "rows": home_rows(cat, s.locks, s.lang, s.rows),
        "filter_form": filter_form(cat, s.locks, s.lang, compare_href, labels),
        "api_href": _api_href(s.lang, 0),
    }


def _headline_label(s: Site, bench: BenchmarkDef) -> str:
    protocol = s.catalog.protocol_map[bench.headline_protocol or ""]
    return f"{getattr(bench.name, s.lang)} ({getattr(protocol.name, s.lang).split(' (')[0]})"


def _score_cell(shown: Shown | None, lang: str) -> Markup:
    """A headline score (its value as data-score, for the sort and the range filters), or "no figure"."""
    if shown is None:
        return Markup(f'<span class="mmcat-nofig">{escape(UI[lang]["no_figure"])}</span>')
    return Markup(f'<span data-score="{shown.value:g}">{escape(shown.text)}</span>')


def _compare(s: Site, _: None) -> dict[str, Any]:
    return {"labels": compare_labels(s.lang), "api_href": _api_href(s.lang, 1)}


def _model(s: Site, m: Model) -> dict[str, Any]:
    cat = s.catalog
    return {
        "m": m,
        "view": model_view(m, s.locks, s.lang),
        "series": cat.series_map[m.series],
        "category": cat.category_map[m.category],
        "papers": [cat.paper_map[p] for p in m.papers],
        **_model_results(s, m),
        **family_marks(cat.family_fields.get(m.id, frozenset()), s.lang),
    }


def _model_results(s: Site, m: Model) -> dict[str, Any]:
    return {"results": s.results.of_model_by_source(m.id)}


def _model_inputs(s: Site, located: Located[Model]) -> tuple[Any, ...]:
    """What :func:`_model` reads: the entry (and its file), its series, category and papers, the locks."""
    cat, m = s.catalog, located.obj
    return (
        located,
        cat.series_map[m.series],
        cat.category_map[m.category],
        *map(cat.paper_map.get, m.papers),
        s.locks,
        *(r for r in cat.results),
    )


def _series_index(s: Site, _: None) -> dict[str, Any]:
    return {
        "series": sorted(s.catalog.series_map.values(), key=lambda x: x.id),
        "models_by_series": s.models_by_series,
    }


def _series(s: Site, series: Series) -> dict[str, Any]:
    return {
        "s": series,
        "rows": [s.row(m) for m in s.models_by_series.get(series.id, [])],
        "category": s.catalog.category_map[series.category],
    }


def _series_inputs(s: Site, located: Located[Series]) -> tuple[Any, ...]:
    """What a series page reads: the series, its category, its members' entries and the locks."""
    members = [m for m in s.catalog.models if m.obj.series == located.obj.id]
    return (located, s.catalog.category_map.get(located.obj.category), s.locks, *members)


def _papers(s: Site, _: None) -> dict[str, Any]:
    cat = s.catalog
    return {
        "topics": [t.obj for t in cat.topics],
        "papers_by_topic": {
            t.obj.id: sorted(
                (p for p in cat.paper_map.values() if p.topic == t.obj.id), key=lambda p: (p.year, p.id)
            )
            for t in cat.topics
        },
        "models_by_paper": s.models_by_paper,
    }


def _leaderboards(s: Site, _: None) -> dict[str, Any]:
    groups: dict[str, list[Board]] = {}
    for bench in s.results.benchmarks():
        groups.setdefault(bench.group, []).extend(s.results.boards[bench.id])
    return {
        "headline": s.results.headline(),
        "protocols": s.catalog.protocol_map,
        "protocol_list": [p.obj for p in s.catalog.protocols],
        "groups": [{"title": _group_title(boards, s.lang), "boards": boards} for boards in groups.values()],
    }


def _group_title(boards: list[Board], lang: str) -> str:
    return str(getattr(boards[0].benchmark.name, lang)) if len(boards) == 1 else boards[0].benchmark.dataset


def _leaderboard(s: Site, bench: BenchmarkDef) -> dict[str, Any]:
    boards = s.results.boards.get(bench.id, [])
    chart = ""
    unplotted: list[Model] = []
    if bench.headline:
        points = chart_points(s.results, bench, s.locks)
        ui = UI[s.lang]
        chart = chart_svg(
            points,
            lambda model_id: posixpath.relpath(f"models/{model_id}.html", "leaderboards"),
            f"{getattr(bench.name, s.lang)}: {ui['headline_charts']}",
            ui["parameters"],
            f"{getattr(bench.name, s.lang)} ({getattr(bench.metric, s.lang)})",
            ui["pareto_front"],
        )
        plotted = {p.model.id for p in points}
        ids = {r.figure.model for b in boards if b.protocol.id == bench.headline_protocol for r in b.rows}
        unplotted = [s.catalog.model_map[i] for i in sorted(ids - plotted, key=str.lower)]
    return {
        "b": bench,
        "boards": boards,
        "rows": {board.slug: [(r, _score_attrs(r.value, board)) for r in board.rows] for board in boards},
        "models": s.catalog.model_map,
        "chart": chart,
        "unplotted": unplotted,
        "protocol_of_chart": s.catalog.protocol_map.get(bench.headline_protocol or ""),
    }


def _score_attrs(value: float, board: Board) -> Markup:
    return Markup(f'{{ data-score="{value:g}" data-protocol="{escape(board.protocol.id)}" }}')


def _benchmarks_with_figures(cat: Catalog) -> list[Located[BenchmarkDef]]:
    has = {fig.benchmark for r in cat.results for fig in r.obj.figures}
    return [b for b in cat.benchmark_defs if b.obj.id in has]


def _leaderboard_inputs(s: Site, located: Located[BenchmarkDef]) -> tuple[Any, ...]:
    """What a leaderboard reads: its benchmark, the protocols, the result files, the locks (costs)
    and the entries of the models on it (names, parameters), not every entry."""
    on_board = {r.figure.model for board in s.results.boards.get(located.obj.id, []) for r in board.rows}
    models = [m for m in s.catalog.models if m.obj.id in on_board]
    return (located, s.locks, *s.catalog.protocols, *s.catalog.results, *models)


PAGES: tuple[PageKind, ...] = (
    PageKind("home.md.j2", "index.md", _home),
    PageKind("compare.md.j2", "compare/index.md", _compare),
    PageKind("model.md.j2", "models/{id}.md", _model, source="", each=lambda c: c.models, inputs=_model_inputs),
    PageKind("series_index.md.j2", "series/index.md", _series_index, source="catalog/series/"),
    PageKind("series.md.j2", "series/{id}.md", _series, source="", each=lambda c: c.series, inputs=_series_inputs),
    PageKind("papers.md.j2", "papers.md", _papers, source="catalog/papers/"),
    PageKind("leaderboards.md.j2", "leaderboards/index.md", _leaderboards, source="catalog/quality/"),
    PageKind(
        "leaderboard.md.j2",
        "leaderboards/{id}.md",
        _leaderboard,
        source="catalog/quality/",
        each=_benchmarks_with_figures,
        inputs=_leaderboard_inputs,
    ),
)


@dataclass(frozen=True)
class PageJob:
    """One page to render: template, output path, "generated from" source, context and inputs.

    The context and source are computed when asked for: a page the live preview finds
    unchanged by its ``inputs`` is never computed.
    """

    template: str
    path: str
    make_source: Callable[[], str]
    make_context: Callable[[], dict[str, Any]]
    inputs: tuple[Any, ...] | None = None

    @property
    def source(self) -> str:
        """The catalogue path named in the page's "generated from" note."""
        return self.make_source()

    def context(self) -> dict[str, Any]:
        """The template's variables."""
        return self.make_context()


def page_jobs(s: Site) -> list[PageJob]:
    """Every page of the site's language, in the order of :data:`PAGES`."""
    jobs = []
    for kind in PAGES:
        if kind.each is None:
            source = partial(str, kind.source)
            jobs.append(PageJob(kind.template, kind.path, source, partial(kind.context, s, None)))
            continue
        for located in kind.each(s.catalog):
            item = located.obj
            path = kind.path.format(id=item.id)
            source = partial(str, kind.source) if kind.source else partial(_source_path, s.catalog, located.path)
            inputs = kind.inputs(s, located) if kind.inputs else None
            jobs.append(PageJob(kind.template, path, source, partial(kind.context, s, item), inputs))
    return jobs


def _source_path(cat: Catalog, shown: str) -> str:
    path = Path(shown).resolve()
    try:
        return "catalog/" + path.relative_to(cat.root.resolve()).as_posix()
    except ValueError:
        return shown
