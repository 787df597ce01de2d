"""Interface strings of the generated pages, in both languages, from ``generator/site/ui.yaml``.

Entry texts come from the catalogue; these are the labels around them. The file
holds one ``key: {en, zh}`` pair per string and is read like a catalogue file:
the same line-numbered YAML parser and the same bilingual model (:class:`Label`:
both languages present, Chinese spacing), so a broken string is a
``file:line: field: message`` error. Modality names are the keys ``modality.<name>``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import ValidationError

from generator.errors import CatalogError, CatalogInvalid, display_path
from generator.catalog.schema import Label
from generator.catalog.yamlfile import YamlSyntaxError, parse_yaml

LANGS = ("en", "zh")
UI_FILE = Path(__file__).with_name("ui.yaml")


@cache
def load_ui(path: Path = UI_FILE) -> dict[str, dict[str, str]]:
    """The strings of ``path`` by language, then key.

    Raises:
        CatalogInvalid: a string is missing a language, or breaks a language check.
    """
    shown = display_path(path)
    try:
        doc = parse_yaml(path.read_text(encoding="utf-8"))
    except YamlSyntaxError as exc:
        raise CatalogInvalid([CatalogError(shown, exc.line, "", f"invalid YAML: {exc.message}")]) from None
    if not isinstance(doc.data, dict):
        raise CatalogInvalid([CatalogError(shown, 1, "", "the file must hold a mapping of keys")])
    strings: dict[str, dict[str, str]] = {lang: {} for lang in LANGS}
    errors = []
    for key, value in doc.data.items():
        try:
            label = Label.model_validate(value)
        except ValidationError as exc:
            for err in exc.errors():
                where = (key, *(str(p) for p in err["loc"]))
                errors.append(
                    CatalogError(
                        shown,
                        doc.line_of(where),
                        ".".join(where),
                        str(err["msg"]).removeprefix("Value error, "),
                    )
                )
            continue
        strings["en"][key], strings["zh"][key] = label.en, label.zh
    if errors:
        raise CatalogInvalid(errors)
    return strings


UI = load_ui()
MODALITY = {
    lang: {
        key.removeprefix("modality."): text for key, text in UI[lang].items() if key.startswith("modality.")
    }
    for lang in LANGS
}
