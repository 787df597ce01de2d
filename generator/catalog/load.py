"""Load the catalogue directory into validated objects, collecting every error.

Each file is parsed with line numbers (:mod:`generator.catalog.yamlfile`), validated
against its schema model, then the whole catalogue is cross-checked
(:mod:`generator.catalog.validated`). Errors never stop at the first one: a contributor
sees all of them at once, each as ``file:line: field: message``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

from pydantic import BaseModel, ValidationError

from generator.catalog.defaults import MergedDoc, merge_entry
from generator.catalog.results import BenchmarkDef, Protocol, ResultFile
from generator.catalog.schema import Category, Model, Paper, Series, Topic
from generator.catalog.validated import Catalog, Located, cross_check
from generator.catalog.yamlfile import YamlDoc, YamlSyntaxError, parse_yaml
from generator.errors import CatalogError, CatalogInvalid, display_path

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


class FileCache:
    """What each file loaded to, kept while the file is unchanged (for the live preview).

    A file counts as unchanged while its size, modification time and inode are; an edited,
    replaced or removed file is read again. The objects handed out are the same objects as
    the last time, so later stages can tell what changed by identity.
    """

    def __init__(self) -> None:
        self._entries: dict[tuple[Path, str], tuple[tuple[tuple[int, int, int], ...], Any]] = {}

    def get(self, path: Path, load: Callable[[Path], T], *also: Path, key: str = "") -> T:
        """``load(path)``, or its result from the last call while ``path`` (and the files
        ``also`` that ``load`` reads too) are unchanged; ``key`` tells apart several results
        kept for one file."""
        try:
            signature = tuple((st.st_size, st.st_mtime_ns, st.st_ino) for st in map(Path.stat, (path, *also)))
        except OSError:
            return load(path)
        cached = self._entries.get((path, key))
        if cached is not None and cached[0] == signature:
            return cast(T, cached[1])
        result = load(path)
        self._entries[(path, key)] = (signature, result)
        return result


def _field_name(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc)


def _message(err: dict[str, Any]) -> str:
    msg = str(err["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(prefix)
    if err["type"] == "extra_forbidden":
        return "unknown field"
    if err["type"] == "literal_error":
        return msg.replace("Input should be", "must be one of").replace("'", "")
    if err["type"] == "string_pattern_mismatch":
        return f"{err.get('input')!r} has the wrong form ({msg.split('match pattern ')[-1]})"
    return msg


def _clean_loc(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Drop pydantic's union/type markers from an error location."""
    return tuple(p for p in loc if not (isinstance(p, str) and ("[" in p or p.endswith("-after"))))


def _validate(
    kind: type[M], data: Any, doc: YamlDoc, shown: str, base: tuple[Any, ...]
) -> tuple[M | None, list[CatalogError]]:
    try:
        return kind.model_validate(data), []
    except ValidationError as exc:
        errors = []
        for err in exc.errors():
            loc = _clean_loc(tuple(err["loc"]))
            if isinstance(doc, MergedDoc):
                where, line = doc.origin_of((*base, *loc))
            else:
                where, line = shown, doc.line_of((*base, *loc))
            errors.append(CatalogError(where, line, _field_name(loc), _message(dict(err))))
        return None, errors


def _read(path: Path) -> tuple[YamlDoc | None, list[CatalogError]]:
    shown = display_path(path)
    problem = _not_a_file(path)
    if problem:
        return None, [CatalogError(shown, 1, "", problem)]
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, [CatalogError(shown, 1, "", "not UTF-8 text")]
    except OSError as exc:
        return None, [CatalogError(shown, 1, "", f"cannot be read: {exc.strerror or exc}")]
    try:
        doc = parse_yaml(text)
    except YamlSyntaxError as exc:
        return None, [CatalogError(shown, exc.line, "", f"invalid YAML: {exc.message}")]
    if doc.data is None:
        return None, [CatalogError(shown, 1, "", "the file is empty")]
    return doc, []


def _load_one(path: Path, kind: type[M]) -> tuple[Located[M] | None, list[CatalogError]]:
    doc, errors = _read(path)
    if doc is None:
        return None, errors
    shown = display_path(path)
    if not isinstance(doc.data, dict):
        return None, [CatalogError(shown, 1, "", "the file must hold a mapping of fields")]
    obj, errors = _validate(kind, doc.data, doc, shown, ())
    return (Located(obj, shown, doc) if obj is not None else None), errors


def _load_member(
    path: Path, files: FileCache, series_dir: Path
) -> tuple[Located[Model] | None, list[CatalogError]]:
    """A model entry merged over its series' ``defaults`` (:mod:`generator.catalog.defaults`), validated.

    Kept by ``files`` while both the entry's file and its series file are unchanged.
    """
    doc, errors = files.get(path, _read, key="doc")
    if doc is None:
        return None, errors
    shown = display_path(path)
    if not isinstance(doc.data, dict):
        return None, [CatalogError(shown, 1, "", "the file must hold a mapping of fields")]
    series_id = doc.data.get("series")
    series_path = (
        series_dir / f"{series_id}.yaml" if isinstance(series_id, str) and "/" not in series_id else None
    )
    if series_path is None or not series_path.is_file():
        obj, errors = _validate(Model, doc.data, doc, shown, ())
        return (Located(obj, shown, doc) if obj is not None else None), errors
    family_file = series_path

    def merged(_: Path) -> tuple[Located[Model] | None, list[CatalogError]]:
        family, _errors = files.get(family_file, _read, key="doc")
        data = merge_entry(doc, shown, family, display_path(family_file))
        obj, errs = _validate(Model, data.data, data, shown, ())
        return (Located(obj, shown, data) if obj is not None else None), errs

    return files.get(path, merged, family_file, key="merged")


def _load_list(path: Path, kind: type[M]) -> tuple[list[Located[M]], list[CatalogError]]:
    if not path.exists():
        return [], [CatalogError(display_path(path), 1, "", "file is missing")]
    doc, errors = _read(path)
    if doc is None:
        return [], errors
    shown = display_path(path)
    if not isinstance(doc.data, list):
        return [], [CatalogError(shown, 1, "", "the file must hold a list")]
    items: list[Located[M]] = []
    for index, data in enumerate(doc.data):
        obj, errs = _validate(kind, data, doc, shown, (index,))
        errors.extend(errs)
        if obj is not None:
            items.append(Located(obj, shown, doc, (index,)))
    return items, errors


def _yaml_files(folder: Path, errors: list[CatalogError]) -> list[Path]:
    """The ``*.yaml`` files below ``folder``, sorted; a ``.yml`` file is an error."""
    found = []
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".yml" and not path.is_dir():
            errors.append(CatalogError(display_path(path), 1, "", "use the .yaml extension"))
        elif path.suffix == ".yaml":
            problem = _not_a_file(path)
            if problem:
                errors.append(CatalogError(display_path(path), 1, "", problem))
            else:
                found.append(path)
    return found


def _not_a_file(path: Path) -> str | None:
    """Why ``path`` cannot be read as a catalogue file (a folder, a FIFO, a broken link), if so."""
    if path.is_symlink() and not path.exists():
        return "a broken link (it points to a file that does not exist)"
    if path.is_dir():
        return "a folder named like a YAML file; rename it"
    if not path.is_file():
        return "not a regular file (a FIFO, socket or device?); only plain files are read"
    return None


def load_catalog(root: Path, cache: FileCache | None = None) -> Catalog:
    """Load and validate the catalogue at ``root`` (the ``catalog/`` folder).

    Args:
        root: the catalogue directory.
        cache: files loaded before; only files changed since are read again.

    Returns:
        The validated :class:`~generator.catalog.Catalog`.

    Raises:
        CatalogInvalid: with every error found, sorted by file and line.
    """
    if not root.is_dir():
        raise CatalogInvalid([CatalogError(display_path(root), 1, "", "catalogue folder not found")])
    files = cache if cache is not None else FileCache()
    errors: list[CatalogError] = []
    categories, errs = files.get(root / "categories.yaml", lambda p: _load_list(p, Category))
    errors += errs
    topics, errs = files.get(root / "topics.yaml", lambda p: _load_list(p, Topic))
    errors += errs

    def load_all(folder: str, kind: type[M]) -> list[Located[M]]:
        found = []
        for path in _yaml_files(root / folder, errors):
            item, errs = files.get(path, lambda p: _load_one(p, kind))
            errors.extend(errs)
            if item is not None:
                found.append(item)
        return found

    quality = root / "quality"
    benchmark_defs: list[Located[BenchmarkDef]] = []
    protocols: list[Located[Protocol]] = []
    if quality.is_dir():
        benchmark_defs, errs = files.get(quality / "benchmarks.yaml", lambda p: _load_list(p, BenchmarkDef))
        errors += errs
        protocols, errs = files.get(quality / "protocols.yaml", lambda p: _load_list(p, Protocol))
        errors += errs
    results = load_all("quality/reported", ResultFile) if (quality / "reported").is_dir() else []
    models = []
    for path in _yaml_files(root / "models", errors):
        item, errs = _load_member(path, files, root / "series")
        errors.extend(errs)
        if item is not None:
            models.append(item)
    series = load_all("series", Series)
    papers = load_all("papers", Paper)
    catalog = Catalog(
        root=root,
        categories=categories,
        topics=topics,
        series=series,
        papers=papers,
        models=models,
        benchmark_defs=benchmark_defs,
        protocols=protocols,
        results=results,
    )
    errors += cross_check(catalog)
    if errors:
        raise CatalogInvalid(errors)
    return catalog
