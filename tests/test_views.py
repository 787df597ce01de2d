"""The views, filters, macros and page list behind the rendered pages (see test_render for whole pages)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from jinja2 import nodes

from generator.catalog.validated import Catalog
from generator.locks.files import Locks
from generator.site import facts
from generator.site.i18n import LANGS, UI
from generator.site.markup import badge, human_count, link, provenance, status_badge
from generator.site.pages.kinds import PAGES
from generator.site.pages.render import environment, render_pages
from generator.site.views.lists import home_rows, license_cell, model_row, parameters_text
from generator.site.views.model import model_view

TEMPLATES = Path(__file__).resolve().parents[1] / "generator" / "site" / "pages" / "templates"


def test_the_page_list_names_every_page_and_every_template(catalog: Catalog, locks: Locks) -> None:
    expected = []
    for kind in PAGES:
        items = [None] if kind.each is None else [x.obj for x in kind.each(catalog)]
        expected += [kind.path.format(id=getattr(item, "id", "")) for item in items]
    for lang in LANGS:
        assert [p.path for p in render_pages(catalog, locks, lang)] == expected
    assert {f"models/{m}.md" for m in catalog.model_map} <= set(expected)
    assert {f"series/{s}.md" for s in catalog.series_map} <= set(expected)
    # Every template is a page of the list or a piece one of them includes or imports.
    env = environment()
    used = {kind.template for kind in PAGES}
    for name in list(used):
        ast = env.parse(env.loader.get_source(env, name)[0])  # type: ignore[union-attr]
        used |= {str(n.template.value) for n in ast.find_all((nodes.Include, nodes.Import))}  # type: ignore[attr-defined]
    assert used == {p.name for p in TEMPLATES.glob("*.j2")}


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES.glob("*.j2")))
def test_templates_only_print_they_call_no_python_objects(template: str) -> None:
    env = environment()
    ast = env.parse((TEMPLATES / template).read_text(encoding="utf-8"))
    macros = {
        m.name
        for m in env.parse((TEMPLATES / "macros.md.j2").read_text(encoding="utf-8")).find_all(nodes.Macro)
    }
    for call in ast.find_all(nodes.Call):
        callee = call.node
        if isinstance(callee, nodes.Name):
            assert callee.name in {"t", *macros}, (template, callee.name)
        else:
            assert isinstance(callee, nodes.Getattr), (template, callee)
            owner = callee.node
            assert isinstance(owner, nodes.Name), (template, callee)
            # the shared macros, or a dict lookup with a default
            assert (owner.name, callee.attr in macros) == ("show", True) or callee.attr == "get", (
                template,
                owner.name,
                callee.attr,
            )


def test_link_is_relative_to_the_page_and_escapes_its_label() -> None:
    assert link("models/openai/clip.md", "a_b", "series/clip.md") == "[a\\_b](../../series/clip.md)"
    assert link("index.md", "x", "papers.md#clip") == "[x](papers.md#clip)"
    assert link("models/a/b.md", "[x]", "https://example.org/a_b") == "[\\[x\\]](https://example.org/a_b)"
    env = environment()
    out = env.from_string('{{ "L"|link("series/x.md") }}').render(here="models/o/m.md", lang="en")
    assert out == "[L](../../series/x.md)"


def test_badges_name_the_tier_or_the_reason_in_each_language() -> None:
    for lang in LANGS:
        assert badge("runtime", lang) == (
            f'<span class="mmcat-badge mmcat-runtime">{UI[lang]["tier.runtime"]}</span>'
        )
        assert status_badge("config", "no-public-weights", lang) == badge("config", lang)
        unavailable = status_badge("unavailable", "no-public-weights", lang)
        assert 'class="mmcat-badge mmcat-unavailable"' in unavailable
        assert UI[lang]["status.no-public-weights"].replace("'", "&#39;") in unavailable
    out = environment().from_string("{{ tier|badge }}").render(tier="weights", lang="zh")
    assert out == badge("weights", "zh")


def test_provenance_links_a_manual_copy_and_shortens_a_hub_sha() -> None:
    assert provenance("hub@" + "0123456789abcdef" * 2 + "01234567", "en") == "`hub@0123456789ab`"
    assert (
        provenance("manual:https://example.org/c", "en") == f"[{UI['en']['manual']}](https://example.org/c)"
    )
    assert provenance("manual:no url_here", "en") == "manual:no url\\_here"
    assert provenance(None, "zh") == UI["zh"]["none"]


def test_parameter_text_follows_the_one_parameter_rule(catalog: Catalog, locks: Locks) -> None:
    for lock in (locks, Locks()):
        for m in catalog.model_map.values():
            params = facts.parameters(m, lock)
            text = parameters_text(m, lock, "en")
            if params is None:
                assert text == ""
                continue
            assert text.startswith(human_count(params[0]))
            assert text.endswith(f"({UI['en']['declared_params']})") == (params[1] == "declared")


def test_rows_are_frozen_values_of_entry_and_locks(catalog: Catalog, locks: Locks) -> None:
    m = catalog.model_map["facebook/dinov2-small"]
    row = model_row(m, locks, "en")
    assert row == model_row(m, locks, "en")  # a value: same inputs, equal rows
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.parameters = "x"  # type: ignore[misc]
    sizes = ["×".join(map(str, e.shape)) if e.shape else str(e.dim) for e in m.embeddings]
    assert row.outputs == tuple(f"{e.name} {size}" for e, size in zip(m.embeddings, sizes, strict=True))
    assert [r.model.id for r in home_rows(catalog, locks, "en")].count(m.id) == 1
    view = model_view(m, locks, "en")
    assert [o.name for o in view.outputs] == [e.name for e in m.embeddings]
    assert [o.tier for o in view.outputs] == [facts.output_tier(m, e, locks) for e in m.embeddings]
    with pytest.raises(dataclasses.FrozenInstanceError):
        view.usage = view.usage  # type: ignore[misc]


def test_a_hub_licence_that_differs_is_flagged_in_the_licence_cell(catalog: Catalog) -> None:
    m = catalog.model_map["facebook/dinov2-small"]
    assert license_cell(m, Locks(), "en") == "apache-2.0"
    same = Locks(hub={m.id: {"license": m.license.upper()}})
    assert facts.license_mismatch(m, same) is None
    other = Locks(hub={m.id: {"license": ["mit", "other"]}})
    assert facts.license_mismatch(m, other) == "mit, other"
    cell = license_cell(m, other, "en")
    assert cell.startswith("apache-2.0 ") and 'class="mmcat-warn"' in cell and "mit, other" in cell
