"""Usage snippets for the model pages, generated from the recipes the checks run.

One code template per recipe (not per model): each says, in plain transformers
code, which tensor is the output, the same tensor the recipe function in
:mod:`generator.verify.extractors` returns (the tests run both and compare). A
model's snippet loads it once at its recorded revision, prepares one image
and/or one text, and prints the shape of every output it covers. Entries whose
loader is sentence-transformers get a second tab with the library's own
pipeline. Torch-free: this only writes text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup

from generator.catalog.schema import Embedding, Model
from generator.locks.files import Locks
from generator.site.i18n import LANGS, UI
from generator.site.markup import code_literal, md_escape

# Per recipe: the lines that compute ``$out`` from ``model`` and ``$inputs`` (one image or one text).
TEMPLATES: dict[str, str] = {
    "vit_pooler": "$out = model(**$inputs).pooler_output",
    "vit_cls": "$out = model(**$inputs).last_hidden_state[:, 0]",
    "vit_patch": "$out = model(**$inputs).last_hidden_state[:, 1:]",
    "dinov2_cls": "$out = model(**$inputs).pooler_output",
    "patch_mean": "$out = model(**$inputs).last_hidden_state.mean(1)",
    "patch_tokens": "$out = model(**$inputs).last_hidden_state",
    "dinov2_patch": (
        'registers = getattr(model.config, "num_register_tokens", 0) or 0\n'
        "$out = model(**$inputs).last_hidden_state[:, 1 + registers :]"
    ),
    "vit_registers": (
        "registers = model.config.num_register_tokens\n"
        "$out = model(**$inputs).last_hidden_state[:, 1 : 1 + registers]"
    ),
    "dinov3_convnext_pooled": "$out = model(**$inputs).pooler_output",
    "dinov3_convnext_patch": "$out = model(**$inputs).last_hidden_state[:, 1:]",
    "patch_mean": "$out = model(**$inputs).last_hidden_state.mean(1)",
    "patch_tokens": "$out = model(**$inputs).last_hidden_state",
    "siglip2_naflex_image": "$out = model.get_image_features(**$inputs).pooler_output",
    "siglip2_naflex_patch": "$out = model.vision_model(**$inputs).last_hidden_state",
    "clip_image": "$out = model.get_image_features(**$inputs).pooler_output",
    "clip_text": "$out = model.get_text_features(**$inputs).pooler_output",
    "siglip_image": "$out = model.get_image_features(**$inputs).pooler_output",
    "siglip_text": "$out = model.get_text_features(**$inputs).pooler_output",
    "clip_vision_pooled": "$out = model.vision_model(**$inputs).pooler_output",
    "clip_text_pooled": "$out = model.text_model(**$inputs).pooler_output",
    "chinese_clip_text_cls": "$out = model.text_model(**$inputs).last_hidden_state[:, 0]",
    "siglip_text_prehead": "$out = model.text_model(**$inputs).last_hidden_state[:, -1]",
    "siglip_vision_patch": "$out = model.vision_model(**$inputs).last_hidden_state",
    "blip_itm_image": "$out = model.vision_proj(model.vision_model(**$inputs).last_hidden_state[:, 0])",
    "blip_itm_text": (
        'states = model.text_encoder(input_ids=$inputs["input_ids"], '
        'attention_mask=$inputs["attention_mask"]).last_hidden_state\n'
        "$out = model.text_proj(states[:, 0])"
    ),
    "last_token": "$out = model(**$inputs, output_hidden_states=True).hidden_states[-1][:, -1]",
    "cls_pooling": "$out = model(**$inputs).last_hidden_state[:, 0]",
    "mean_pooling": (
        'mask = $inputs["attention_mask"].unsqueeze(-1).float()\n'
        "states = model(**$inputs).last_hidden_state\n"
        "$out = (states * mask).sum(1) / mask.sum(1).clamp(min=1e-9)"
    ),
    "mean_pooling_dense": (
        'mask = $inputs["attention_mask"].unsqueeze(-1).float()\n'
        "states = model(**$inputs).last_hidden_state\n"
        "pooled = (states * mask).sum(1) / mask.sum(1).clamp(min=1e-9)\n"
        "for folder in $dense:  # $dense_comment\n"
        '    path = hf_hub_download(model_id, f"{folder}/model.safetensors", revision=revision)\n'
        '    pooled = pooled @ load_file(path)["linear.weight"].to(pooled.dtype).T\n'
        "$out = torch.nn.functional.normalize(pooled, dim=-1)"
    ),
}
"""Recipes with a template; the others (remote code, a VLM's image path) get no transformers tab."""

# Recipes whose template applies to one modality only.
MODALITY_ONLY = {"last_token": "text"}

# The section's strings live in ui.yaml (keys ``snippet.*``); the list separator is punctuation, and
# the sample inputs are what the code embeds, the same on both languages' pages.
TEXT = {
    lang: {
        **{k.removeprefix("snippet."): text for k, text in UI[lang].items() if k.startswith("snippet.")},
        "sep": {"en": ", ", "zh": "、"}[lang],
        "text": "a photo of a cat",
        "sentence": "A sentence to embed.",
    }
    for lang in LANGS
}

CHINESE_TEXT = "一张猫的照片"


@dataclass(frozen=True)
class Snippet:
    """One tab: the library it uses and its Python code."""

    library: str
    code: str


def revision_of(model: Model, locks: Locks) -> str | None:
    """The pinned commit: the entry's ``source.revision``, else the lock's sha (as the checks use)."""
    record = locks.hub_record(model.id)
    return model.source.revision or (record.sha if record is not None else None)


def class_name(model: Model) -> str:
    """The transformers class of the snippet: the entry's ``source.architecture`` (an identifier
    transformers exports, checked with the catalogue), else ``AutoModel``."""
    name = model.source.architecture or "AutoModel"
    if not name.isidentifier():  # the schema allows identifiers only; never paste anything else
        raise ValueError(f"not a class name: {name!r}")
    return name


def _comment(text: str) -> str:
    """``  # text`` on one line (a comment cannot end the line and start code)."""
    return "  # " + " ".join(text.split())


def _covered(model: Model) -> tuple[list[Embedding], list[Embedding]]:
    covered: list[Embedding] = []
    skipped: list[Embedding] = []
    for emb in model.embeddings:
        only = MODALITY_ONLY.get(emb.recipe)
        ok = emb.recipe in TEMPLATES and emb.modality in ("image", "text") and only in (None, emb.modality)
        (covered if ok else skipped).append(emb)
    return covered, skipped


def _shape(emb: Embedding, size: int | None = None) -> str:
    dims = [size] if size is not None else (emb.shape or [emb.dim])
    return "(" + ", ".join(str(n) for n in [1, *dims]) + ")"


def _header(model: Model, locks: Locks, lang: str) -> list[str]:
    text = TEXT[lang]
    sha = revision_of(model, locks)
    lines = [f"model_id = {code_literal(model.source.hub_id or '')}"]
    if sha:
        lines.append(f"revision = {code_literal(sha)}")
    else:
        lines.append(f'revision = "main"{_comment(text["unpinned_comment"])}')
    record = locks.hub_record(model.id)
    if record is not None and record.gated:
        lines.insert(0, _comment(text["gated"]).lstrip())
    return lines


def _sample_text(model: Model, lang: str) -> str:
    if any(e.recipe == "chinese_clip_text_cls" for e in model.embeddings):
        return CHINESE_TEXT
    key = "text" if "image" in model.modalities else "sentence"
    return TEXT[lang][key]


def transformers_snippet(model: Model, locks: Locks, lang: str) -> Snippet | None:
    """Plain transformers code for every output with a template; None when there is none."""
    covered, skipped = _covered(model)
    if not covered or model.source.trust_remote_code or model.source.hub_id is None:
        return None
    if model.source.loader == "sentence-transformers" and "image" in model.modalities:
        # A Sentence Transformers image-text package (clip-ViT-*) keeps its transformers model in a module
        # folder, not at the repository root: from_pretrained(model_id) would not find it.
        return None
    text = TEXT[lang]
    arch = class_name(model)
    modalities = {e.modality for e in covered}
    imports = ["import torch"]
    if any(e.recipe == "mean_pooling_dense" for e in covered):
        imports += ["from huggingface_hub import hf_hub_download", "from safetensors.torch import load_file"]
    if "image" in modalities:
        imports.append("from PIL import Image")
    names = sorted({arch} | ({"AutoImageProcessor"} if "image" in modalities else set()))
    if "text" in modalities:
        names = sorted({*names, "AutoTokenizer"})
    imports.append(f"from transformers import {', '.join(names)}")
    lines = [*imports, "", *_header(model, locks, lang)]
    if skipped:
        lines.append(_comment(text["not_covered"].format(names=", ".join(e.name for e in skipped))).lstrip())
    lines += ["", f"model = {arch}.from_pretrained(model_id, revision=revision).eval()"]
    if "image" in modalities:
        size = next((e.input.image_size for e in covered if e.input and e.input.image_size), 224)
        lines += [
            f'image = Image.new("RGB", ({int(size)}, {int(size)}), "gray"){_comment(text["image"])}',
            "processor = AutoImageProcessor.from_pretrained(model_id, revision=revision)",
            'image_inputs = processor(images=image, return_tensors="pt")',
        ]
    if "text" in modalities:
        padding = ', padding="max_length"' if any(e.recipe.startswith("siglip") for e in covered) else ""
        lines += [
            "tokenizer = AutoTokenizer.from_pretrained(model_id, revision=revision)",
            f'text_inputs = tokenizer([{code_literal(_sample_text(model, lang))}]{padding}, return_tensors="pt")',
        ]
    lines += ["", "embeddings = {}", "with torch.inference_mode():"]
    record = locks.hub_record(model.id)
    layers = record.sentence_transformers_dense if record is not None else None
    dense = [layer.path for layer in layers or []]
    for emb in covered:
        body = (
            TEMPLATES[emb.recipe]
            .replace("$out", f"embeddings[{code_literal(emb.name)}]")
            .replace("$inputs", f"{emb.modality}_inputs")
            .replace("  # $dense_comment", _comment(text["dense"]))
            .replace("$dense", "[" + ", ".join(code_literal(path) for path in dense) + "]")
        )
        lines += ["    " + line for line in body.splitlines()]
    for emb in covered:
        name = code_literal(emb.name)
        lines.append(f"print({name}, tuple(embeddings[{name}].shape))  # {_shape(emb)}")
        for k in (emb.matryoshka or [])[1:]:
            lines += [
                _comment(text["matryoshka"].format(k=k)).lstrip(),
                f"small = torch.nn.functional.normalize(embeddings[{name}][:, :{int(k)}], dim=-1)",
                f"print({code_literal(f'{emb.name}[:{k}]')}, tuple(small.shape))  # {_shape(emb, k)}",
            ]
    return Snippet("transformers", "\n".join(lines) + "\n")


def sentence_transformers_snippet(model: Model, locks: Locks, lang: str) -> Snippet | None:
    """The sentence-transformers pipeline (entries with that loader); it yields the first text output."""
    if model.source.loader != "sentence-transformers" or model.source.hub_id is None:
        return None
    emb = next((e for e in model.embeddings if e.modality == "text"), None)
    if emb is None:
        return None
    text = TEXT[lang]
    lines = ["from sentence_transformers import SentenceTransformer", "", *_header(model, locks, lang), ""]
    lines += [
        "model = SentenceTransformer(model_id, revision=revision)",
        f"sentences = [{code_literal(_sample_text(model, lang))}]",
        "embeddings = model.encode(sentences)",
        f"print({code_literal(emb.name)}, embeddings.shape)  # {_shape(emb)}",
    ]
    for k in (emb.matryoshka or [])[1:]:
        lines += [
            _comment(text["matryoshka"].format(k=k)).lstrip(),
            f"small = model.encode(sentences, truncate_dim={int(k)}, normalize_embeddings=True)",
            f"print({code_literal(f'{emb.name}[:{k}]')}, small.shape)  # {_shape(emb, k)}",
        ]
    return Snippet("sentence-transformers", "\n".join(lines) + "\n")


def snippets(model: Model, locks: Locks, lang: str) -> list[Snippet]:
    """The tabs of a model page, library by library (none for declared-only or remote-code entries)."""
    if model.status != "checkable" or model.source.loader not in ("transformers", "sentence-transformers"):
        return []
    tabs = [sentence_transformers_snippet(model, locks, lang), transformers_snippet(model, locks, lang)]
    return [tab for tab in tabs if tab is not None]


def usage_section(model: Model, locks: Locks, lang: str) -> Markup:
    """The "Usage" section of a model page in Markdown (tabs of fenced code), or nothing."""
    tabs = snippets(model, locks, lang)
    if not tabs:
        return Markup("")
    text = TEXT[lang]
    sha = revision_of(model, locks)
    pin = text["pinned"].format(sha=sha[:12]) if sha else text["unpinned"]
    out = [f"## {text['heading']}", "", text["intro"].format(pin=pin), ""]
    for tab in tabs:
        # A fence longer than any run of backticks in the code: no line of it can close the block.
        fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", tab.code)), default=0))
        out += [f'=== "{md_escape(tab.library)}"', "", f"    {fence}python"]
        out += [f"    {line}".rstrip() for line in tab.code.splitlines()]
        out += [f"    {fence}", ""]
    return Markup("\n".join(out) + "\n")


def matryoshka_lines(model: Model, lang: str) -> Markup:
    """One Markdown line per output with declared Matryoshka sizes (nothing when there are none)."""
    text = TEXT[lang]
    lines = [
        text["matryoshka_sizes"].format(name=e.name, sizes=text["sep"].join(map(str, e.matryoshka)))
        for e in model.embeddings
        if e.matryoshka
    ]
    return Markup("".join(f"{line}\n\n" for line in lines))
