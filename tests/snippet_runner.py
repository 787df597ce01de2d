"""Run generated usage snippets in one process and compare them with the checks' recipe functions.

Usage: ``python -m tests.snippet_runner`` (with ``HF_ENDPOINT`` pointing at the local Hub), then one
JSON list of jobs per line on stdin; each list is answered by one JSON line, a result per job, on
stdout (anything else printed goes to stderr). One process serves every test of
tests/test_snippets.py, so torch, transformers and sentence-transformers are imported once.
Each job is ``{"code": ..., "outputs": [[name, recipe, modality], ...], "dense": [...]}``. For each, the
snippet runs unchanged in a fresh namespace (stdout captured); then, for the transformers tab, every
output's recipe function from :mod:`generator.verify.extractors` runs on the snippet's own model and inputs,
and the two tensors are compared.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import traceback
from typing import Any


def _attach_dense(ns: dict[str, Any], dense: list[str]) -> None:
    import torch
    from huggingface_hub import hf_hub_download
    from safetensors.torch import load_file

    layers = []
    for folder in dense:
        path = hf_hub_download(ns["model_id"], f"{folder}/model.safetensors", revision=ns["revision"])
        weight = load_file(path)["linear.weight"]
        layer = torch.nn.Linear(weight.shape[1], weight.shape[0], bias=False)
        layer.weight.data = weight
        layers.append(layer)
    ns["model"].sentence_transformers_dense = torch.nn.Sequential(*layers)


def _compare(ns: dict[str, Any], outputs: list[list[str]], dense: list[str]) -> dict[str, float]:
    """Largest absolute difference between the snippet's tensor and the recipe function's, per output."""
    import torch

    from generator.verify.extractors import NAFLEX_KEYS, RUN, Batch

    if dense:
        _attach_dense(ns, dense)
    diffs = {}
    for name, recipe, modality in outputs:
        inputs = ns[f"{modality}_inputs"]
        extra = {key: inputs[key] for key in NAFLEX_KEYS if key in inputs}
        batch = Batch(
            pixel_values=inputs.get("pixel_values"),
            input_ids=inputs.get("input_ids"),
            attention_mask=inputs.get("attention_mask"),
            extra=extra or None,
        )
        with torch.inference_mode():
            expected = RUN[recipe](ns["model"], batch)
        got = ns["embeddings"][name]
        diffs[name] = (
            float((expected.float() - got.float()).abs().max()) if expected.shape == got.shape else -1.0
        )
    return diffs


def run(job: dict[str, Any]) -> dict[str, Any]:
    ns: dict[str, Any] = {"__name__": "__snippet__"}
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(job["code"], "<snippet>", "exec"), ns)
        result: dict[str, Any] = {"stdout": out.getvalue()}
        if job.get("outputs"):
            result["diffs"] = _compare(ns, job["outputs"], job.get("dense") or [])
        if job.get("vector"):
            import torch

            vec = ns["embeddings"]
            first = vec[0] if not isinstance(vec, dict) else vec[job["vector"]][0]
            result["vector"] = [float(x) for x in torch.as_tensor(first).flatten()[:8]]
        return result
    except Exception:
        return {"stdout": out.getvalue(), "error": traceback.format_exc()}


def main() -> int:
    from generator.verify.worker import protocol_stream

    protocol = protocol_stream()
    for line in sys.stdin:
        if line.strip():
            protocol.write(json.dumps([run(job) for job in json.loads(line)]) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
