"""Build the static site: check, render Markdown, run ``mkdocs build --strict``, swap.

The finished site replaces the old one only at the end, in one rename of a link
(see :mod:`generator.site.engine.publish`): on any error (invalid catalogue, a broken link,
a MkDocs warning) the previous site is left exactly as it was. The output folder
must be one the tool owns (see :mod:`generator.outputs`).
"""

from __future__ import annotations

import pickle
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from generator.site.engine import buildstamp
from generator.atomic import replace_dir
from generator.errors import CatalogError, CatalogInvalid, display_path
from generator.site.i18n import LANGS

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from generator.catalog.load import FileCache
    from generator.catalog.validated import Catalog
    from generator.locks.files import Locks
    from generator.site.pages.render import PageCache


class Project:
    """Where things are, derived from the catalogue folder (its parent is the root)."""

    def __init__(self, catalog: Path) -> None:
        self.catalog = catalog
        self.root = catalog.resolve().parent
        self.docs = self.root / "docs"
        self.config = self.root / "mkdocs.yml"
        self.build = self.root / "build"


def render_to(project: Project, out: Path) -> Catalog:
    """Validate the catalogue and write the full MkDocs source tree into ``out``."""
    return write_docs(project, *checked(project), out)


def checked(project: Project, cache: FileCache | None = None) -> tuple[Catalog, Locks]:
    """The catalogue and its locks, validated as ``mmcat check`` does.

    ``cache``: files read before (the live preview); only files changed since are read again.
    """
    from generator.locks.audit import audit
    from generator.catalog.load import FileCache, load_catalog
    from generator.locks.files import load_locks

    files = cache if cache is not None else FileCache()
    catalog = load_catalog(project.catalog, files)
    lock = project.catalog / "lock"
    locks = files.get(lock / "hub.json", lambda _: load_locks(project.catalog), lock / "checks.json")
    audit(catalog, locks)
    return catalog, locks


def api_tree(catalog: Catalog, locks: Locks) -> dict[str, str]:
    """The static API, copied by MkDocs to site/api/ (models.js: the compare page's part of models.json, for file:// pages)."""
    from generator.site.export.api import api_files

    return {f"{LANGS[0]}/api/{name}": text for name, text in api_files(catalog, locks, script=True).items()}


def docs_tree(
    project: Project, catalog: Catalog, locks: Locks, cache: PageCache | None = None
) -> dict[str, str | bytes]:
    """The full MkDocs source tree of a checked catalogue: path -> content."""
    from generator.site.pages.render import docs_files

    return {**docs_files(catalog, locks, project.docs, cache), **api_tree(catalog, locks)}


def write_docs(project: Project, catalog: Catalog, locks: Locks, out: Path) -> Catalog:
    """Write the full MkDocs source tree of a checked catalogue into ``out``."""
    from generator.site.pages.render import write_files

    write_files(docs_tree(project, catalog, locks), out)
    return catalog


def write_language(project: Project, catalog: Catalog, locks: Locks, lang: str, out: Path) -> None:
    """Write one language's generated pages into ``out`` (run by the build's worker process)."""
    from generator.site.pages.render import generated_files, write_files

    write_files(generated_files(catalog, locks, project.docs, lang), out)


def _write_language_pickled(payload: bytes, lang: str, out: Path) -> None:
    """:func:`write_language` of the pickled ``(project, catalog, locks)``."""
    project, catalog, locks = pickle.loads(payload)
    write_language(project, catalog, locks, lang, out)


def _write_docs_two_ways(
    project: Project, catalog: Catalog, locks: Locks, out: Path, worker: ProcessPoolExecutor
) -> None:
    """Write the MkDocs source tree with the worker process rendering the second language.

    This process renders the first language, the hand-written pages and the static API; the
    worker unpickles the catalogue before it renders its language, so that the two halves take
    about as long and neither waits for the other before MkDocs runs.
    """
    from generator.site.pages.render import generated_files, hand_written_files, write_files

    # Pickled here, not by the executor's feeder thread: that thread pickled the catalogue while
    # this one rendered the first language and filled the catalogue's lazy caches, which failed
    # now and then with "dictionary changed size during iteration".
    payload = pickle.dumps((project, catalog, locks), protocol=pickle.HIGHEST_PROTOCOL)
    other = worker.submit(_write_language_pickled, payload, LANGS[1], out)
    errors: list[CatalogError] = []
    try:
        files: dict[str, str | bytes] = dict(hand_written_files(project.docs))
        files.update(generated_files(catalog, locks, project.docs, LANGS[0]))
        files.update(api_tree(catalog, locks))
        write_files(files, out)
    except CatalogInvalid as exc:
        errors += exc.errors
    try:
        other.result()  # both halves are written before MkDocs runs
    except CatalogInvalid as exc:
        errors += exc.errors
    if errors:
        raise CatalogInvalid(errors)


def mkdocs_build(
    config: Path, docs_dir: Path, site_dir: Path, worker: ProcessPoolExecutor | None = None
) -> None:
    """Run ``mkdocs build --strict`` of both languages at once with the given folders.

    Raises:
        CatalogInvalid: when MkDocs reports a warning or fails.
    """
    from generator.site.engine.mkdocs_build import build_languages

    problems = build_languages(config, docs_dir, site_dir, LANGS, worker)
    if problems:
        raise CatalogInvalid([CatalogError(display_path(config), 1, "mkdocs", "; ".join(problems))])


def build_site(catalog: Path, site_dir: Path | None = None, force: bool = False) -> Path:
    """Check, render and build the site; return the site folder (see :func:`build_or_skip`)."""
    return build_or_skip(catalog, site_dir, force)[0]


def build_or_skip(catalog: Path, site_dir: Path | None = None, force: bool = False) -> tuple[Path, bool]:
    """Check, render and build the site; return the site folder and whether it was built.

    When the site was built from the same inputs (see :mod:`generator.site.engine.buildstamp`) and not
    touched since, it is left as it is (returns False), unless ``force``.

    Args:
        catalog: the ``catalog/`` folder.
        site_dir: output folder, default ``<root>/site``.
        force: build even when nothing changed.

    Raises:
        CatalogInvalid: on any invalid input; the old site is left untouched.
    """
    from generator.outputs import absolute, check_dir
    from generator.site.engine.publish import build_lock, prepare, publish

    project = Project(catalog)
    site = absolute(site_dir or project.root / "site")
    inputs = buildstamp.input_digest(project.catalog, project.docs, project.config)
    if not force and buildstamp.is_current(project.build, site, inputs):
        return site, False
    # A site built before folders were marked is accepted when the build stamp names it.
    legacy = buildstamp.built_here(project.build, site)
    check_dir(site, project.root, legacy)  # before anything is made (again under the lock)
    project.build.mkdir(parents=True, exist_ok=True)
    with build_lock(project.build):
        tmp_site = prepare(site, project.root, legacy)
        for leftover in project.build.glob(".docs-*"):  # an interrupted build's
            shutil.rmtree(leftover, ignore_errors=True)
        docs = Path(tempfile.mkdtemp(prefix=".docs-", dir=project.build))
        try:
            from generator.site.engine.mkdocs_build import start_worker

            # The second language's process starts up while this one checks the catalogue, then
            # renders that language's pages while this one renders the first language's.
            worker = start_worker()
            try:
                checked_catalog, locks = checked(project)
                if len(LANGS) == 2:
                    _write_docs_two_ways(project, checked_catalog, locks, docs, worker)
                else:
                    write_docs(project, checked_catalog, locks, docs)
            except BaseException:
                worker.shutdown(cancel_futures=True)
                raise
            mkdocs_build(project.config, docs, tmp_site, worker)
        except BaseException:
            shutil.rmtree(docs, ignore_errors=True)
            shutil.rmtree(tmp_site, ignore_errors=True)
            raise
        buildstamp.forget(project.build)
        replace_dir(docs, project.build / "docs")
        publish(tmp_site, site)
        buildstamp.record(project.build, site, inputs)
    return site, True


def site_is_current(catalog: Path, site_dir: Path | None = None) -> bool:
    """True when ``build_site`` would leave the site as it is (nothing changed since it was built)."""
    from generator.outputs import absolute

    project = Project(catalog)
    site = absolute(site_dir or project.root / "site")
    inputs = buildstamp.input_digest(project.catalog, project.docs, project.config)
    return buildstamp.is_current(project.build, site, inputs)


class LiveDocs:
    """The MkDocs source tree of the live preview, kept up to date file by file.

    Each :meth:`update` reads only the catalogue files changed since the last one, renders
    only the pages made from changed objects (plus the pages made from the whole catalogue:
    home, series, papers...), and writes only the files whose content changed, so that
    MkDocs' dirty build rebuilds just those pages.
    """

    def __init__(self, project: Project, target: Path) -> None:
        from generator.catalog.load import FileCache
        from generator.site.pages.render import PageCache

        self.project, self.target = project, target
        self.files, self.pages = FileCache(), PageCache()
        self.written: dict[str, str | bytes] | None = None

    def update(self) -> list[str]:
        """Bring the tree up to date; the paths written or removed (an invalid catalogue raises
        :class:`CatalogInvalid` and leaves the tree as it was)."""
        from generator.site.pages.render import write_files

        wanted = docs_tree(self.project, *checked(self.project, self.files), self.pages)
        if self.written is None:  # first update: whatever the folder holds from before
            self.written = {
                p.relative_to(self.target).as_posix(): p.read_bytes() for p in self.target.rglob("*") if p.is_file()
            }
        written = self.written
        changed = {name: content for name, content in wanted.items() if _differs(written.get(name), content)}
        removed = [name for name in written if name not in wanted]
        write_files(changed, self.target)
        for name in removed:
            (self.target / name).unlink(missing_ok=True)
        self.written = wanted
        return sorted([*changed, *removed])


def _differs(old: str | bytes | None, new: str | bytes) -> bool:
    if isinstance(old, bytes) and isinstance(new, str):
        return old != new.encode("utf-8")
    return old != new


class PortUnavailable(Exception):
    """The preview server cannot listen at ``host:port`` (busy, or not an address of this machine)."""


def check_port(host: str, port: int) -> None:
    """Raise :class:`PortUnavailable` unless a server can listen at ``host:port`` now."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        family, kind, proto, _, address = infos[0]
        with socket.socket(family, kind, proto) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server itself binds
            sock.bind(address)
    except OSError as exc:
        raise PortUnavailable(f"{host}:{port}: cannot listen there ({exc.strerror or exc})") from None


def serve_site(catalog: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Live preview: on a change in catalog/ or docs/, update ``build/docs`` (see :class:`LiveDocs`)
    and rebuild the pages whose Markdown changed (see :class:`generator.site.engine.mkdocs_build.LiveSite`);
    browsers reload.
    """
    from mkdocs.livereload import LiveReloadServer

    from generator.site.engine.mkdocs_build import LiveSite

    project = Project(catalog)
    check_port(host, port)  # before the first build: a busy port fails at once
    target = project.build / "docs"
    target.mkdir(parents=True, exist_ok=True)
    docs = LiveDocs(project, target)

    def rerender() -> bool:
        try:
            return bool(docs.update())
        except CatalogInvalid as exc:
            for error in exc.errors:
                print(error, flush=True)
            return False

    def report(problems: list[str]) -> None:
        for problem in problems:
            print(f"{display_path(project.config)}:1: mkdocs: {problem}", flush=True)

    site = Path(tempfile.mkdtemp(prefix=".serve-", dir=project.build))
    live = LiveSite(project.config, target, site, LANGS)
    rerender()
    report(live.build_all())

    def builder() -> None:
        if rerender():
            report(live.update())

    server = LiveReloadServer(builder=builder, host=host, port=port, root=str(site), polling_interval=0.25)
    server.watch(str(project.catalog))
    server.watch(str(project.docs))
    try:
        server.serve()  # type: ignore[no-untyped-call]
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        live.close()
        shutil.rmtree(site, ignore_errors=True)
