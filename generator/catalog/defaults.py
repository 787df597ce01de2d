"""Family defaults: a series states once what its members share; an entry states what differs.

``catalog/series/<id>.yaml`` may hold ``defaults:``, any fields of a model entry. A member's
merged entry is built here, before validation, from plain YAML data:

- mappings merge key by key, the entry's value winning (``source``, ``links``, ``input`` ...);
- ``embeddings`` merge by ``name``: an entry's output of the same name overrides field by field,
  outputs the entry does not name are kept, and ``{name: x, omit: true}`` drops one;
- ``sources`` concatenate, the family's first;
- every other list is replaced (``modalities``, ``papers``, ``matryoshka`` ...);
- ``summary_shared: {en, zh}`` is appended to the member's summary as its last paragraph.

Every value of the merged entry keeps where it was written (:class:`MergedDoc`), so a
validation error points at the file and line that hold the value, and the model page can mark
what came from the family. No I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.catalog.yamlfile import FieldPath, YamlDoc

# Keys of ``defaults`` that are not model fields.
SHARED_SUMMARY = "summary_shared"


@dataclass
class MergedDoc(YamlDoc):
    """A merged entry's data, and for each field path the file and line it came from."""

    origins: dict[FieldPath, tuple[str, int]] = field(default_factory=dict)
    family: set[FieldPath] = field(default_factory=set)

    def origin_of(self, path: FieldPath) -> tuple[str, int]:
        """File and line of ``path``, or of its nearest ancestor that has one."""
        while path:
            if path in self.origins:
                return self.origins[path]
            path = path[:-1]
        return self.origins[()]


class _Merge:
    def __init__(self, entry: YamlDoc, entry_file: str, family: YamlDoc, family_file: str, base: FieldPath):
        self.entry, self.entry_file = entry, entry_file
        self.family, self.family_file, self.base = family, family_file, base
        self.origins: dict[FieldPath, tuple[str, int]] = {}
        self.from_family: set[FieldPath] = set()

    def mark(self, path: FieldPath, value: Any, src: FieldPath, of_family: bool) -> None:
        """Record where ``value`` (at merged ``path``; ``src`` in its own file) and its children come from."""
        doc, shown = (self.family, self.family_file) if of_family else (self.entry, self.entry_file)
        self.origins[path] = (shown, doc.line_of(src))
        if of_family:
            self.from_family.add(path)
        if isinstance(value, dict):
            for key, item in value.items():
                self.mark((*path, key), item, (*src, key), of_family)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                self.mark((*path, i), item, (*src, i), of_family)

    def merge(self, fam: Any, own: Any, path: FieldPath, fsrc: FieldPath, esrc: FieldPath) -> Any:
        if isinstance(fam, dict) and isinstance(own, dict):
            out: dict[str, Any] = {}
            self.origins[path] = (self.entry_file, self.entry.line_of(esrc))
            for key in [*fam, *(k for k in own if k not in fam)]:
                if key in own and key in fam:
                    out[key] = self.merge(fam[key], own[key], (*path, key), (*fsrc, key), (*esrc, key))
                elif key in own:
                    out[key] = own[key]
                    self.mark((*path, key), own[key], (*esrc, key), False)
                else:
                    out[key] = fam[key]
                    self.mark((*path, key), fam[key], (*fsrc, key), True)
            return out
        self.mark(path, own, esrc, False)
        return own

    def embeddings(self, fam: Any, own: Any) -> Any:
        if not isinstance(fam, list) or not isinstance(own, list):
            return self.merge(fam, own, ("embeddings",), (*self.base, "embeddings"), ("embeddings",))
        fam_by_name = {e.get("name"): (i, e) for i, e in enumerate(fam) if isinstance(e, dict)}
        own_by_name = {e.get("name"): (i, e) for i, e in enumerate(own) if isinstance(e, dict)}
        order = [e.get("name") for e in fam if isinstance(e, dict)]
        order += [e.get("name") for e in own if isinstance(e, dict) and e.get("name") not in fam_by_name]
        out: list[Any] = []
        self.origins[("embeddings",)] = (self.entry_file, self.entry.line_of(("embeddings",)))
        for name in order:
            f, o = fam_by_name.get(name), own_by_name.get(name)
            if o is not None and o[1].get("omit") is True:
                continue
            path: FieldPath = ("embeddings", len(out))
            fsrc: FieldPath = (*self.base, "embeddings", f[0]) if f else ()
            esrc: FieldPath = ("embeddings", o[0]) if o else ()
            if f is not None and o is not None:
                out.append(self.merge(f[1], o[1], path, fsrc, esrc))
            elif o is not None:
                out.append(o[1])
                self.mark(path, o[1], esrc, False)
            elif f is not None:
                out.append(f[1])
                self.mark(path, f[1], fsrc, True)
        # entries of other forms (not mappings) are kept for the schema to reject
        out += [e for e in own if not isinstance(e, dict)]
        return out


def merge_entry(
    entry: YamlDoc, entry_file: str, family: YamlDoc | None, family_file: str, base: FieldPath = ("defaults",)
) -> MergedDoc:
    """The member ``entry`` merged over its family's ``defaults`` (at ``base`` in ``family``)."""
    own = entry.data
    defaults = family_data(family, base)
    if family is None or not defaults or not isinstance(own, dict):
        merged = MergedDoc(own, entry.lines)
        merged.origins = {p: (entry_file, line) for p, line in entry.lines.items()}
        merged.origins.setdefault((), (entry_file, 1))
        return merged
    job = _Merge(entry, entry_file, family, family_file, base)
    shared = defaults.get(SHARED_SUMMARY)
    fam = {k: v for k, v in defaults.items() if k != SHARED_SUMMARY}
    out: dict[str, Any] = {}
    for key in [*own, *(k for k in fam if k not in own)]:
        if key == "embeddings" and key in fam and key in own:
            out[key] = job.embeddings(fam[key], own[key])
        elif key == "sources" and isinstance(fam.get(key), list) and isinstance(own.get(key), list):
            out[key] = [*fam[key], *own[key]]
            for i, item in enumerate(fam[key]):
                job.mark((key, i), item, (*base, key, i), True)
            for i, item in enumerate(own[key]):
                job.mark((key, len(fam[key]) + i), item, (key, i), False)
            job.origins[(key,)] = (entry_file, entry.line_of((key,)))
        elif key in own and key in fam and isinstance(own[key], dict) and isinstance(fam[key], dict):
            out[key] = job.merge(fam[key], own[key], (key,), (*base, key), (key,))
        elif key in own:
            out[key] = own[key]
            job.mark((key,), own[key], (key,), False)
        else:
            out[key] = fam[key]
            job.mark((key,), fam[key], (*base, key), True)
    if isinstance(shared, dict) and isinstance(out.get("summary"), dict):
        summary = dict(out["summary"])
        for lang, text in shared.items():
            if isinstance(summary.get(lang), str) and isinstance(text, str):
                summary[lang] = f"{summary[lang].rstrip()}\n\n{text.strip()}"
        out["summary"] = summary
        job.from_family.add(("summary", "shared"))
    job.origins[()] = (entry_file, 1)
    merged = MergedDoc(out, {p: line for p, (_, line) in job.origins.items()})
    merged.origins, merged.family = job.origins, job.from_family
    return merged


def family_data(family: YamlDoc | None, base: FieldPath = ("defaults",)) -> dict[str, Any]:
    """The ``defaults`` mapping of a series file's data (empty when it has none)."""
    data = family.data if family is not None else None
    for key in base:
        data = data.get(key) if isinstance(data, dict) else None
    return data if isinstance(data, dict) else {}
