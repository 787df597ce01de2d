"""``mmcat refresh`` records the Dense layers of a Sentence Transformers pipeline (mean_pooling_dense)."""

from __future__ import annotations

import json

from generator.hub.client import Hub
from generator.testing.hubserver import FakeHub, FakeRepo

SHA = "d" * 40
MODULES = [
    {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
    {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
    {"idx": 2, "name": "2", "path": "2_Dense", "type": "sentence_transformers.models.Dense"},
    {"idx": 3, "name": "3", "path": "3_Dense", "type": "sentence_transformers.models.Dense"},
    {"idx": 4, "name": "4", "path": "4_Normalize", "type": "sentence_transformers.models.Normalize"},
]


def _dense(inp: int, out: int) -> bytes:
    config = {"in_features": inp, "out_features": out, "bias": False, "activation_function": "Identity"}
    return json.dumps(config).encode()


def _repo(repo_id: str, library: str) -> FakeRepo:
    return FakeRepo(
        repo_id=repo_id,
        sha=SHA,
        files={
            "config.json": json.dumps({"model_type": "gemma3_text", "hidden_size": 16}).encode(),
            "modules.json": json.dumps(MODULES).encode(),
            "2_Dense/config.json": _dense(16, 40),
            "3_Dense/config.json": _dense(40, 12),
        },
        info={"library_name": library},
    )


def test_dense_layers_of_a_sentence_transformers_repo(fake_hub: FakeHub) -> None:
    fake_hub.add(_repo("org/st-model", "sentence-transformers"))
    with Hub(endpoint=fake_hub.url) as hub:
        record = hub.snapshot("org/st-model", None)
    assert record["sentence_transformers_dense"] == [
        {"path": "2_Dense", "in_features": 16, "out_features": 40, "bias": False},
        {"path": "3_Dense", "in_features": 40, "out_features": 12, "bias": False},
    ]
    assert record["provenance"]["sentence_transformers_dense"] == f"hub@{SHA}"


def test_other_repos_are_not_asked_for_modules(fake_hub: FakeHub) -> None:
    fake_hub.add(_repo("org/plain", "transformers"))
    with Hub(endpoint=fake_hub.url) as hub:
        record = hub.snapshot("org/plain", None)
    assert "sentence_transformers_dense" not in record
    assert fake_hub.count(contains="modules.json") == 0


def test_unchanged_commit_reuses_the_recorded_layers(fake_hub: FakeHub) -> None:
    fake_hub.add(_repo("org/st-model", "sentence-transformers"))
    with Hub(endpoint=fake_hub.url) as hub:
        first = hub.snapshot("org/st-model", None)
        before = fake_hub.count(contains="Dense/config.json")
        second = hub.snapshot("org/st-model", None, previous=first)
    assert second["sentence_transformers_dense"] == first["sentence_transformers_dense"]
    assert fake_hub.count(contains="Dense/config.json") == before
