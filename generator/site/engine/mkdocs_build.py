"""``mkdocs build --strict`` of the two languages at once, in two processes, merged into one site.

mkdocs-static-i18n builds the other languages one after another inside the default
language's ``on_post_build``. Here each language is built on its own, the English one in
this process and the Chinese one in a child process, each into its own folder, exactly as the
plugin's own pass for that language would (same configuration, same hooks). Then the
two are merged as the plugin's serial build leaves them:

- the Chinese build ran last, so its copy of a file both builds write (theme assets,
  ``404.html``, ``sitemap.xml``) is the one kept; its sitemap lists both languages' pages;
- each language gets its own search index (``search/`` and ``zh/search/``, see
  :func:`generator.site.engine.mkdocs_hooks.split_search_index`), each inlined into its
  ``search_index.js`` for pages opened from the file system.
"""

from __future__ import annotations

import gc
import gzip
import json
import logging
import multiprocessing
import os
import shutil
import tempfile
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.site.engine.mkdocs_hooks import HOOKS_FILE, split_search_index

_URLSET_END = "</urlset>"


class _WarningCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@dataclass
class LanguageBuild:
    """What one language's build left: its problems and its search entries."""

    language: str | None
    problems: list[str] = field(default_factory=list)
    entries: list[dict[str, Any]] = field(default_factory=list)


_DIRTY_NOTICE = "A 'dirty' build is being performed"


def build_language(
    config: str, docs_dir: str, site_dir: str, language: str | None, dirty: bool = False
) -> LanguageBuild:
    """Run ``mkdocs build --strict`` for one language (None: every language, serially).

    Warnings and MkDocs errors are returned as ``problems``, not raised, so that a child
    process can hand them back. ``dirty`` (for the live preview) builds only the pages whose
    Markdown is newer than their HTML, into a ``site_dir`` that already holds the rest; its
    search entries are those of the rebuilt pages only.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    counter = _WarningCounter()
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(counter)
    result = LanguageBuild(language)
    try:
        cfg = load_config(
            config_file=config,
            docs_dir=docs_dir,
            site_dir=site_dir,
            strict=not dirty,  # a dirty build always warns that it is one; the others are still counted
            hooks=[str(HOOKS_FILE)],
        )
        i18n = cfg.plugins.get("i18n")
        if language is not None and i18n is not None:
            # The plugin's own state for the pass of this language; `building` keeps it from
            # starting the other languages' passes in its on_post_build.
            i18n.current_language = language
            i18n.building = True
        # Objects alive before the build (the checked catalogue and its pages in the parent,
        # the imported modules) are frozen for its length, so that the garbage collections set
        # off by MkDocs' allocations do not traverse them again and again (they are still
        # freed when no longer referenced).
        gc.freeze()
        try:
            build(cfg, dirty=dirty)
        finally:
            gc.unfreeze()
        for name, plugin in cfg.plugins.items():
            if name in ("search", "material/search"):
                result.entries = list(plugin.search_index.entries)
    except (MkDocsException, SystemExit) as exc:
        result.problems = counter.messages or [str(exc)]
    finally:
        mkdocs_log.removeHandler(counter)
    if not result.problems:
        result.problems = [m for m in counter.messages if not m.startswith(_DIRTY_NOTICE)]
    return result


def _move_into(src: Path, dst: Path) -> None:
    """Move every file of ``src`` into ``dst``, replacing files of the same path."""
    for path in sorted(src.rglob("*")):
        if path.is_file():
            target = dst / path.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)


def _merge_sitemaps(first: Path, last: Path, site_dir: Path) -> None:
    """Put the ``<url>`` entries of ``first``'s sitemap before those of ``last``'s, as the
    plugin's serial build lists them (every language, the default first)."""
    a, b = first / "sitemap.xml", last / "sitemap.xml"
    if not (a.is_file() and b.is_file()):
        return
    head, _, urls_b = b.read_text(encoding="utf-8").partition("<urlset")
    urls_b = "<urlset" + urls_b
    opening, _, body_b = urls_b.partition(">")
    body_a = a.read_text(encoding="utf-8").partition("<urlset")[2].partition(">")[2]
    body_a = body_a.rsplit(_URLSET_END, 1)[0].rstrip("\n")
    text = head + opening + ">" + body_a + body_b
    b.write_text(text, encoding="utf-8")
    packed = last / "sitemap.xml.gz"
    # Same header as MkDocs writes: the build's timestamp and the file's path in the site folder.
    mtime = int.from_bytes(packed.read_bytes()[4:8], "little") if packed.is_file() else 0
    with open(packed, "wb") as handle:
        name = str(site_dir / "sitemap.xml.gz")
        with gzip.GzipFile(fileobj=handle, filename=name, mode="wb", mtime=mtime) as gz:
            gz.write(text.encode("utf-8"))


def _write_search_index(site: Path, entries: list[dict[str, Any]], languages: list[str]) -> None:
    """Each language's search index from every language's ``entries``, as the plugin's serial
    build leaves them (:func:`generator.site.engine.mkdocs_hooks.split_search_index`)."""
    index_path = site / "search" / "search_index.json"
    if not index_path.is_file():
        return
    index = json.loads(index_path.read_text(encoding="utf-8"))
    index["docs"] = entries
    index_path.write_text(json.dumps(index, separators=(",", ":"), default=str), encoding="utf-8")
    split_search_index(site, languages)


def build_languages(
    config: Path,
    docs_dir: Path,
    site_dir: Path,
    languages: Sequence[str],
    worker: ProcessPoolExecutor | None = None,
) -> list[str]:
    """Build the site's two ``languages`` (the default first) into ``site_dir`` at once.

    The second language is built by ``worker`` (from :func:`start_worker`; it is shut down
    after) or by a new worker process.

    Returns:
        The warnings and errors MkDocs reported (none: the site is complete). With another
        number of languages, this is one ordinary build, serial as the plugin does it.
    """
    if len(languages) != 2:
        if worker is not None:
            worker.shutdown(cancel_futures=True)
        return build_language(str(config), str(docs_dir), str(site_dir), None).problems
    parts = _build_two(config, docs_dir, site_dir, languages, worker)
    return [problem for part in parts for problem in part.problems]


def warm_up() -> None:
    """Import MkDocs and its plugins and load jieba's dictionary (in a worker, ahead of its build)."""
    import importlib

    for module in ("mkdocs.commands.build", "material.plugins.search.plugin", "mkdocs_static_i18n.plugin"):
        importlib.import_module(module)
    try:
        jieba = importlib.import_module("jieba")
    except ImportError:
        return
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()


def start_worker() -> ProcessPoolExecutor:
    """A worker process for the second language, already warming up (see :func:`warm_up`)."""
    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
    pool.submit(warm_up)
    return pool


def _build_two(
    config: Path,
    docs_dir: Path,
    site_dir: Path,
    languages: Sequence[str],
    worker: ProcessPoolExecutor | None = None,
    keep_worker: bool = False,
) -> list[LanguageBuild]:
    default, other = languages
    other_dir = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.{other}-", dir=site_dir.parent))
    pool = worker or start_worker()
    try:
        future = pool.submit(build_language, str(config), str(docs_dir), str(other_dir), other)
        first = build_language(str(config), str(docs_dir), str(site_dir), default)
        last = future.result()
        if not (first.problems or last.problems):
            _merge_sitemaps(site_dir, other_dir, site_dir)
            _move_into(other_dir, site_dir)
            _write_search_index(site_dir, first.entries + last.entries, [default, other])
        return [first, last]
    finally:
        if not keep_worker:
            pool.shutdown()
        shutil.rmtree(other_dir, ignore_errors=True)


def _page(entry: dict[str, Any]) -> str:
    return str(entry["location"]).partition("#")[0]


class LiveSite:
    """The site of the live preview: built in full once, then page by page.

    :meth:`update` rebuilds only the pages whose Markdown changed since they were built
    (MkDocs' dirty build), the second language in a worker process kept for the session
    while this one rebuilds the first (the preview serves no page while a rebuild runs), and
    keeps the search index whole by replacing the rebuilt pages' entries. A page whose
    Markdown was removed keeps its HTML until the preview restarts. :meth:`close` stops the worker.
    """

    def __init__(self, config: Path, docs_dir: Path, site_dir: Path, languages: Sequence[str]) -> None:
        self.config, self.docs_dir, self.site_dir = config, docs_dir, site_dir
        self.languages = list(languages)
        self.entries: dict[str, list[dict[str, Any]]] = {}
        self.worker = start_worker() if len(self.languages) == 2 else None

    def build_all(self) -> list[str]:
        """Build every page; the problems MkDocs reported."""
        if self.worker is None:
            part = build_language(str(self.config), str(self.docs_dir), str(self.site_dir), None)
            parts = [part]
        else:
            parts = _build_two(self.config, self.docs_dir, self.site_dir, self.languages, self.worker, True)
        self.entries = {str(part.language): part.entries for part in parts}
        return [problem for part in parts for problem in part.problems]

    def update(self) -> list[str]:
        """Rebuild the changed pages; the problems MkDocs reported."""
        args = (str(self.config), str(self.docs_dir), str(self.site_dir))
        if self.worker is None:
            parts = [build_language(*args, None, dirty=True)]
        else:
            default, other = self.languages
            future = self.worker.submit(build_language, *args, other, dirty=True)
            parts = [build_language(*args, default, dirty=True), future.result()]
        problems = []
        for part in parts:
            problems += part.problems
            rebuilt = {_page(entry) for entry in part.entries}
            language = str(part.language)
            kept = [entry for entry in self.entries.get(language, []) if _page(entry) not in rebuilt]
            self.entries[language] = kept + part.entries
        _write_search_index(
            self.site_dir, [entry for lang in self.languages for entry in self.entries.get(lang, [])], self.languages
        )
        return problems

    def close(self) -> None:
        """Stop the worker process."""
        if self.worker is not None:
            self.worker.shutdown(cancel_futures=True)
