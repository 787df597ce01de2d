"""The only module that talks to the Hugging Face Hub.

All traffic goes through ``huggingface_hub`` (``HfApi``, ``hf_hub_download``,
``get_safetensors_metadata``). The endpoint and token are read when a
:class:`Hub` is made (``HF_ENDPOINT``, ``HF_TOKEN``), never at import time.
``model_info`` does not retry on 429 by itself, so every call here goes through
:meth:`Hub._retry`: 429, 5xx, timeouts and dropped connections are retried
with exponential backoff, honouring ``Retry-After``, within a bounded total
time. Typed Hub errors (missing repo, gated repo, missing revision or file)
are final and raised at once.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from huggingface_hub import HfApi, hf_hub_download
from huggingface_hub.errors import (
    GatedRepoError,
    HfHubHTTPError,
    LocalEntryNotFoundError,
    NotASafetensorsRepoError,
    RemoteEntryNotFoundError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
    SafetensorsParsingError,
)

from generator.locks.files import JsonProblem, strict_json

T = TypeVar("T")
SHA = re.compile(r"[0-9a-f]{40}")
DEFAULT_ENDPOINT = "https://huggingface.co"
RETRY_STATUS = {429, 500, 502, 503, 504}
# Fields of a snapshot taken from the Hub; each gets provenance ``hub@<sha>``.
HUB_FIELDS = (
    "last_modified",
    "downloads",
    "likes",
    "gated",
    "pipeline_tag",
    "library_name",
    "license",
    "tags",
    "parameters",
    "parameters_by_dtype",
    "config",
    "sentence_transformers_dense",
)


class HubUnavailable(Exception):
    """The Hub kept failing (5xx, 429, timeouts, dropped connections) past the retry budget."""


def _transient(exc: BaseException) -> bool:
    """Whether ``exc`` is worth retrying."""
    if isinstance(exc, LocalEntryNotFoundError):
        return True  # hf_hub_download gave up reaching the Hub (outage, rate limit)
    if isinstance(exc, RepositoryNotFoundError | RevisionNotFoundError | RemoteEntryNotFoundError):
        return False
    if isinstance(exc, HfHubHTTPError):
        status = exc.response.status_code if exc.response is not None else None
        return status in RETRY_STATUS
    name = type(exc).__name__
    # httpx2's TimeoutException, NetworkError, RemoteProtocolError and their subclasses,
    # and OSErrors from a dropped socket.
    transient_names = ("Timeout", "NetworkError", "ProtocolError", "ConnectError", "ReadError")
    return isinstance(exc, OSError | TimeoutError) or any(n in name for n in transient_names)


def _retry_after(exc: BaseException) -> float | None:
    response = getattr(exc, "response", None)
    if response is None:
        return None
    value = response.headers.get("Retry-After")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


@dataclass
class Hub:
    """A Hub endpoint with retry policy.

    Args:
        endpoint: base URL; default ``$HF_ENDPOINT`` or https://huggingface.co.
        token: access token; default ``$HF_TOKEN``.
        timeout: seconds for one request.
        max_retries: retries of one call after its first try.
        max_total: seconds one call may spend in all, waits included.
    """

    endpoint: str | None = None
    token: str | None = None
    timeout: float = 10.0
    max_retries: int = 5
    max_total: float = 60.0
    base_wait: float = 0.5

    def __post_init__(self) -> None:
        self.endpoint = (self.endpoint or os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")
        self.token = self.token or os.environ.get("HF_TOKEN") or None
        self.api = HfApi(endpoint=self.endpoint, token=self.token)
        # A private download cache: never a stale file from ~/.cache, and removed by close().
        self._cache = tempfile.TemporaryDirectory(prefix="mmcat-hub-", ignore_cleanup_errors=True)

    def close(self) -> None:
        """Remove the download cache."""
        self._cache.cleanup()

    def __enter__(self) -> Hub:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _retry(self, call: Callable[[], T]) -> T:
        deadline = time.monotonic() + self.max_total
        attempt = 0
        while True:
            try:
                return call()
            except Exception as exc:
                if not _transient(exc):
                    raise
                attempt += 1
                wait = _retry_after(exc)
                if wait is None:
                    wait = min(8.0, self.base_wait * 2 ** (attempt - 1)) * (0.5 + random.random() / 2)
                if attempt > self.max_retries or time.monotonic() + wait > deadline:
                    raise HubUnavailable(f"{_describe(exc)} (after {attempt} tries)") from exc
                time.sleep(wait)

    def snapshot(
        self, repo_id: str, revision: str | None, previous: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Metadata of ``repo_id`` at ``revision`` (default branch when None).

        A commit's files never change: when ``previous`` (the lock's record)
        already holds the config taken from the Hub at the same sha, it is
        reused instead of downloaded again.

        Returns:
            A lock record: the resolved ``sha``, the fields of :data:`HUB_FIELDS`,
            and ``provenance`` saying ``hub@<sha>`` for each of them.

        Raises:
            RepositoryNotFoundError, GatedRepoError, RevisionNotFoundError: final outcomes.
            HubUnavailable: the Hub kept failing.
        """
        info = self._retry(lambda: self.api.model_info(repo_id, revision=revision, timeout=self.timeout))
        sha = info.sha
        if not sha:
            raise HubUnavailable("the Hub answered without a commit sha")
        if not isinstance(sha, str) or not SHA.fullmatch(sha):
            # Checked before the sha is used in any request or path.
            raise HubUnavailable(f"the Hub answered a commit sha that is not 40 lower-case hex: {sha!r:.60}")
        card: dict[str, Any] = info.card_data.to_dict() if info.card_data is not None else {}  # type: ignore[no-untyped-call]
        record: dict[str, Any] = {
            "sha": sha,
            "requested_revision": revision or "main",
            "last_modified": info.last_modified.isoformat() if info.last_modified else None,
            "downloads": info.downloads,
            "likes": info.likes,
            "gated": info.gated if info.gated is not None else False,
            "pipeline_tag": info.pipeline_tag,
            "library_name": info.library_name,
            "license": card.get("license"),
            "tags": sorted(info.tags or []),
        }
        previous = previous or {}
        same_commit = (
            previous.get("sha") == sha and previous.get("provenance", {}).get("config") == f"hub@{sha}"
        )
        record["config"] = previous.get("config") if same_commit else self._config(repo_id, sha)
        if info.library_name == "sentence-transformers" or "sentence-transformers" in (info.tags or []):
            # The Dense layers after pooling are part of the embedding (recipe mean_pooling_dense).
            dense = previous.get("sentence_transformers_dense") if same_commit else None
            record["sentence_transformers_dense"] = dense or self._dense_layers(repo_id, sha)
        if info.safetensors is not None and info.safetensors.parameters:
            # The Hub's summary of the safetensors headers: no extra request needed.
            by_dtype = dict(sorted(info.safetensors.parameters.items()))
            record.update(parameters=sum(by_dtype.values()), parameters_by_dtype=by_dtype)
        else:
            record.update(self._parameters(repo_id, sha))
        record["retrieved"] = dt.date.today().isoformat()
        record["provenance"] = {f: f"hub@{sha}" for f in HUB_FIELDS if record.get(f) is not None}
        return record

    def _config(self, repo_id: str, sha: str) -> dict[str, Any] | None:
        data = self._json_file(repo_id, sha, "config.json")
        if data is not None and not isinstance(data, dict):
            raise HubUnavailable("config.json is not a JSON object")
        return data

    def _json_file(self, repo_id: str, sha: str, filename: str) -> Any:
        """A JSON file of the repo at ``sha``; None when the repo has no such file."""

        def download() -> str:
            return hf_hub_download(
                repo_id,
                filename,
                revision=sha,
                endpoint=self.endpoint,
                token=self.token,
                cache_dir=self._cache.name,
                etag_timeout=self.timeout,
            )

        try:
            path = self._retry(download)
        except RemoteEntryNotFoundError:
            return None
        try:
            with open(path, encoding="utf-8") as handle:
                return strict_json(handle.read())
        except UnicodeDecodeError:
            raise HubUnavailable(f"{filename} is not UTF-8 text") from None
        except json.JSONDecodeError as exc:
            raise HubUnavailable(f"{filename} is not valid JSON: {exc.msg}") from None
        except JsonProblem as exc:
            raise HubUnavailable(f"{filename}: {exc}") from None

    def _dense_layers(self, repo_id: str, sha: str) -> list[dict[str, Any]] | None:
        """Sizes of the Dense modules of a Sentence Transformers pipeline (modules.json, then each config)."""
        modules = self._json_file(repo_id, sha, "modules.json")
        if not isinstance(modules, list):
            return None
        layers = []
        for module in modules:
            if not str(module.get("type", "")).endswith(".Dense"):
                continue
            config = self._json_file(repo_id, sha, f"{module['path']}/config.json") or {}
            if "in_features" not in config or "out_features" not in config:
                raise HubUnavailable(f"{module['path']}/config.json has no in_features/out_features")
            layers.append(
                {
                    "path": module["path"],
                    "in_features": config["in_features"],
                    "out_features": config["out_features"],
                    "bias": bool(config.get("bias", True)),
                }
            )
        return layers or None

    def _parameters(self, repo_id: str, sha: str) -> dict[str, Any]:
        try:
            meta = self._retry(lambda: self.api.get_safetensors_metadata(repo_id, revision=sha))
        except (NotASafetensorsRepoError, SafetensorsParsingError, RemoteEntryNotFoundError):
            return {"parameters": None, "parameters_by_dtype": None}
        by_dtype = dict(sorted(meta.parameter_count.items()))
        return {"parameters": sum(by_dtype.values()), "parameters_by_dtype": by_dtype}


def _describe(exc: BaseException) -> str:
    response = getattr(exc, "response", None)
    if isinstance(exc, HfHubHTTPError) and response is not None:
        return f"HTTP {response.status_code}"
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}".rstrip(": ")


def classify(exc: BaseException) -> tuple[str, str]:
    """(outcome, reason) of a failed snapshot: gated / not found / failed."""
    if isinstance(exc, GatedRepoError):
        return "gated", "the repository is gated: set HF_TOKEN of an account with access"
    if isinstance(exc, RevisionNotFoundError):
        return "not found", "revision not found"
    if isinstance(exc, RepositoryNotFoundError):
        return "not found", "repository not found (or private)"
    if isinstance(exc, HubUnavailable):
        return "failed", str(exc)
    return "failed", _describe(exc)
