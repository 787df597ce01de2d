"""The verification worker: a child process that builds models and runs recipes.

Protocol: one JSON job per line on stdin, one JSON result per line on the
original stdout (everything the libraries print goes to stderr). The parent
kills and replaces a worker that crashes, runs out of memory or times out, so
one model's failure never stops the others.

Run as ``python -m generator.verify.worker``.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import sys
import time
import traceback
from collections.abc import Iterator
from typing import Any, TextIO

import torch
import transformers

from generator.catalog.recipes import RECIPES
from generator.verify.configaudit import audit_config
from generator.verify.extractors import NAFLEX_KEYS, RUN, Batch, dense_head
from generator.verify.media import audio_inputs, video_inputs
from generator.verify.samples import SAMPLE_PAIRS, SAMPLE_TEXTS, sample_images

# Recipes that cannot run on ``meta`` tensors, and why: the runtime tier checks them.
NOT_ON_META = {
    "clap_text": "CLAP's text tower makes its own attention mask and reads its values, which meta tensors "
    "lack: see the runtime tier",
}
DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}


def _remote_class(job: dict[str, Any], auto_name: str) -> Any:
    """A class of the model's remote code, downloaded at the pinned ``code_revision``."""
    from transformers.dynamic_module_utils import get_class_from_dynamic_module

    ref = job["config"].get("auto_map", {}).get(auto_name)
    if ref is None:
        raise ValueError(f"the config's auto_map names no {auto_name}")
    return get_class_from_dynamic_module(
        ref, job["hub_id"], revision=job.get("revision"), code_revision=job["code_revision"]
    )


def _remote(job: dict[str, Any]) -> bool:
    return bool(job.get("trust_remote_code") and job.get("code_revision") and job["config"].get("auto_map"))


def _config(job: dict[str, Any]) -> Any:
    data = dict(job["config"])
    model_type = data.pop("model_type", None)
    if _remote(job):
        config = _remote_class(job, "AutoConfig")(**data)
        config._name_or_path = job["hub_id"]
        return config
    if model_type is None:
        raise ValueError("the recorded config.json has no model_type")
    return transformers.AutoConfig.for_model(model_type, **data)


def _model_class(job: dict[str, Any]) -> Any:
    if _remote(job):
        return _remote_class(job, "AutoModel")
    name = job.get("architecture")
    if not name:
        return transformers.AutoModel
    cls = getattr(transformers, name, None)
    if cls is None or not hasattr(cls, "from_pretrained"):
        # Never a silent AutoModel: the check would pass on another class than the entry names.
        raise ValueError(f"transformers {transformers.__version__} has no model class {name!r}")
    return cls


def build_random(job: dict[str, Any], device: str, dtype: torch.dtype) -> Any:
    """The architecture from its config, random weights (or no storage on ``meta``)."""
    config = _config(job)
    previous = torch.get_default_dtype()
    torch.set_default_dtype(dtype)
    try:
        with torch.device(device):
            cls = _model_class(job)
            model = cls.from_config(config) if cls is transformers.AutoModel else cls(config)  # type: ignore[no-untyped-call]
    finally:
        torch.set_default_dtype(previous)
    return model.eval()


def build_pretrained(job: dict[str, Any], device: str, dtype: torch.dtype) -> Any:
    """Real weights from the Hub at the pinned revision (remote code only when opted in and pinned)."""
    if (job.get("config") or {}).get("auto_map") and not _remote(job):
        raise ValueError("remote code without a pinned code revision is never run")
    # A remote class comes from _remote_class, downloaded at the pinned code revision.
    model = _model_class(job).from_pretrained(job["hub_id"], revision=job.get("revision"), dtype=dtype)
    return model.to(device).eval()


def _load_dense_weights(head: Any, job: dict[str, Any]) -> None:
    """Real weights of the Dense layers, from ``<path>/model.safetensors`` at the pinned revision."""
    from huggingface_hub import hf_hub_download
    from safetensors.torch import load_file

    for layer, spec in zip(head, job["dense"], strict=True):
        filename = f"{spec['path']}/model.safetensors"
        path = hf_hub_download(job["hub_id"], filename, revision=job.get("revision"))
        weights = load_file(path)
        layer.weight.data = weights["linear.weight"].to(layer.weight.device, layer.weight.dtype)
        if layer.bias is not None:
            layer.bias.data = weights["linear.bias"].to(layer.bias.device, layer.bias.dtype)


def _config_value(config: Any, sub: str, key: str, default: Any) -> Any:
    for part in (getattr(config, sub, None), config):
        value = getattr(part, key, None) if part is not None else None
        if value is not None:
            return value
    return default


def _vlm(config: Any) -> Any:
    """The vision-language model's config: a retriever's ``vlm_config`` (ColPali, ColQwen2), else itself."""
    return getattr(config, "vlm_config", None) or config


def _text_vocab(config: Any) -> int:
    vlm = _vlm(config)
    if vlm is not config:
        return int(vlm.get_text_config().vocab_size)
    return int(_config_value(config, "text_config", "vocab_size", 1000))


def synthetic_batch(model: Any, output: dict[str, Any], batch: int, device: str, dtype: torch.dtype) -> Batch:
    """Inputs of the right shape for ``output``: random on a real device, empty on ``meta``."""
    config = model.config
    if output["modality"] == "audio":
        return Batch(extra=audio_inputs(config, batch, device, dtype))
    vlm = _vlm(config)
    if _vlm_reads(vlm, output["modality"]) and hasattr(vlm.vision_config, "temporal_patch_size"):
        inputs = _vlm_patch_batch(vlm, output, batch, device, dtype)
        if vlm is not config and inputs.extra is not None and "pixel_values" in inputs.extra:
            # ColQwen2 takes each image's patches as one row of a padded (batch, patches, dim) tensor.
            flat = inputs.extra["pixel_values"]
            inputs.extra["pixel_values"] = flat.reshape(batch, -1, flat.shape[-1])
        return inputs
    if output["modality"] == "video":
        return Batch(extra=video_inputs(config, output.get("image_size"), batch, device, dtype))
    if output["modality"] == "image" and _vlm_reads(vlm, "image"):
        return _paligemma_image_batch(vlm, output, batch, device, dtype)
    if output["modality"] == "image":
        size = output.get("image_size") or _config_value(config, "vision_config", "image_size", 224)
        channels = _config_value(config, "vision_config", "num_channels", 3)
        shape = (batch, channels, size, size)
        pixels = torch.empty(shape, dtype=dtype, device=device)
        if device != "meta":
            pixels.normal_()
        return Batch(pixel_values=pixels)
    tokens = output.get("text_tokens") or 16
    vocab = _text_vocab(config)
    ids = torch.randint(0, vocab, (batch, tokens), device="cpu").to(device)
    # An all-ones mask changes nothing, and on meta tensors the mask checks need real values.
    mask = None if device == "meta" else torch.ones((batch, tokens), dtype=torch.long, device=device)
    return Batch(input_ids=ids, attention_mask=mask)


def _vlm_reads(vlm: Any, modality: str) -> bool:
    """Whether a vision-language model takes ``modality`` (image or video) as tokens of its text."""
    return modality in ("image", "video") and getattr(vlm, f"{modality}_token_id", None) is not None


def _vlm_patch_batch(
    config: Any, output: dict[str, Any], batch: int, device: str, dtype: torch.dtype
) -> Batch:
    """An image, or a clip of one temporal patch (``temporal_patch_size`` frames), as a Qwen2-VL-style
    language model sees it: patches, grid, and image or video tokens."""
    vision = config.vision_config
    video = output["modality"] == "video"
    size = output.get("image_size") or 224
    side = size // vision.patch_size
    patches = side * side
    pixels = torch.randn(
        batch * patches, vision.in_channels * vision.temporal_patch_size * vision.patch_size**2, dtype=dtype
    )
    grid = torch.tensor([[1, side, side]] * batch)
    tokens = patches // vision.spatial_merge_size**2
    token = config.video_token_id if video else config.image_token_id
    ids = torch.full((batch, tokens), token, dtype=torch.long)
    prefix = "pixel_values_videos" if video else "pixel_values"
    return Batch(
        input_ids=ids.to(device),
        attention_mask=torch.ones_like(ids).to(device),
        extra={
            prefix: pixels.to(device),
            "video_grid_thw" if video else "image_grid_thw": grid.to(device),
            # M-RoPE positions: 1 = image token, 2 = video token
            "mm_token_type_ids": torch.full_like(ids, 2 if video else 1).to(device),
        },
    )


def _paligemma_image_batch(
    vlm: Any, output: dict[str, Any], batch: int, device: str, dtype: torch.dtype
) -> Batch:
    """An image as PaliGemma sees it (ColPali): one image token per patch, then a short text prompt."""
    vision = vlm.vision_config
    size = output.get("image_size") or vision.image_size
    patches = (size // vision.patch_size) ** 2
    prompt = 4
    ids = torch.randint(
        0, min(vlm.get_text_config().vocab_size, vlm.image_token_id), (batch, patches + prompt)
    )
    ids[:, :patches] = vlm.image_token_id
    pixels = torch.randn(batch, vision.num_channels, size, size, dtype=dtype)
    return Batch(
        pixel_values=pixels.to(device),
        input_ids=ids.to(device),
        attention_mask=torch.ones_like(ids).to(device),
    )


def _observed(tensor: torch.Tensor, batch: Batch, recipe: str) -> dict[str, Any]:
    """The shape seen, and for a per-token recipe the number of input tokens it should equal."""
    seen: dict[str, Any] = {"observed": list(tensor.shape[1:])}
    if RECIPES[recipe].multi_vector and batch.input_ids is not None:
        seen["input_tokens"] = int(batch.input_ids.shape[1])
    return seen


def _run_recipe(model: Any, recipe: str, batch: Batch, device: str) -> torch.Tensor:
    """The recipe's tensor. On meta tensors, a forward pass that reads tensor values while building
    its attention mask (PaliGemma's packed-sequence check, done only without a cache) is run once more
    with an empty KV cache: the same computation, without the value-dependent check."""
    try:
        with torch.inference_mode():
            return RUN[recipe](model, batch)
    except RuntimeError as exc:
        if device != "meta" or "meta tensors" not in str(exc) or batch.input_ids is None:
            raise
    cache = transformers.DynamicCache(config=model.config.get_text_config())
    retry = Batch(
        batch.pixel_values,
        batch.input_ids,
        batch.attention_mask,
        {**(batch.extra or {}), "past_key_values": cache},
    )
    with torch.inference_mode():
        return RUN[recipe](model, retry)


@contextlib.contextmanager
def _no_padding_probe(model: Any, device: str) -> Iterator[None]:
    """On ``meta``, tensor values do not exist: make the two value-dependent steps shape-only.

    transformers' look for pad tokens in unmasked input ids only decides whether to warn; with
    ``pad_token_id`` unset for the run it is not made. ``nonzero`` is taken to select everything.
    """
    configs = {id(m.config): m.config for m in model.modules() if hasattr(m, "config")}
    saved = {key: getattr(c, "pad_token_id", None) for key, c in configs.items()}
    if device == "meta":
        for config in configs.values():
            # object.__setattr__: a strict config class (NomicBertConfig) refuses None for an int field.
            object.__setattr__(config, "pad_token_id", None)
    try:
        if device == "meta":
            # Value-dependent selections (CLAP's fusion picks the clips longer than 10 s with nonzero) get
            # a shape on meta by taking every element as selected: the fullest path runs.
            import torch.fx.experimental._config as fx_config

            with fx_config.patch(meta_nonzero_assume_all_nonzero=True):  # type: ignore[attr-defined]
                yield
        else:
            yield
    finally:
        if device == "meta":
            for key, config in configs.items():
                object.__setattr__(config, "pad_token_id", saved[key])


def _run_outputs(model: Any, job: dict[str, Any], device: str, dtype: torch.dtype) -> dict[str, Any]:
    observed: dict[str, Any] = {}
    for output in job["outputs"]:
        if device == "meta" and _vlm_reads(_vlm(model.config), output["modality"]):
            reason = (
                f"a vision-language model's {output['modality']} path reads tensor values (grid sizes, "
                f"{output['modality']}-token counts): see the runtime tier"
            )
            observed[output["name"]] = {"skipped": reason}
            continue
        if device == "meta" and output["recipe"] in NOT_ON_META:
            observed[output["name"]] = {"skipped": NOT_ON_META[output["recipe"]]}
            continue
        try:
            batch = synthetic_batch(model, output, job.get("batch", 1), device, dtype)
            with _no_padding_probe(model, device):
                tensor = _run_recipe(model, output["recipe"], batch, device)
            observed[output["name"]] = _observed(tensor, batch, output["recipe"])
        except Exception as exc:
            if device == "meta" and "meta tensors" in str(exc):
                # e.g. PaliGemma's attention masks read tensor values, which meta tensors do not hold.
                reason = "this architecture reads tensor values in its forward pass: see the runtime tier"
                observed[output["name"]] = {"skipped": reason}
                continue
            observed[output["name"]] = {"error": f"{type(exc).__name__}: {str(exc).splitlines()[0][:300]}"}
    return observed


def _timed(model: Any, job: dict[str, Any], device: str, dtype: torch.dtype) -> dict[str, Any]:
    """Median latency of each runnable output's recipe, and peak memory."""
    repeats = 3
    latency: dict[str, float] = {}
    inputs: dict[str, dict[str, int]] = {}
    for output in job["outputs"]:
        batch = synthetic_batch(model, output, job.get("batch", 1), device, dtype)
        inputs[output["name"]] = _input_size(batch, output)
        run = RUN[output["recipe"]]
        with torch.inference_mode():
            run(model, batch)  # warm-up
            times = [_time_once(run, model, batch, device) for _ in range(repeats)]
        latency[output["name"]] = round(sorted(times)[len(times) // 2], 3)
    if device.startswith("cuda"):
        peak = torch.cuda.max_memory_allocated() / 2**20
        name = torch.cuda.get_device_name()
    else:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        name = "cpu"
    return {"latency_ms": latency, "peak_memory_mb": round(peak, 1), "device_name": name, "inputs": inputs}


def _time_once(run: Any, model: Any, batch: Batch, device: str) -> float:
    """Milliseconds of one run: CUDA events on a GPU, the wall clock elsewhere."""
    if device.startswith("cuda"):
        start = torch.cuda.Event(enable_timing=True)  # type: ignore[no-untyped-call]
        end = torch.cuda.Event(enable_timing=True)  # type: ignore[no-untyped-call]
        start.record()
        run(model, batch)
        end.record()
        torch.cuda.synchronize()
        return float(start.elapsed_time(end))
    begin = time.perf_counter()
    run(model, batch)
    return (time.perf_counter() - begin) * 1000


def _input_size(batch: Batch, output: dict[str, Any]) -> dict[str, int]:
    """The input size a run used: the image side in pixels, or the text length in tokens."""
    if batch.pixel_values is not None:
        return {"image_size": int(batch.pixel_values.shape[-1])}
    if output["modality"] in ("audio", "video"):
        # The input tensor's shape after the batch axis (the clip is built from the config).
        return {
            f"{key}_{axis}": int(n)
            for key, value in (batch.extra or {}).items()
            if isinstance(value, torch.Tensor) and value.is_floating_point()
            for axis, n in enumerate(value.shape[1:], start=1)
        }
    if output["modality"] == "image":
        return {"image_size": int(output.get("image_size") or 224)}  # a VLM's image, as patches
    assert batch.input_ids is not None
    return {"text_tokens": int(batch.input_ids.shape[1])}


def _pair_checks(model: Any, job: dict[str, Any], device: str) -> dict[str, Any]:
    """Real processor on the bundled samples: finite outputs, and similarity ordering."""
    import numpy as np

    # Always say whether remote code may run: left unset, transformers asks on stdin (the job
    # protocol here) and waits 15 s per question. Processor code follows the same pin as the model's.
    remote = {"trust_remote_code": True, "code_revision": job["code_revision"]} if _remote(job) else {}
    processor = transformers.AutoProcessor.from_pretrained(  # type: ignore[no-untyped-call]
        job["hub_id"], revision=job.get("revision"), **(remote or {"trust_remote_code": False})
    )
    checks: dict[str, Any] = {}
    by_modality: dict[str, dict[str, Any]] = {}
    for output in job["outputs"]:
        # The first output of a modality is the shared-space embedding (later: unprojected, grids).
        by_modality.setdefault(output["modality"], output)

    def embed(modality: str) -> torch.Tensor:
        output = by_modality[modality]
        if modality == "image":
            arrays = [np.asarray(img, dtype=np.uint8) for img in sample_images()]
            data = processor(images=arrays, return_tensors="pt")
            extra = {key: data[key].to(device) for key in NAFLEX_KEYS if key in data}  # SigLIP 2 NaFlex
            batch = Batch(pixel_values=data["pixel_values"].to(device, model.dtype), extra=extra or None)
        else:
            data = processor(text=SAMPLE_TEXTS, return_tensors="pt", padding=True, truncation=True)
            batch = Batch(
                input_ids=data["input_ids"].to(device), attention_mask=data["attention_mask"].to(device)
            )
        with torch.inference_mode():
            return RUN[output["recipe"]](model, batch).float()

    vectors = {m: embed(m) for m in by_modality if m in ("image", "text")}
    checks["finite"] = all(bool(torch.isfinite(v).all()) for v in vectors.values())
    checks["norms"] = {m: [round(float(n), 4) for n in v.flatten(1).norm(dim=-1)] for m, v in vectors.items()}
    unit = {m: torch.nn.functional.normalize(v.flatten(1), dim=-1) for m, v in vectors.items()}
    if "image" in unit and "text" in unit:
        sims = unit["image"] @ unit["text"][: len(unit["image"])].T
        checks["pair_scores"] = [[round(float(x), 4) for x in row] for row in sims]
        checks["pairs_ordered"] = bool(all(sims[i, i] > sims[i, 1 - i] for i in range(2)))
    elif "text" in unit:
        anchor, paraphrase, unrelated = (unit["text"][i] for i in SAMPLE_PAIRS)
        close, far = float(anchor @ paraphrase), float(anchor @ unrelated)
        checks["pair_scores"] = [round(close, 4), round(far, 4)]
        checks["pairs_ordered"] = close > far
    return checks


def run_job(job: dict[str, Any]) -> dict[str, Any]:
    """Run one verification job; never raises."""
    tier = job["tier"]
    device = job.get("device") or "auto"
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    dtype_name = job.get("dtype") or ("bfloat16" if device.startswith("cuda") else "float32")
    if tier == "config":
        device = "meta"
    dtype = DTYPES[dtype_name]
    result: dict[str, Any] = {
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "device": device,
        "dtype": dtype_name,
    }
    if tier == "config" and isinstance(job.get("config"), dict):
        try:
            result["config_audit"] = audit_config(job["config"])
        except Exception as exc:
            reason = f"audit failed: {type(exc).__name__}: {exc}"
            result["config_audit"] = {"complete": False, "reason": reason}
    try:
        model = (
            build_pretrained(job, device, dtype) if tier == "weights" else build_random(job, device, dtype)
        )
        if job.get("dense"):
            # A Sentence Transformers head recorded in the lock: part of the model, counted in its parameters.
            head = dense_head(job["dense"], device, dtype)
            if tier == "weights":
                _load_dense_weights(head, job)
            model.sentence_transformers_dense = head
        result["parameters"] = sum(p.numel() for p in model.parameters())
        result["outputs"] = _run_outputs(model, job, device, dtype)
        if tier == "runtime":
            result["batch"] = job.get("batch", 1)
            result.update(_timed(model, job, device, dtype))
        if tier == "weights":
            result["checks"] = _pair_checks(model, job, device)
        result["status"] = "ok"
    except Exception as exc:
        result["status"] = "error"
        result["reason"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:300] if str(exc) else ''}"
        traceback.print_exc(file=sys.stderr)
    return result


def protocol_stream() -> TextIO:
    """The process's stdout, kept for the line protocol with its parent; from now on anything
    else written to stdout, by Python or by C code, goes to stderr, so it cannot corrupt it."""
    protocol = os.fdopen(os.dup(sys.stdout.fileno()), "w", buffering=1)
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    sys.stdout = sys.stderr
    return protocol


def main() -> int:
    protocol = protocol_stream()
    for line in sys.stdin:
        if line.strip():
            protocol.write(json.dumps(run_job(json.loads(line))) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
