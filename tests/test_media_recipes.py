"""The AIMv2, audio and video recipes on tiny random models built from configs (both tiers' code paths).

Each case is a job as ``mmcat verify`` sends it to the worker: a config.json, the class named by the
entry, and the outputs with their recipes. It runs twice in this process: on ``meta`` (the config
tier: no weight bytes) and on the CPU with random weights (the runtime tier). The observed shape
must be what the recipe promises for that config, which is computed here from the config's own
numbers, not copied from a run.
"""

from __future__ import annotations

from typing import Any

import pytest

from generator.catalog.recipes import RECIPES

torch = pytest.importorskip("torch")
worker = pytest.importorskip("generator.verify.worker")

TEXT = {"vocab_size": 99, "hidden_size": 32, "intermediate_size": 37, "num_hidden_layers": 2}
TEXT.update({"num_attention_heads": 4, "max_position_embeddings": 40})

CLAP_AUDIO = {
    "num_mel_bins": 64,
    "spec_size": 256,
    "window_size": 8,
    "patch_size": 4,
    "patch_stride": [4, 4],
    "depths": [1, 1],
    "num_attention_heads": [2, 4],
    "patch_embeds_hidden_size": 8,
    "hidden_size": 16,
    "projection_dim": 20,
}

CASES: dict[str, tuple[dict[str, Any], str, list[tuple[str, str, str, list[int]]]]] = {
    # name: (config.json, architecture, [(output, modality, recipe, expected shape)])
    "aimv2-vision": (
        {
            "model_type": "aimv2_vision_model",
            "hidden_size": 32,
            "intermediate_size": 48,
            "num_hidden_layers": 2,
            "num_attention_heads": 4,
            "image_size": 42,
            "patch_size": 14,
            "use_head": False,
        },
        "Aimv2VisionModel",
        [("image", "image", "patch_mean", [32]), ("patch", "image", "patch_tokens", [9, 32])],
    ),
    "aimv2-lit": (
        {
            "model_type": "aimv2",
            "projection_dim": 24,
            "vision_config": {
                "hidden_size": 32,
                "intermediate_size": 48,
                "num_hidden_layers": 1,
                "num_attention_heads": 4,
                "image_size": 28,
                "patch_size": 14,
                "use_head": True,
            },
            "text_config": {**TEXT, "max_position_embeddings": 16, "eos_token_id": 98},
        },
        "Aimv2Model",
        [("image", "image", "clip_image", [24]), ("text", "text", "clip_text", [24])],
    ),
    "clap": (
        {
            "model_type": "clap",
            "projection_dim": 20,
            "text_config": {**TEXT, "max_position_embeddings": 40, "projection_dim": 20},
            "audio_config": CLAP_AUDIO,
        },
        "ClapModel",
        [("audio", "audio", "clap_audio", [20]), ("text", "text", "clap_text", [20])],
    ),
    # The fusion model picks the clips longer than 10 s by value: on meta every clip is taken as longer.
    "clap-fused": (
        {
            "model_type": "clap",
            "projection_dim": 20,
            "text_config": {**TEXT, "max_position_embeddings": 40, "projection_dim": 20},
            "audio_config": {**CLAP_AUDIO, "enable_fusion": True, "fusion_type": "aff_2d"},
        },
        "ClapModel",
        [("audio", "audio", "clap_audio", [20])],
    ),
    "whisper": (
        {
            "model_type": "whisper",
            "vocab_size": 99,
            "d_model": 16,
            "encoder_layers": 1,
            "decoder_layers": 1,
            "encoder_attention_heads": 2,
            "decoder_attention_heads": 2,
            "encoder_ffn_dim": 32,
            "decoder_ffn_dim": 32,
            "num_mel_bins": 8,
            "max_source_positions": 10,
            "max_target_positions": 8,
            "pad_token_id": 0,
            "bos_token_id": 1,
            "eos_token_id": 2,
            "decoder_start_token_id": 1,
            "suppress_tokens": [],
            "begin_suppress_tokens": [],
        },
        "WhisperModel",
        [("audio", "audio", "whisper_encoder_mean", [16])],
    ),
    **{
        kind: (
            {
                "model_type": kind,
                "hidden_size": 16,
                "num_hidden_layers": 1,
                "num_attention_heads": 2,
                "intermediate_size": 32,
                "conv_dim": [8, 8],
                "conv_kernel": [10, 3],
                "conv_stride": [5, 2],
                "num_conv_pos_embeddings": 16,
                "num_conv_pos_embedding_groups": 2,
                "vocab_size": 32,
            },
            arch,
            [("audio", "audio", "audio_mean", [16])],
        )
        for kind, arch in (("wav2vec2", "Wav2Vec2Model"), ("hubert", "HubertModel"), ("wavlm", "WavLMModel"))
    },
    "ast": (
        {
            "model_type": "audio-spectrogram-transformer",
            "hidden_size": 16,
            "num_hidden_layers": 1,
            "num_attention_heads": 2,
            "intermediate_size": 32,
            "max_length": 24,
            "num_mel_bins": 16,
            "patch_size": 16,
            "frequency_stride": 10,
            "time_stride": 10,
        },
        "ASTModel",
        [("audio", "audio", "ast_pooler", [16])],
    ),
    "xclip": (
        {
            "model_type": "xclip",
            "projection_dim": 16,
            "prompt_layers": 1,
            "prompt_attention_heads": 2,
            "prompt_num_attention_heads": 2,
            "text_config": {**TEXT, "max_position_embeddings": 16},
            "vision_config": {
                "hidden_size": 16,
                "intermediate_size": 32,
                "num_hidden_layers": 1,
                "num_attention_heads": 2,
                "mit_hidden_size": 16,
                "mit_intermediate_size": 32,
                "mit_num_hidden_layers": 1,
                "mit_num_attention_heads": 2,
                "image_size": 32,
                "patch_size": 16,
                "num_frames": 3,
            },
        },
        "XCLIPModel",
        [("video", "video", "xclip_video", [16]), ("text", "text", "xclip_text", [16])],
    ),
    "videomae": (
        {
            "model_type": "videomae",
            "image_size": 32,
            "patch_size": 16,
            "num_frames": 4,
            "tubelet_size": 2,
            "hidden_size": 16,
            "num_hidden_layers": 1,
            "num_attention_heads": 2,
            "intermediate_size": 32,
        },
        "VideoMAEModel",
        [("video", "video", "video_mean", [16])],
    ),
    "vjepa2": (
        {
            "model_type": "vjepa2",
            "crop_size": 32,
            "patch_size": 16,
            "frames_per_clip": 4,
            "tubelet_size": 2,
            "hidden_size": 16,
            "num_hidden_layers": 1,
            "num_attention_heads": 2,
            "pred_hidden_size": 8,
            "pred_num_hidden_layers": 1,
            "pred_num_attention_heads": 2,
            "num_pooler_layers": 1,
            "num_labels": 3,
        },
        "VJEPA2ForVideoClassification",
        [("video", "video", "vjepa2_pooled", [16])],
    ),
    "videoprism-encoder": (
        {
            "model_type": "videoprism_vision_model",
            "image_size": 36,
            "num_frames": 4,
            "tubelet_size": [1, 18, 18],
            "hidden_size": 16,
            "num_attention_heads": 2,
            "intermediate_size": 32,
            "num_spatial_layers": 1,
            "num_temporal_layers": 1,
        },
        "VideoPrismVisionModel",
        [("video", "video", "video_mean", [16])],
    ),
    "videoprism-lvt": (
        {
            "model_type": "videoprism",
            "vision_config": {
                "image_size": 36,
                "num_frames": 4,
                "tubelet_size": [1, 18, 18],
                "hidden_size": 16,
                "num_attention_heads": 2,
                "intermediate_size": 32,
                "num_spatial_layers": 1,
                "num_temporal_layers": 1,
                "num_auxiliary_layers": 1,
            },
            "text_config": {**TEXT, "hidden_size": 16, "intermediate_size": 32, "num_attention_heads": 2},
        },
        "VideoPrismClipModel",
        [("video", "video", "videoprism_video", [16]), ("text", "text", "videoprism_text", [16])],
    ),
    "vjepa2-encoder": (
        {
            "model_type": "vjepa2",
            "crop_size": 32,
            "patch_size": 16,
            "frames_per_clip": 4,
            "tubelet_size": 2,
            "hidden_size": 16,
            "num_hidden_layers": 1,
            "num_attention_heads": 2,
            "pred_hidden_size": 8,
            "pred_num_hidden_layers": 1,
            "pred_num_attention_heads": 2,
        },
        "VJEPA2Model",
        [("video", "video", "video_mean", [16])],
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


def test_every_new_recipe_has_a_tiny_case() -> None:
    covered = {recipe for _, _, outputs in CASES.values() for _, _, recipe, _ in outputs}
    new = {"patch_tokens", "patch_mean", "clap_audio", "clap_text", "audio_mean", "whisper_encoder_mean"}
    new |= {"ast_pooler", "xclip_video", "xclip_text", "video_mean", "vjepa2_pooled"}
    new |= {"videoprism_video", "videoprism_text"}
    assert new <= covered <= set(RECIPES)


@pytest.mark.parametrize("tier", ["config", "runtime"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_recipe_on_a_tiny_model(name: str, tier: str) -> None:
    result = worker.run_job(_job(name, tier))
    assert result["status"] == "ok", result.get("reason")
    assert result["device"] == ("meta" if tier == "config" else "cpu")
    assert result["parameters"] > 0
    expected = {n: {"observed": shape} for n, _, _, shape in CASES[name][2]}
    if tier == "config" and name == "clap":
        # CLAP's text tower reads its own mask's values: checked at the runtime tier only, and said so.
        assert "runtime tier" in result["outputs"].pop("text")["skipped"]
        expected.pop("text")
    assert result["outputs"] == expected
    if tier == "runtime":
        assert set(result["latency_ms"]) == set(expected)


def test_audio_input_for_an_unknown_architecture_is_an_error_not_a_guess() -> None:
    job = _job("videomae", "config")
    job["outputs"] = [{"name": "audio", "modality": "audio", "recipe": "audio_mean"}]
    result = worker.run_job(job)
    assert result["status"] == "ok"
    assert "no synthetic audio input" in result["outputs"]["audio"]["error"]
