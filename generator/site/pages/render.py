"""Render the catalogue to Markdown pages in both languages (Jinja2 templates).

Output is deterministic and independent of MkDocs, so golden-file tests can
compare it and another static-site engine could build it. Every value printed
by a template is escaped for Markdown and HTML unless the template marks it
safe: entry text never reaches the HTML as markup.

The pages are declared in :mod:`generator.site.pages.kinds`; their rows are computed by
the views. Templates only print: formatting is done by the filters set up
here (``badge``, ``link``, ``modality``) and the shared macros of
``templates/macros.md.j2``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from generator.catalog.validated import Catalog
from generator.errors import CatalogError, CatalogInvalid, display_path
from generator.site.i18n import LANGS, MODALITY, UI
from generator.locks.files import Locks
from generator.site.markup import badge, comment_text, front_matter_title, link, md_escape, pick
from generator.site.pages.kinds import PageJob, page_jobs, site
from generator.site.views.lists import RowCache

GENERATED_NOTE = "<!-- auto-generated from {source} by mmcat: edit the YAML, not this file -->\n"


def _finalize(value: Any) -> Any:
    return "" if value is None else md_escape(value)


@pass_context
def _link_filter(ctx: Context, label: Any, target: str) -> Markup:
    """``label|link(target)``: a link relative to the page being rendered."""
    return link(ctx["here"], label, target)


@pass_context
def _badge_filter(ctx: Context, tier: str) -> Markup:
    """``tier|badge``: the verification badge in the page's language."""
    return badge(tier, ctx["lang"])


@pass_context
def _modality_filter(ctx: Context, modality: str) -> str:
    """``modality|modality``: a modality's name in the page's language."""
    return MODALITY[ctx["lang"]][modality]


@cache
def environment() -> Environment:
    """The Jinja environment of every page (templates are compiled once per process)."""
    env = Environment(
        loader=PackageLoader("generator.site.pages", "templates"),
        autoescape=False,
        finalize=_finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        link=_link_filter, badge=_badge_filter, modality=_modality_filter, page_title=front_matter_title
    )
    return env


@cache
def _ui(lang: str) -> dict[str, Markup]:
    """The interface strings of a language, as Markup (they are written as Markdown)."""
    return {k: Markup(v) for k, v in UI[lang].items()}


@dataclass(frozen=True)
class Page:
    """One rendered page: path below the language folder, and its text."""

    path: str
    text: str


def render_page(job: PageJob, lang: str) -> Page:
    """Render one page: its template with the job's context, the language's strings and ``t``."""
    text = (
        environment()
        .get_template(job.template)
        .render(
            here=job.path,
            lang=lang,
            ui=_ui(lang),
            t=lambda text: pick(text, lang),
            **job.context(),
        )
    )
    note = GENERATED_NOTE.format(source=comment_text(job.source))
    if text.startswith("---\n"):  # front matter must stay first
        end = text.index("\n---\n", 4) + 5
        return Page(job.path, text[:end] + note + text[end:])
    return Page(job.path, note + text)


class PageCache:
    """Pages rendered before, each with the objects it was made from (for the live preview).

    A page is reused while every one of its inputs is the very same object as when it was
    rendered (:class:`generator.catalog.load.FileCache` keeps unchanged files' objects), so
    an edit renders only the pages that read the edited file. The cache holds the inputs, so
    an object's identity cannot be reused by another while its page is cached.
    """

    def __init__(self) -> None:
        self._pages: dict[tuple[str, str], tuple[tuple[Any, ...], Page]] = {}
        self.rows = RowCache()
        self.rendered = 0  # pages rendered (not reused) through this cache so far

    def page(self, job: PageJob, lang: str) -> Page:
        """The page of ``job``: rendered, or reused when its inputs are unchanged."""
        if job.inputs is None:
            self.rendered += 1
            return render_page(job, lang)
        key = (lang, job.path)
        cached = self._pages.get(key)
        if cached is not None and len(cached[0]) == len(job.inputs):
            if all(a is b for a, b in zip(cached[0], job.inputs)):
                return cached[1]
        page = render_page(job, lang)
        self.rendered += 1
        self._pages[key] = (job.inputs, page)
        return page


def render_pages(catalog: Catalog, locks: Locks, lang: str, cache: PageCache | None = None) -> list[Page]:
    """All generated pages of one language (``cache``: reuse the pages whose inputs are unchanged)."""
    jobs = page_jobs(site(catalog, locks, lang, cache.rows if cache is not None else None))
    if cache is None:
        return [render_page(job, lang) for job in jobs]
    return [cache.page(job, lang) for job in jobs]


def hand_written_files(docs_src: Path) -> dict[str, bytes]:
    """The hand-written part of the MkDocs source tree (``docs/``), by path below it."""
    if not docs_src.is_dir():
        return {}
    return {p.relative_to(docs_src).as_posix(): p.read_bytes() for p in sorted(docs_src.rglob("*")) if p.is_file()}


def generated_files(
    catalog: Catalog, locks: Locks, docs_src: Path, lang: str, cache: PageCache | None = None
) -> dict[str, str]:
    """One language's generated pages, by path (``<lang>/...``).

    A generated page never replaces a hand-written one in ``docs_src``: a name clash is an error.
    """
    files, clashes = {}, []
    for page in render_pages(catalog, locks, lang, cache):
        name = f"{lang}/{page.path}"
        if (docs_src / name).exists():
            clashes.append(CatalogError(display_path(docs_src / name), 1, "", "clashes with a generated page"))
            continue
        files[name] = page.text
    if clashes:
        raise CatalogInvalid(clashes)
    return files


def docs_files(
    catalog: Catalog, locks: Locks, docs_src: Path, cache: PageCache | None = None
) -> dict[str, str | bytes]:
    """The MkDocs source tree: hand-written ``docs_src`` plus every language's generated pages."""
    files: dict[str, str | bytes] = dict(hand_written_files(docs_src))
    for lang in LANGS:
        files.update(generated_files(catalog, locks, docs_src, lang, cache))
    return files


def write_files(files: Mapping[str, str | bytes], out: Path) -> None:
    """Write ``files`` (path below ``out`` -> text or bytes) into ``out``."""
    for name, content in files.items():
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            target.write_text(content, encoding="utf-8")
        else:
            target.write_bytes(content)
