"""Extractors: the recipes as functions. Given a built model and inputs, return the embedding tensor.

Runs inside the verification worker only (imports torch). Each recipe takes
the model and a :class:`Batch` and returns a tensor whose first axis is the
batch; the observed embedding shape is the rest of its shape.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch


@dataclass
class Batch:
    """Synthetic or real inputs of one modality."""

    pixel_values: torch.Tensor | None = None
    input_ids: torch.Tensor | None = None
    attention_mask: torch.Tensor | None = None
    extra: dict[str, Any] | None = None


def _features(out: Any) -> torch.Tensor:
    """``get_*_features`` returns a tensor in transformers 4 and a model output in 5."""
    if isinstance(out, torch.Tensor):
        return out
    pooled = getattr(out, "pooler_output", None)
    if pooled is None:
        raise TypeError(f"{type(out).__name__} has no pooler_output")
    return pooled  # type: ignore[no-any-return]


def _hidden(model: Any, batch: Batch) -> torch.Tensor:
    """Last hidden state of a text model (or of the language model of a VLM)."""
    out = model(
        input_ids=batch.input_ids,
        attention_mask=batch.attention_mask,
        output_hidden_states=True,
        **(batch.extra or {}),
    )
    last = getattr(out, "last_hidden_state", None)
    if last is None:
        last = out.hidden_states[-1]
    return last  # type: ignore[no-any-return]


def vit_pooler(model: Any, batch: Batch) -> torch.Tensor:
    return model(pixel_values=batch.pixel_values).pooler_output  # type: ignore[no-any-return]


def vit_cls(model: Any, batch: Batch) -> torch.Tensor:
    return model(pixel_values=batch.pixel_values).last_hidden_state[:, 0]  # type: ignore[no-any-return]


def dinov2_patch(model: Any, batch: Batch) -> torch.Tensor:
    registers = getattr(model.config, "num_register_tokens", 0) or 0
    return model(pixel_values=batch.pixel_values).last_hidden_state[:, 1 + registers :]  # type: ignore[no-any-return]


def image_features(model: Any, batch: Batch) -> torch.Tensor:
    return _features(model.get_image_features(pixel_values=batch.pixel_values))


def text_features(model: Any, batch: Batch) -> torch.Tensor:
    return _features(model.get_text_features(input_ids=batch.input_ids, attention_mask=batch.attention_mask))


def blip_itm_image(model: Any, batch: Batch) -> torch.Tensor:
    image_embeds = model.vision_model(pixel_values=batch.pixel_values)[0]
    return model.vision_proj(image_embeds[:, 0])  # type: ignore[no-any-return]


def blip_itm_text(model: Any, batch: Batch) -> torch.Tensor:
    text = model.text_encoder(input_ids=batch.input_ids, attention_mask=batch.attention_mask)[0]
    return model.text_proj(text[:, 0])  # type: ignore[no-any-return]


def last_token(model: Any, batch: Batch) -> torch.Tensor:
    # Inputs are right-padded with a full attention mask here, so the last position is the last token.
    return _hidden(model, batch)[:, -1]


def mean_pooling(model: Any, batch: Batch) -> torch.Tensor:
    hidden = _hidden(model, batch)
    if batch.attention_mask is None:
        return hidden.mean(1)
    mask = batch.attention_mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)


def cls_pooling(model: Any, batch: Batch) -> torch.Tensor:
    return _hidden(model, batch)[:, 0]


def vision_pooled(model: Any, batch: Batch) -> torch.Tensor:
    return model.vision_model(pixel_values=batch.pixel_values).pooler_output  # type: ignore[no-any-return]


def clip_text_pooled(model: Any, batch: Batch) -> torch.Tensor:
    out = model.text_model(input_ids=batch.input_ids, attention_mask=batch.attention_mask)
    return out.pooler_output  # type: ignore[no-any-return]


def text_tower_token(position: int) -> Callable[[Any, Batch], torch.Tensor]:
    """The state of one token of the text tower (before any projection or head)."""

    def run(model: Any, batch: Batch) -> torch.Tensor:
        out = model.text_model(input_ids=batch.input_ids, attention_mask=batch.attention_mask)
        return out.last_hidden_state[:, position]  # type: ignore[no-any-return]

    return run


def siglip_vision_patch(model: Any, batch: Batch) -> torch.Tensor:
    return model.vision_model(pixel_values=batch.pixel_values).last_hidden_state  # type: ignore[no-any-return]


def vit_patch(model: Any, batch: Batch) -> torch.Tensor:
    return model(pixel_values=batch.pixel_values).last_hidden_state[:, 1:]  # type: ignore[no-any-return]


def vit_registers(model: Any, batch: Batch) -> torch.Tensor:
    registers = getattr(model.config, "num_register_tokens", 0) or 0
    if registers < 1:
        raise ValueError("the config has no register tokens (num_register_tokens)")
    return model(pixel_values=batch.pixel_values).last_hidden_state[:, 1 : 1 + registers]  # type: ignore[no-any-return]


def patch_mean(model: Any, batch: Batch) -> torch.Tensor:
    return model(pixel_values=batch.pixel_values).last_hidden_state.mean(1)  # type: ignore[no-any-return]


def patch_tokens(model: Any, batch: Batch) -> torch.Tensor:
    return model(pixel_values=batch.pixel_values).last_hidden_state  # type: ignore[no-any-return]


def naflex_inputs(model: Any, pixels: torch.Tensor) -> dict[str, Any]:
    """A square image as SigLIP 2 NaFlex takes it: flattened patches, their grid, and a mask of valid ones.

    Patches are laid out row by row, each as (patch row, patch column, channel), as Siglip2ImageProcessor
    does. On ``meta`` the mask is left out (every patch is valid, and meta tensors have no values to test).
    """
    patch = model.config.vision_config.patch_size
    batch, channels, height, width = pixels.shape
    rows, cols = height // patch, width // patch
    patches = pixels[:, :, : rows * patch, : cols * patch].reshape(batch, channels, rows, patch, cols, patch)
    patches = patches.permute(0, 2, 4, 3, 5, 1).reshape(batch, rows * cols, patch * patch * channels)
    mask = None
    if pixels.device.type != "meta":
        mask = torch.ones((batch, rows * cols), dtype=torch.long, device=pixels.device)
    shapes = torch.tensor([[rows, cols]] * batch, dtype=torch.long)
    return {"pixel_values": patches, "pixel_attention_mask": mask, "spatial_shapes": shapes}


NAFLEX_KEYS = ("pixel_attention_mask", "spatial_shapes")
"""What Siglip2ImageProcessor returns besides the patches; a Batch carries them in ``extra``."""


def _naflex_batch_inputs(model: Any, batch: Batch) -> dict[str, Any]:
    """Processor output as it is (patches of shape batch x patches x values), or a square image cut here."""
    assert batch.pixel_values is not None
    if batch.pixel_values.dim() == 3:
        extra = batch.extra or {}
        return {"pixel_values": batch.pixel_values, **{key: extra[key] for key in NAFLEX_KEYS}}
    return naflex_inputs(model, batch.pixel_values)


def siglip2_naflex_image(model: Any, batch: Batch) -> torch.Tensor:
    return _features(model.get_image_features(**_naflex_batch_inputs(model, batch)))


def siglip2_naflex_patch(model: Any, batch: Batch) -> torch.Tensor:
    return model.vision_model(**_naflex_batch_inputs(model, batch)).last_hidden_state  # type: ignore[no-any-return]


def dense_head(layers: list[dict[str, Any]], device: str, dtype: torch.dtype) -> torch.nn.Sequential:
    """The Dense modules of a Sentence Transformers pipeline (random weights, or none on ``meta``)."""
    with torch.device(device):
        head = torch.nn.Sequential(
            *(
                torch.nn.Linear(layer["in_features"], layer["out_features"], bias=layer.get("bias", True))
                for layer in layers
            )
        )
    return head.to(dtype)


def mean_pooling_dense(model: Any, batch: Batch) -> torch.Tensor:
    head = getattr(model, "sentence_transformers_dense", None)
    if head is None:
        raise ValueError("no Sentence Transformers Dense layers attached (lock: sentence_transformers_dense)")
    return torch.nn.functional.normalize(head(mean_pooling(model, batch)), dim=-1)


def late_interaction(model: Any, batch: Batch) -> torch.Tensor:
    """Per-token vectors of a ColPali-style retriever: ``(batch, tokens, embedding_dim)``."""
    kwargs = dict(batch.extra or {})
    if batch.pixel_values is not None:
        kwargs["pixel_values"] = batch.pixel_values
    out = model(input_ids=batch.input_ids, attention_mask=batch.attention_mask, **kwargs)
    return out.embeddings  # type: ignore[no-any-return]


def _media(batch: Batch) -> dict[str, Any]:
    """The keyword arguments of an audio or video batch (built per architecture in :mod:`.media`)."""
    if not batch.extra:
        raise ValueError("an audio or video recipe needs the batch's keyword arguments (Batch.extra)")
    return batch.extra


def audio_features(model: Any, batch: Batch) -> torch.Tensor:
    return _features(model.get_audio_features(**_media(batch)))


def audio_mean(model: Any, batch: Batch) -> torch.Tensor:
    return model(**_media(batch)).last_hidden_state.mean(1)  # type: ignore[no-any-return]


def whisper_encoder_mean(model: Any, batch: Batch) -> torch.Tensor:
    return model.encoder(**_media(batch)).last_hidden_state.mean(1)  # type: ignore[no-any-return]


def media_pooler(model: Any, batch: Batch) -> torch.Tensor:
    return model(**_media(batch)).pooler_output  # type: ignore[no-any-return]


def video_features(model: Any, batch: Batch) -> torch.Tensor:
    return _features(model.get_video_features(**_media(batch)))


def videoprism_video(model: Any, batch: Batch) -> torch.Tensor:
    """VideoPrism pools with one attention query: its (batch, 1, hidden) output is one vector per clip."""
    return _features(model.get_video_features(**_media(batch)))[:, 0]


def video_mean(model: Any, batch: Batch) -> torch.Tensor:
    return model(**_media(batch)).last_hidden_state.mean(1)  # type: ignore[no-any-return]


def vjepa2_pooled(model: Any, batch: Batch) -> torch.Tensor:
    """The attentive pooler of a V-JEPA 2 classifier over its encoder tokens (before the classifier)."""
    states = model.vjepa2(**_media(batch)).last_hidden_state
    return model.pooler(states)  # type: ignore[no-any-return]


def radio_summary(model: Any, batch: Batch) -> torch.Tensor:
    """RadioModel's summary: the class tokens of ``summary_idxs``, flattened."""
    return model(pixel_values=batch.pixel_values).summary  # type: ignore[no-any-return]


def radio_features(model: Any, batch: Batch) -> torch.Tensor:
    """RadioModel's dense features: the tokens after the class and register tokens."""
    return model(pixel_values=batch.pixel_values).features  # type: ignore[no-any-return]


RUN: dict[str, Callable[[Any, Batch], torch.Tensor]] = {
    "vit_pooler": vit_pooler,
    "vit_cls": vit_cls,
    "dinov2_cls": vit_pooler,
    "dinov2_patch": dinov2_patch,
    "clip_image": image_features,
    "clip_text": text_features,
    "siglip_image": image_features,
    "siglip_text": text_features,
    "blip_itm_image": blip_itm_image,
    "blip_itm_text": blip_itm_text,
    "internvit_cls": vit_cls,
    "last_token": last_token,
    "mean_pooling": mean_pooling,
    "cls_pooling": cls_pooling,
    "clip_vision_pooled": vision_pooled,
    "clip_text_pooled": clip_text_pooled,
    "chinese_clip_text_cls": text_tower_token(0),
    "siglip_text_prehead": text_tower_token(-1),
    "siglip_vision_patch": siglip_vision_patch,
    "vit_patch": vit_patch,
    "mean_pooling_dense": mean_pooling_dense,
    "vit_registers": vit_registers,
    "dinov3_convnext_pooled": vit_pooler,
    "dinov3_convnext_patch": vit_patch,
    "siglip2_naflex_image": siglip2_naflex_image,
    "siglip2_naflex_patch": siglip2_naflex_patch,
    "patch_mean": patch_mean,
    "patch_tokens": patch_tokens,
    "late_interaction": late_interaction,
    "clap_audio": audio_features,
    "clap_text": text_features,
    "audio_mean": audio_mean,
    "whisper_encoder_mean": whisper_encoder_mean,
    "ast_pooler": media_pooler,
    "xclip_video": video_features,
    "xclip_text": text_features,
    "videoprism_video": videoprism_video,
    "videoprism_text": text_features,
    "video_mean": video_mean,
    "vjepa2_pooled": vjepa2_pooled,
    "tips_image": image_features,
    "tips_text": text_features,
    "radio_summary": radio_summary,
    "radio_features": radio_features,
}
