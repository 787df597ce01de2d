"""Build the static site: check, render Markdown, run ``mkdocs build --strict``, swap.

The finished site replaces the old one only at the end, in one rename: on any
error (invalid catalogue, a broken link, a MkDocs warning) the previous site is
left exactly as it was.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
import time
from pathlib import Path

from generator.atomic import replace_dir
from generator.locks.audit import audit
from generator.catalog.validated import Catalog
from generator.errors import CatalogError, CatalogInvalid, display_path
from generator.site.export import write_export
from generator.site.i18n import LANGS
from generator.catalog.load import load_catalog
from generator.locks.files import load_locks
from generator.site.mkdocs_hooks import HOOKS_FILE
from generator.site.render import render_docs


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
    catalog = load_catalog(project.catalog)
    locks = load_locks(project.catalog)
    audit(catalog, locks)
    render_docs(catalog, locks, project.docs, out)
    # The static API, copied by MkDocs to site/api/ (models.js: the same JSON for file:// pages).
    write_export(catalog, locks, out / LANGS[0] / "api", script=True)
    return catalog


class _WarningCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def mkdocs_build(config: Path, docs_dir: Path, site_dir: Path) -> None:
    """Run ``mkdocs build --strict`` in-process with the given folders.

    Raises:
        CatalogInvalid: when MkDocs reports a warning or fails.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    counter = _WarningCounter()
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(counter)
    try:
        cfg = load_config(
            config_file=str(config),
            docs_dir=str(docs_dir),
            site_dir=str(site_dir),
            strict=True,
            hooks=[str(HOOKS_FILE)],
        )
        build(cfg)
    except (MkDocsException, SystemExit) as exc:
        detail = "; ".join(counter.messages) or str(exc)
        raise CatalogInvalid([CatalogError(display_path(config), 1, "mkdocs", detail)]) from None
    finally:
        mkdocs_log.removeHandler(counter)
    if counter.messages:
        raise CatalogInvalid([CatalogError(display_path(config), 1, "mkdocs", "; ".join(counter.messages))])


def build_site(catalog: Path, site_dir: Path | None = None) -> Path:
    """Check, render and build the site; return the site folder.

    Args:
        catalog: the ``catalog/`` folder.
        site_dir: output folder, default ``<root>/site``.

    Raises:
        CatalogInvalid: on any invalid input; the old site is left untouched.
    """
    project = Project(catalog)
    site = (site_dir or project.root / "site").resolve()
    project.build.mkdir(parents=True, exist_ok=True)
    site.parent.mkdir(parents=True, exist_ok=True)
    docs = Path(tempfile.mkdtemp(prefix=".docs-", dir=project.build))
    tmp_site = Path(tempfile.mkdtemp(prefix=f".{site.name}.new-", dir=site.parent))
    try:
        render_to(project, docs)
        mkdocs_build(project.config, docs, tmp_site)
    except BaseException:
        shutil.rmtree(docs, ignore_errors=True)
        shutil.rmtree(tmp_site, ignore_errors=True)
        raise
    replace_dir(docs, project.build / "docs")
    replace_dir(tmp_site, site)
    return site


def _snapshot(folders: list[Path]) -> dict[Path, float]:
    return {
        p: p.stat().st_mtime
        for folder in folders
        if folder.exists()
        for p in folder.rglob("*")
        if p.is_file()
    }


def sync_dir(src: Path, dst: Path) -> None:
    """Make ``dst`` equal to ``src``, touching only files that changed (for watchers)."""
    wanted = {p.relative_to(src) for p in src.rglob("*") if p.is_file()}
    if dst.exists():
        for p in sorted(dst.rglob("*"), reverse=True):
            rel = p.relative_to(dst)
            if p.is_file() and rel not in wanted:
                p.unlink()
            elif p.is_dir() and not any(p.iterdir()):
                p.rmdir()
    for rel in sorted(wanted):
        new = (src / rel).read_bytes()
        out = dst / rel
        if not out.exists() or out.read_bytes() != new:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(new)


def serve_site(catalog: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Live preview: re-render into ``build/docs`` when catalog/ or docs/ change.

    MkDocs' own server watches ``build/docs`` and rebuilds the pages.
    """
    from mkdocs.commands.serve import serve

    project = Project(catalog)
    target = project.build / "docs"

    def rerender() -> None:
        tmp = Path(tempfile.mkdtemp(prefix=".docs-", dir=project.build))
        try:
            render_to(project, tmp)
            sync_dir(tmp, target)
        except CatalogInvalid as exc:
            for error in exc.errors:
                print(error)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    project.build.mkdir(parents=True, exist_ok=True)
    rerender()
    watched = [project.catalog, project.docs]

    def watch() -> None:
        seen = _snapshot(watched)
        while True:
            time.sleep(1.0)
            now = _snapshot(watched)
            if now != seen:
                seen = now
                rerender()

    threading.Thread(target=watch, daemon=True).start()
    serve(
        str(project.config),
        dev_addr=f"{host}:{port}",
        livereload=True,
        docs_dir=str(target),
        hooks=[str(HOOKS_FILE)],
    )
