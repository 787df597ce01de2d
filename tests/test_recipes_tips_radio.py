"""The TIPSv2 and RADIO recipes on tiny random models built from configs.

Each case runs as ``mmcat verify`` sends it to the worker, on ``meta`` (config tier) and on the CPU
(runtime tier); the expected shapes are computed from the tiny config's own numbers. A value test
then checks on the CPU that each recipe returns the tensor the model's code defines as the
embedding, not a neighbour of the same shape (the second TIPS class token, an unmasked mean, the
wrong RADIO class tokens, or the features with the register tokens left in).
"""

from __future__ import annotations

from typing import Any

import pytest

from generator.catalog.recipes import RECIPES

torch = pytest.importorskip("torch")
worker = pytest.importorskip("generator.verify.worker")
extractors = pytest.importorskip("generator.verify.extractors")

TIPS = {
    "model_type": "tipsv2",
    "vision_config": {
        "hidden_size": 32,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
        "mlp_ratio": 2,
        "image_size": 28,
        "patch_size": 14,
        "num_register_tokens": 1,
    },
    "text_config": {
        "vocab_size": 99,
        "hidden_size": 32,
        "intermediate_size": 37,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
        "max_position_embeddings": 16,
    },
}

RADIO = {
    "model_type": "radio",
    "hidden_size": 16,
    "num_hidden_layers": 2,
    "num_attention_heads": 2,
    "mlp_ratio": 2.0,
    "patch_size": 4,
    "image_size": 32,
    "max_img_size": 32,
    "num_cls_tokens": 3,
    "num_registers": 2,
    "summary_idxs": [0, 2],
}

CASES: dict[str, tuple[dict[str, Any], str, list[tuple[str, str, str, list[int]]]]] = {
    "tipsv2": (
        TIPS,
        "Tipsv2Model",
        [("image", "image", "tips_image", [32]), ("text", "text", "tips_text", [32])],
    ),
    # 32 px / 4 px patches = 64 patches; the summary is two class tokens of 16.
    "radio": (
        RADIO,
        "RadioModel",
        [("summary", "image", "radio_summary", [32]), ("patch", "image", "radio_features", [64, 16])],
    ),
}


def _job(name: str, tier: str) -> dict[str, Any]:
    config, arch, outputs = CASES[name]
    return {
        "model_id": f"tiny/{name}",
        "tier": tier,
        "config": config,
        "architecture": arch,
        "hub_id": f"tiny/{name}",
        "outputs": [{"name": n, "modality": m, "recipe": r} for n, m, r, _ in outputs],
        "device": "cpu",
        "dtype": "float32",
        "batch": 2,
    }


def test_the_new_recipes_are_registered_and_covered() -> None:
    covered = {recipe for _, _, outputs in CASES.values() for _, _, recipe, _ in outputs}
    assert covered == {"tips_image", "tips_text", "radio_summary", "radio_features"}
    assert covered <= set(RECIPES) and covered <= set(extractors.RUN)


@pytest.mark.parametrize("tier", ["config", "runtime"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_recipe_shapes_on_a_tiny_model(name: str, tier: str) -> None:
    result = worker.run_job(_job(name, tier))
    assert result["status"] == "ok", result.get("reason")
    assert result["device"] == ("meta" if tier == "config" else "cpu")
    assert result["outputs"] == {n: {"observed": shape} for n, _, _, shape in CASES[name][2]}


def _model(name: str) -> Any:
    import transformers

    config, arch, _ = CASES[name]
    body = {k: v for k, v in config.items() if k != "model_type"}
    config_class = transformers.AutoConfig.for_model(config["model_type"], **body)
    torch.manual_seed(0)
    return getattr(transformers, arch)(config_class).eval()


def test_tips_recipes_take_the_first_cls_token_and_the_masked_mean() -> None:
    model = _model("tipsv2")
    pixels = torch.randn(2, 3, 28, 28)
    ids = torch.randint(0, 99, (2, 6))
    mask = torch.tensor([[1, 1, 1, 1, 1, 1], [1, 1, 1, 0, 0, 0]])
    batch = extractors.Batch(pixel_values=pixels, input_ids=ids, attention_mask=mask)
    with torch.no_grad():
        image = extractors.RUN["tips_image"](model, batch)
        text = extractors.RUN["tips_text"](model, batch)
        tokens = model.vision_model(pixel_values=pixels).last_hidden_state
        states = model.text_model(input_ids=ids, attention_mask=mask).last_hidden_state
    torch.testing.assert_close(image, tokens[:, 0])
    assert not torch.allclose(image, tokens[:, 1])  # the second class token (register slot)
    weights = mask.unsqueeze(-1).float()
    torch.testing.assert_close(text, (states * weights).sum(1) / weights.sum(1), rtol=1e-5, atol=1e-5)
    assert not torch.allclose(text[1], states[1].mean(0), atol=1e-4)  # padding must not count


def test_radio_recipes_take_the_chosen_class_tokens_and_the_patches() -> None:
    model = _model("radio")
    pixels = torch.rand(2, 3, 32, 32)
    with torch.no_grad():
        summary = extractors.RUN["radio_summary"](model, extractors.Batch(pixel_values=pixels))
        features = extractors.RUN["radio_features"](model, extractors.Batch(pixel_values=pixels))
        tokens = model(pixel_values=pixels).last_hidden_state
    torch.testing.assert_close(summary, torch.cat([tokens[:, 0], tokens[:, 2]], dim=-1))
    assert not torch.allclose(summary, tokens[:, :2].flatten(1))  # summary_idxs [0, 2], not the first two
    skip = RADIO["num_cls_tokens"] + RADIO["num_registers"]
    torch.testing.assert_close(features, tokens[:, skip:])
    assert tokens.shape[1] == skip + 64
