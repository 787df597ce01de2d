"""The DINOv3 / registers / SigLIP 2 NaFlex recipes on tiny random models built from configs.

Each test builds a real transformers architecture with random weights (a few layers, small widths),
runs the recipe function the checks use, and compares it with the tensor it names, taken by hand
from the model's own output. The NaFlex input is compared with what the real Siglip2ImageProcessor
makes of the same image.
"""

from __future__ import annotations

from typing import Any

import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from generator.verify.extractors import RUN, Batch, naflex_inputs  # noqa: E402

TOWER = {"hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4}


def _dinov3_vit(registers: int = 4) -> Any:
    config = transformers.DINOv3ViTConfig(**TOWER, patch_size=16, num_register_tokens=registers)
    return transformers.DINOv3ViTModel(config).eval()


def _pixels(size: int, channels: int = 3) -> Any:
    torch.manual_seed(0)
    return torch.randn(2, channels, size, size)


def test_dinov3_vit_cls_registers_and_patches() -> None:
    model = _dinov3_vit()
    batch = Batch(pixel_values=_pixels(64))
    with torch.inference_mode():
        states = model(pixel_values=batch.pixel_values)
        cls = RUN["dinov2_cls"](model, batch)
        registers = RUN["vit_registers"](model, batch)
        patches = RUN["dinov2_patch"](model, batch)
    # 64 px / 16 px patches = 4x4 = 16 patch tokens after 1 CLS and 4 register tokens.
    assert states.last_hidden_state.shape == (2, 1 + 4 + 16, 32)
    assert torch.equal(cls, states.pooler_output)
    assert torch.equal(cls, states.last_hidden_state[:, 0])
    assert registers.shape == (2, 4, 32)
    assert torch.equal(registers, states.last_hidden_state[:, 1:5])
    assert patches.shape == (2, 16, 32)
    assert torch.equal(patches, states.last_hidden_state[:, 5:])


def test_registers_recipe_refuses_a_model_without_registers() -> None:
    model = _dinov3_vit(registers=0)
    with pytest.raises(ValueError, match="no register tokens"):
        RUN["vit_registers"](model, Batch(pixel_values=_pixels(32)))


def test_dinov2_with_registers_uses_the_same_recipes() -> None:
    config = transformers.Dinov2WithRegistersConfig(
        **TOWER, patch_size=8, image_size=32, num_register_tokens=4
    )
    model = transformers.Dinov2WithRegistersModel(config).eval()
    batch = Batch(pixel_values=_pixels(32))
    with torch.inference_mode():
        states = model(pixel_values=batch.pixel_values).last_hidden_state
        registers = RUN["vit_registers"](model, batch)
        patches = RUN["dinov2_patch"](model, batch)
    assert torch.equal(registers, states[:, 1:5])
    assert patches.shape == (2, 16, 32)


def test_dinov3_convnext_pooled_and_patch_tokens() -> None:
    config = transformers.DINOv3ConvNextConfig(depths=[1, 1, 1, 1], hidden_sizes=[8, 16, 24, 40])
    model = transformers.DINOv3ConvNextModel(config).eval()
    batch = Batch(pixel_values=_pixels(64))
    with torch.inference_mode():
        out = model(pixel_values=batch.pixel_values)
        pooled = RUN["dinov3_convnext_pooled"](model, batch)
        patches = RUN["dinov3_convnext_patch"](model, batch)
    # Four stages downsample by 4, 2, 2, 2: a 64 px image leaves a 2x2 map of the last width, 40.
    assert pooled.shape == (2, 40)
    assert torch.equal(pooled, out.pooler_output)
    assert patches.shape == (2, 4, 40)
    assert torch.equal(patches, out.last_hidden_state[:, 1:])


def _siglip2() -> Any:
    config = transformers.Siglip2Config(
        text_config={**TOWER, "vocab_size": 64, "max_position_embeddings": 8},
        vision_config={**TOWER, "patch_size": 8, "num_patches": 16},
    )
    return transformers.Siglip2Model(config).eval()


def test_naflex_inputs_match_the_real_image_processor() -> None:
    import numpy as np

    model = _siglip2()
    image = np.random.default_rng(0).integers(0, 256, size=(32, 32, 3), dtype=np.uint8)
    processor = transformers.Siglip2ImageProcessor(
        patch_size=8, max_num_patches=16, do_normalize=False, do_rescale=False, do_resize=True
    )
    expected = processor(images=[image], return_tensors="pt")
    pixels = torch.from_numpy(image).permute(2, 0, 1).unsqueeze(0).float()
    ours = naflex_inputs(model, pixels)
    assert expected["spatial_shapes"].tolist() == ours["spatial_shapes"].tolist() == [[4, 4]]
    assert torch.equal(expected["pixel_attention_mask"], ours["pixel_attention_mask"])
    assert torch.allclose(expected["pixel_values"].float(), ours["pixel_values"])


def test_naflex_recipes_give_the_pooled_image_and_the_patch_tokens() -> None:
    model = _siglip2()
    batch = Batch(pixel_values=_pixels(32))
    with torch.inference_mode():
        image = RUN["siglip2_naflex_image"](model, batch)
        patches = RUN["siglip2_naflex_patch"](model, batch)
        direct = model.vision_model(**naflex_inputs(model, _pixels(32)))
    assert image.shape == (2, 32)
    assert torch.equal(image, direct.pooler_output)
    assert patches.shape == (2, 16, 32)


def test_naflex_recipes_run_on_meta_tensors() -> None:
    with torch.device("meta"):
        model = _siglip2()
    pixels = torch.empty(1, 3, 32, 32, device="meta")
    with torch.inference_mode():
        image = RUN["siglip2_naflex_image"](model, Batch(pixel_values=pixels))
        patches = RUN["siglip2_naflex_patch"](model, Batch(pixel_values=pixels))
    assert tuple(image.shape) == (1, 32)
    assert tuple(patches.shape) == (1, 16, 32)


def test_ijepa_mean_and_all_tokens() -> None:
    config = transformers.IJepaConfig(**TOWER, image_size=32, patch_size=8)
    model = transformers.IJepaModel(config, add_pooling_layer=False).eval()
    batch = Batch(pixel_values=_pixels(32))
    with torch.inference_mode():
        states = model(pixel_values=batch.pixel_values).last_hidden_state
        mean = RUN["patch_mean"](model, batch)
        tokens = RUN["patch_tokens"](model, batch)
    # No CLS token: 4x4 = 16 tokens, every one a patch.
    assert states.shape == (2, 16, 32)
    assert torch.equal(tokens, states)
    assert torch.allclose(mean, states.mean(1))


def test_naflex_recipes_take_the_processor_output_as_it_is() -> None:
    import numpy as np

    model = _siglip2()
    image = np.random.default_rng(1).integers(0, 256, size=(32, 32, 3), dtype=np.uint8)
    processor = transformers.Siglip2ImageProcessor(
        patch_size=8, max_num_patches=16, do_normalize=False, do_rescale=False
    )
    data = processor(images=[image], return_tensors="pt")
    extra = {key: data[key] for key in ("pixel_attention_mask", "spatial_shapes")}
    square = torch.from_numpy(image).permute(2, 0, 1).unsqueeze(0).float()
    with torch.inference_mode():
        from_processor = RUN["siglip2_naflex_image"](
            model, Batch(pixel_values=data["pixel_values"], extra=extra)
        )
        from_square = RUN["siglip2_naflex_image"](model, Batch(pixel_values=square))
    assert torch.allclose(from_processor, from_square, atol=1e-5)
    with pytest.raises(KeyError):
        RUN["siglip2_naflex_patch"](model, Batch(pixel_values=data["pixel_values"]))
