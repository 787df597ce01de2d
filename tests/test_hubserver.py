"""The local fake Hub (generator/testing/hubserver.py) against the real huggingface_hub client.

Besides proving the fake works, these tests pin down what the client does with each fault:
which exception it raises and whether it retries by itself.
"""

from __future__ import annotations

import json
import struct
import time
from pathlib import Path

import httpx2
import pytest
from huggingface_hub import HfApi, hf_hub_download
from huggingface_hub.errors import (
    EntryNotFoundError,
    GatedRepoError,
    HfHubHTTPError,
    LocalEntryNotFoundError,
    NotASafetensorsRepoError,
    RemoteEntryNotFoundError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)

from generator.testing.hubserver import FakeHub, FakeRepo, Fault, make_safetensors

SHA = "0123456789abcdef0123456789abcdef01234567"
REPO_ID = "acme/tiny-embed"
CONFIG = {"architectures": ["BertModel"], "hidden_size": 384}
TENSORS = {"embeddings.weight": ("F32", [1000, 384]), "pooler.bias": ("BF16", [384])}
N_PARAMS = 1000 * 384 + 384


def make_repo(fault: Fault | None = None, **info: object) -> FakeRepo:
    return FakeRepo(
        repo_id=REPO_ID,
        sha=SHA,
        files={
            "config.json": json.dumps(CONFIG).encode(),
            "model.safetensors": make_safetensors(TENSORS),
            "README.md": b"---\nlicense: apache-2.0\n---\n# tiny\n",
        },
        info={
            "downloads": 1234,
            "likes": 7,
            "pipeline_tag": "feature-extraction",
            "library_name": "sentence-transformers",
            "tags": ["sentence-transformers", "license:apache-2.0"],
            "cardData": {"license": "apache-2.0"},
            "lastModified": "2025-03-04T05:06:07.000Z",
            **info,
        },
        fault=fault,
    )


def api(hub: FakeHub, token: str | bool = False) -> HfApi:
    return HfApi(endpoint=hub.url, token=token)


def download(hub: FakeHub, cache: Path, filename: str = "config.json", revision: str = SHA) -> Path:
    path = hf_hub_download(
        REPO_ID, filename, revision=revision, endpoint=hub.url, cache_dir=cache, token=False, etag_timeout=2
    )
    return Path(path)


# --- the happy path --------------------------------------------------------------------------------------


def test_model_info_fields(fake_hub: FakeHub) -> None:
    fake_hub.add(make_repo(gated="manual"))
    info = api(fake_hub).model_info(REPO_ID)
    assert info.id == REPO_ID
    assert info.sha == SHA
    assert info.downloads == 1234
    assert info.likes == 7
    assert info.gated == "manual"
    assert info.private is False
    assert info.pipeline_tag == "feature-extraction"
    assert info.library_name == "sentence-transformers"
    assert info.card_data is not None and info.card_data.license == "apache-2.0"
    assert info.last_modified is not None and info.last_modified.year == 2025
    assert info.safetensors is not None
    assert info.safetensors.total == N_PARAMS
    assert info.safetensors.parameters == {"F32": 1000 * 384, "BF16": 384}
    assert sorted(s.rfilename for s in info.siblings or []) == [
        "README.md",
        "config.json",
        "model.safetensors",
    ]
    assert fake_hub.requests == [("GET", f"/api/models/{REPO_ID}")]


def test_model_info_at_revision_and_query_strings_ignored(fake_hub: FakeHub) -> None:
    fake_hub.add(make_repo())
    client = api(fake_hub)
    assert client.model_info(REPO_ID, revision=SHA).sha == SHA
    assert client.model_info(REPO_ID, revision="main").sha == SHA
    assert client.model_info(REPO_ID, expand=["downloads", "sha"]).downloads == 1234
    assert client.model_info(REPO_ID, securityStatus=True).sha == SHA
    assert fake_hub.requests == [
        ("GET", f"/api/models/{REPO_ID}/revision/{SHA}"),
        ("GET", f"/api/models/{REPO_ID}/revision/main"),
        ("GET", f"/api/models/{REPO_ID}"),
        ("GET", f"/api/models/{REPO_ID}"),
    ]


def test_no_safetensors_means_no_safetensors_field(fake_hub: FakeHub) -> None:
    repo = make_repo()
    del repo.files["model.safetensors"]
    fake_hub.add(repo)
    assert api(fake_hub).model_info(REPO_ID).safetensors is None
    with pytest.raises(NotASafetensorsRepoError):
        api(fake_hub).get_safetensors_metadata(REPO_ID, revision=SHA)


def test_hf_hub_download_config(fake_hub: FakeHub, tmp_path: Path) -> None:
    fake_hub.add(make_repo())
    path = download(fake_hub, tmp_path)
    assert json.loads(path.read_text()) == CONFIG
    assert path.is_relative_to(tmp_path)
    assert f"/snapshots/{SHA}/" in path.as_posix()
    resolve = f"/{REPO_ID}/resolve/{SHA}/config.json"
    assert fake_hub.requests == [("HEAD", resolve), ("GET", resolve)]
    # Second call: the file is in the cache at that commit, so no request at all.
    assert download(fake_hub, tmp_path) == path
    assert len(fake_hub.requests) == 2


def test_hf_hub_download_main_resolves_to_sha(fake_hub: FakeHub, tmp_path: Path) -> None:
    fake_hub.add(make_repo())
    path = download(fake_hub, tmp_path, revision="main")
    assert f"/snapshots/{SHA}/" in path.as_posix()
    assert (tmp_path / "models--acme--tiny-embed" / "refs" / "main").read_text() == SHA


def test_get_safetensors_metadata(fake_hub: FakeHub) -> None:
    fake_hub.add(make_repo())
    meta = api(fake_hub).get_safetensors_metadata(REPO_ID, revision=SHA)
    assert meta.sharded is False
    assert meta.parameter_count == {"F32": 1000 * 384, "BF16": 384}
    assert sum(meta.parameter_count.values()) == N_PARAMS
    resolve = f"/{REPO_ID}/resolve/{SHA}/model.safetensors"
    assert fake_hub.requests == [("HEAD", resolve), ("GET", resolve)]


def test_get_safetensors_metadata_big_header_takes_a_second_range(fake_hub: FakeHub) -> None:
    tensors = {f"layer.{i}.weight": ("F16", [4, 4]) for i in range(3000)}  # header > 100 kB
    repo = make_repo()
    repo.files["model.safetensors"] = make_safetensors(tensors)
    fake_hub.add(repo)
    meta = api(fake_hub).get_safetensors_metadata(REPO_ID, revision=SHA)
    assert meta.parameter_count == {"F16": 3000 * 16}
    assert fake_hub.count("GET", "model.safetensors") == 2


def test_make_safetensors_layout() -> None:
    data = make_safetensors({"w": ("F32", [3, 5]), "b": ("I8", [7])})
    (length,) = struct.unpack("<Q", data[:8])
    assert length % 8 == 0
    header = json.loads(data[8 : 8 + length])
    assert header["w"] == {"dtype": "F32", "shape": [3, 5], "data_offsets": [0, 60]}
    assert header["b"] == {"dtype": "I8", "shape": [7], "data_offsets": [60, 67]}
    assert len(data) == 8 + length + 67
    with pytest.raises(ValueError):
        make_safetensors({"x": ("F31", [1])})


def test_range_requests(fake_hub: FakeHub) -> None:
    fake_hub.add(make_repo())
    content = make_repo().files["config.json"]
    url = f"{fake_hub.url}/{REPO_ID}/resolve/main/config.json"
    with httpx2.Client() as client:
        whole = client.get(url)
        assert whole.status_code == 200
        assert whole.content == content
        assert whole.headers["accept-ranges"] == "bytes"
        assert whole.headers["x-repo-commit"] == SHA
        part = client.get(url, headers={"Range": "bytes=2-5"})
        assert part.status_code == 206
        assert part.content == content[2:6]
        assert part.headers["content-range"] == f"bytes 2-5/{len(content)}"
        tail = client.get(url, headers={"Range": "bytes=-3"})
        assert (tail.status_code, tail.content) == (206, content[-3:])
        assert client.get(url, headers={"Range": f"bytes={len(content)}-"}).status_code == 416


# --- errors the Hub answers ------------------------------------------------------------------------------


def test_unknown_repo_is_repository_not_found(fake_hub: FakeHub) -> None:
    with pytest.raises(RepositoryNotFoundError) as info:
        api(fake_hub).model_info("nobody/nothing")
    assert not isinstance(info.value, GatedRepoError)
    assert info.value.response.headers["x-error-code"] == "RepoNotFound"


def test_not_found_fault(fake_hub: FakeHub, tmp_path: Path) -> None:
    fake_hub.add(make_repo(Fault("not_found")))
    with pytest.raises(RepositoryNotFoundError):
        api(fake_hub).model_info(REPO_ID)
    with pytest.raises(RepositoryNotFoundError):
        download(fake_hub, tmp_path)
    # get_safetensors_metadata swallows RepositoryNotFoundError in its file_exists() probes.
    with pytest.raises(NotASafetensorsRepoError):
        api(fake_hub).get_safetensors_metadata(REPO_ID, revision=SHA)


def test_gated_fault(fake_hub: FakeHub, tmp_path: Path) -> None:
    fake_hub.add(make_repo(Fault("gated")))
    with pytest.raises(GatedRepoError) as info:
        api(fake_hub).model_info(REPO_ID)
    assert info.value.response.status_code == 401  # anonymous
    with pytest.raises(GatedRepoError) as info:
        api(fake_hub, token="hf_not_approved").model_info(REPO_ID)
    assert info.value.response.status_code == 403  # authenticated, not on the list
    with pytest.raises(GatedRepoError):
        download(fake_hub, tmp_path)
    with pytest.raises(GatedRepoError):
        api(fake_hub).get_safetensors_metadata(REPO_ID, revision=SHA)


def test_gated_files_only_like_the_real_hub(fake_hub: FakeHub, tmp_path: Path) -> None:
    fake_hub.add(make_repo(Fault("gated", only="file"), gated="manual"))
    assert api(fake_hub).model_info(REPO_ID).gated == "manual"
    with pytest.raises(GatedRepoError):
        download(fake_hub, tmp_path)


def test_revision_not_found(fake_hub: FakeHub, tmp_path: Path) -> None:
    fake_hub.add(make_repo())
    with pytest.raises(RevisionNotFoundError):
        api(fake_hub).model_info(REPO_ID, revision="f" * 40)
    with pytest.raises(RevisionNotFoundError):
        download(fake_hub, tmp_path, revision="v9.9")


def test_revision_not_found_fault(fake_hub: FakeHub, tmp_path: Path) -> None:
    fake_hub.add(make_repo(Fault("revision_not_found")))
    with pytest.raises(RevisionNotFoundError):
        api(fake_hub).model_info(REPO_ID, revision=SHA)
    with pytest.raises(RevisionNotFoundError):
        download(fake_hub, tmp_path)


def test_missing_file_is_entry_not_found(fake_hub: FakeHub, tmp_path: Path) -> None:
    fake_hub.add(make_repo())
    with pytest.raises(RemoteEntryNotFoundError) as info:
        download(fake_hub, tmp_path, filename="preprocessor_config.json")
    assert isinstance(info.value, EntryNotFoundError)
    assert isinstance(info.value, HfHubHTTPError)
    assert info.value.response.status_code == 404


def test_rate_limit_then_ok(fake_hub: FakeHub) -> None:
    fake_hub.add(make_repo(Fault("rate_limit", times=2, retry_after=30)))
    client = api(fake_hub)
    for _ in range(2):
        with pytest.raises(HfHubHTTPError) as info:
            client.model_info(REPO_ID)
        assert type(info.value) is HfHubHTTPError
        assert info.value.response.status_code == 429
        assert info.value.response.headers["Retry-After"] == "30"
    assert client.model_info(REPO_ID).sha == SHA
    assert fake_hub.count("GET") == 3  # model_info does not retry


def test_download_retries_head_once_by_itself(fake_hub: FakeHub, tmp_path: Path) -> None:
    # hf_hub_download repeats a HEAD that got 429/5xx/timeout/connect error at once (then backs off).
    fake_hub.add(make_repo(Fault("rate_limit", times=1)))
    assert json.loads(download(fake_hub, tmp_path).read_text()) == CONFIG
    assert fake_hub.count("HEAD") == 2


@pytest.mark.parametrize("status", [500, 503])
def test_server_error(fake_hub: FakeHub, tmp_path: Path, status: int) -> None:
    fake_hub.add(make_repo(Fault("error", status=status, times=2)))
    with pytest.raises(HfHubHTTPError) as info:
        api(fake_hub).model_info(REPO_ID)
    assert type(info.value) is HfHubHTTPError
    assert info.value.response.status_code == status
    # The download's first HEAD gets the second error; hf_hub_download repeats it at once, and that passes.
    assert download(fake_hub, tmp_path).exists()
    assert fake_hub.count("HEAD") == 2


# --- transport faults -------------------------------------------------------------------------------------


def test_hang_times_out(fake_hub: FakeHub) -> None:
    fake_hub.add(make_repo(Fault("hang", seconds=3)))
    start = time.monotonic()
    with pytest.raises(httpx2.ReadTimeout):  # raw httpx2 error: model_info does not wrap it
        api(fake_hub).model_info(REPO_ID, timeout=0.5)
    assert time.monotonic() - start < 2


def test_latency(fake_hub: FakeHub) -> None:
    fake_hub.add(make_repo(Fault("latency", seconds=0.3, times=1)))
    client = api(fake_hub)
    start = time.monotonic()
    client.model_info(REPO_ID)
    assert time.monotonic() - start >= 0.3
    start = time.monotonic()
    client.model_info(REPO_ID)
    assert time.monotonic() - start < 0.3


def test_hub_wide_latency() -> None:
    with FakeHub([make_repo()], latency=0.2) as hub:
        start = time.monotonic()
        api(hub).model_info(REPO_ID)
        assert time.monotonic() - start >= 0.2


def test_truncated_body(fake_hub: FakeHub) -> None:
    fake_hub.add(make_repo(Fault("truncated")))
    with pytest.raises(httpx2.RemoteProtocolError, match="without sending complete message body"):
        api(fake_hub).model_info(REPO_ID)
    with pytest.raises(httpx2.RemoteProtocolError):  # the HEAD passes, the Range GET is cut
        api(fake_hub).get_safetensors_metadata(REPO_ID, revision=SHA)


def test_truncated_download_is_retried(fake_hub: FakeHub, tmp_path: Path) -> None:
    # http_get re-requests after a cut body (sleeping 1 s), up to 5 times, so one cut download still works.
    fake_hub.add(make_repo(Fault("truncated", times=1)))
    assert json.loads(download(fake_hub, tmp_path).read_text()) == CONFIG
    assert fake_hub.count("GET") == 2


def test_reset(fake_hub: FakeHub, tmp_path: Path) -> None:
    fake_hub.add(make_repo(Fault("reset", times=3)))
    with pytest.raises(httpx2.ReadError):
        api(fake_hub).model_info(REPO_ID)
    with pytest.raises(httpx2.ReadError):  # not caught by hf_hub_download, not retried
        download(fake_hub, tmp_path)
    with pytest.raises(httpx2.ReadError):
        api(fake_hub).get_safetensors_metadata(REPO_ID, revision=SHA)
    assert api(fake_hub).model_info(REPO_ID).sha == SHA
    assert fake_hub.errors == []


def test_stop_is_quick_and_final(tmp_path: Path) -> None:
    hub = FakeHub([make_repo(Fault("hang", seconds=30))])
    hub.start()
    with pytest.raises(httpx2.ReadTimeout):
        api(hub).model_info(REPO_ID, timeout=0.2)
    start = time.monotonic()
    hub.stop()
    assert time.monotonic() - start < 2
    with pytest.raises(httpx2.ConnectError):
        httpx2.get(f"{hub.url}/api/models/{REPO_ID}", timeout=1)


def test_fault_validation() -> None:
    with pytest.raises(ValueError):
        Fault("explode")
    with pytest.raises(ValueError):
        FakeHub([FakeRepo("a/b", "not-a-sha", {}, {})])


def test_local_entry_not_found_is_an_entry_not_found() -> None:
    # Not run against the hub (it takes 23 s): hf_hub_download on a HEAD that keeps answering 5xx retries with
    # backoff 1+2+4+8+8 s and then raises LocalEntryNotFoundError (from HfHubHTTPError), which is also an
    # EntryNotFoundError: `except EntryNotFoundError` catches a Hub outage too.
    assert issubclass(LocalEntryNotFoundError, EntryNotFoundError)
