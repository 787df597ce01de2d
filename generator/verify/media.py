"""Synthetic audio and video inputs for the checks: the tensors each architecture's forward takes.

Audio and video models name their inputs differently (``input_values`` of a raw waveform,
``input_features`` of a spectrogram, ``pixel_values`` or ``pixel_values_videos`` of frames), so
the keyword arguments are built per ``model_type`` from the model's own config. The recipes in
:mod:`generator.verify.extractors` pass them on unchanged (``Batch.extra``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

# One second of 16 kHz audio: the sampling rate of the wav2vec 2.0 family's feature extractors.
WAVEFORM_SAMPLES = 16_000
# CLAP's feature extractor pads or cuts a clip to 1,000 hop-length frames, plus one.
CLAP_FRAMES = 1001


def _tensor(shape: tuple[int, ...], device: str, dtype: torch.dtype) -> torch.Tensor:
    values = torch.empty(shape, dtype=dtype, device=device)
    if device != "meta":
        values.normal_()
    return values


def _clap(config: Any, batch: int, device: str, dtype: torch.dtype) -> dict[str, Any]:
    audio = config.audio_config
    channels = 4 if audio.enable_fusion else 1  # the fused model stacks the global view and three crops
    longer = torch.zeros((batch, 1), dtype=torch.bool, device="cpu").to(device)
    features = _tensor((batch, channels, CLAP_FRAMES, audio.num_mel_bins), device, dtype)
    return {"input_features": features, "is_longer": longer}


def _whisper(config: Any, batch: int, device: str, dtype: torch.dtype) -> dict[str, Any]:
    # The encoder takes exactly 30 s: two mel frames per encoder position.
    frames = 2 * config.max_source_positions
    return {"input_features": _tensor((batch, config.num_mel_bins, frames), device, dtype)}


def _waveform(config: Any, batch: int, device: str, dtype: torch.dtype) -> dict[str, Any]:
    return {"input_values": _tensor((batch, WAVEFORM_SAMPLES), device, dtype)}


def _ast(config: Any, batch: int, device: str, dtype: torch.dtype) -> dict[str, Any]:
    return {"input_values": _tensor((batch, config.max_length, config.num_mel_bins), device, dtype)}


AUDIO: dict[str, Callable[[Any, int, str, torch.dtype], dict[str, Any]]] = {
    "clap": _clap,
    "whisper": _whisper,
    "wav2vec2": _waveform,
    "hubert": _waveform,
    "wavlm": _waveform,
    "audio-spectrogram-transformer": _ast,
}


def _frames(
    batch: int, frames: int, channels: int, size: int, device: str, dtype: torch.dtype
) -> torch.Tensor:
    return _tensor((batch, frames, channels, size, size), device, dtype)


def _vjepa2(config: Any, size: int | None, batch: int, device: str, dtype: torch.dtype) -> dict[str, Any]:
    side = size or config.crop_size
    clip = _frames(batch, config.frames_per_clip, config.in_chans, side, device, dtype)
    return {"pixel_values_videos": clip, "skip_predictor": True}


def _videomae(config: Any, size: int | None, batch: int, device: str, dtype: torch.dtype) -> dict[str, Any]:
    side = size or config.image_size
    return {"pixel_values": _frames(batch, config.num_frames, config.num_channels, side, device, dtype)}


def _xclip(config: Any, size: int | None, batch: int, device: str, dtype: torch.dtype) -> dict[str, Any]:
    vision = config.vision_config
    side = size or vision.image_size
    return {"pixel_values": _frames(batch, vision.num_frames, vision.num_channels, side, device, dtype)}


def _videoprism(config: Any, size: int | None, batch: int, device: str, dtype: torch.dtype) -> dict[str, Any]:
    vision = getattr(config, "vision_config", None) or config
    side = size or vision.image_size
    clip = _frames(batch, vision.num_frames, vision.num_channels, side, device, dtype)
    return {"pixel_values_videos": clip}


VIDEO: dict[str, Callable[[Any, int | None, int, str, torch.dtype], dict[str, Any]]] = {
    "vjepa2": _vjepa2,
    "videomae": _videomae,
    "xclip": _xclip,
    "videoprism_vision_model": _videoprism,
    "videoprism": _videoprism,
}


def audio_inputs(config: Any, batch: int, device: str, dtype: torch.dtype) -> dict[str, Any]:
    """Keyword arguments of one synthetic audio clip per batch item for this architecture."""
    build = AUDIO.get(config.model_type)
    if build is None:
        raise ValueError(f"no synthetic audio input for model type {config.model_type!r}")
    return build(config, batch, device, dtype)


def video_inputs(
    config: Any, image_size: int | None, batch: int, device: str, dtype: torch.dtype
) -> dict[str, Any]:
    """Keyword arguments of one synthetic clip per batch item (the config's frame count and size)."""
    build = VIDEO.get(config.model_type)
    if build is None:
        raise ValueError(f"no synthetic video input for model type {config.model_type!r}")
    return build(config, image_size, batch, device, dtype)
