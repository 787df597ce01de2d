"""A small local stand-in for the Hugging Face Hub, for testing against the real `huggingface_hub` client.

It serves just enough of the Hub for these client calls to work against ``FakeHub.url``:

* ``HfApi(endpoint=url).model_info(repo_id, revision=...)``
  -> ``GET /api/models/{repo_id}`` and ``GET /api/models/{repo_id}/revision/{revision}``
* ``hf_hub_download(repo_id, filename, revision=..., endpoint=url, cache_dir=...)``
  -> ``HEAD`` then ``GET /{repo_id}/resolve/{revision}/{filename}``
* ``HfApi(endpoint=url).get_safetensors_metadata(repo_id, revision=...)`` and ``file_exists``
  -> ``HEAD`` then ``GET`` with ``Range: bytes=0-100000`` on ``/{repo_id}/resolve/...``

Errors are shaped the way the client reads them: a status code, an ``X-Error-Code`` header
(``RepoNotFound``, ``RevisionNotFound``, ``EntryNotFound``, ``GatedRepo``), an ``X-Error-Message`` header
and a JSON ``{"error": ...}`` body.  ``huggingface_hub.utils.hf_raise_for_status`` maps the error code,
not the status, to ``RepositoryNotFoundError`` / ``RevisionNotFoundError`` / ``RemoteEntryNotFoundError`` /
``GatedRepoError``; everything else becomes a plain ``HfHubHTTPError``.

Faults (``Fault``) can be injected per repo; each request for the repo that a fault applies to uses up one
of its ``times`` (``-1`` = never used up).  Kinds:

* ``not_found``: 404 ``RepoNotFound``;  ``revision_not_found``: 404 ``RevisionNotFound``
* ``gated``: 401 ``GatedRepo`` without an ``Authorization`` header, 403 with one (like the Hub)
* ``rate_limit``: 429 with ``Retry-After`` (whole seconds, rounded up: the client only reads digits)
  and the Hub's ``RateLimit`` / ``RateLimit-Policy`` headers
* ``error``: ``Fault.status`` (500, 502, 503, ...) with a JSON error body
* ``hang`` / ``latency``: sleep ``Fault.seconds``, then answer normally (``stop()`` cuts the sleep short)
* ``truncated``: GET only (a HEAD has no body to cut, and does not use up ``times``): full headers and
  ``Content-Length``, half of the body, then the connection is closed
* ``reset``: the socket is closed with ``SO_LINGER`` 0 (a TCP RST) before any byte of a response is sent

``Fault.only`` narrows a fault to ``"api"`` (``/api/...``) or ``"file"`` (``/resolve/...``) requests.  On
the real Hub a gated repo's ``model_info`` answers 200 (with ``"gated": "auto"|"manual"``) and only its
files answer ``GatedRepo``: ``Fault("gated", only="file")`` with ``info={"gated": "manual"}`` models that.

The server speaks HTTP/1.1 but closes every connection after one response, so that a stopped hub is
really gone for the client's connection pool.  ``FakeHub.requests`` logs ``(method, path)`` of every
request (path without the query string); ``FakeHub.errors`` collects tracebacks of bugs in this server
(which are also answered as a 500 with the traceback as body).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import socket
import socketserver
import struct
import threading
import traceback
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

__all__ = ["FakeHub", "FakeRepo", "Fault", "make_safetensors"]

FAULT_KINDS = frozenset(
    {
        "not_found",
        "gated",
        "rate_limit",
        "error",
        "hang",
        "truncated",
        "reset",
        "latency",
        "revision_not_found",
    }
)

# Bytes per element of each safetensors dtype.
DTYPE_SIZES: dict[str, int] = {
    "BOOL": 1,
    "U8": 1,
    "I8": 1,
    "F8_E4M3": 1,
    "F8_E5M2": 1,
    "U16": 2,
    "I16": 2,
    "F16": 2,
    "BF16": 2,
    "U32": 4,
    "I32": 4,
    "F32": 4,
    "U64": 8,
    "I64": 8,
    "F64": 8,
}

# Files the Hub would store with LFS: their HEAD also carries X-Linked-Etag / X-Linked-Size.
LFS_SUFFIXES = (".safetensors", ".bin", ".pt", ".pth", ".ckpt", ".onnx", ".gguf", ".h5", ".msgpack", ".npz")

DEFAULT_LAST_MODIFIED = "2024-01-01T00:00:00.000Z"


@dataclass
class Fault:
    """A fault injected into every request for one repo, ``times`` times (``-1``: for ever)."""

    kind: str
    times: int = -1
    retry_after: float = 0
    status: int = 500
    seconds: float = 0
    only: str | None = None  # None: every request; "api": /api/... only; "file": /resolve/... only

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; expected one of {sorted(FAULT_KINDS)}")
        if self.only not in (None, "api", "file"):
            raise ValueError(f"Fault.only must be None, 'api' or 'file', not {self.only!r}")


@dataclass
class FakeRepo:
    """One model repo: a single commit ``sha`` (``main`` resolves to it) holding ``files``."""

    repo_id: str
    sha: str
    files: dict[str, bytes] = field(default_factory=dict)
    info: dict[str, Any] = field(default_factory=dict)
    fault: Fault | None = None


def make_safetensors(
    tensors: dict[str, tuple[str, list[int]]], metadata: dict[str, str] | None = None
) -> bytes:
    """A valid safetensors file: 8-byte little-endian header length, JSON header, zeroed tensor data.

    ``tensors`` maps a name to ``(dtype, shape)``, e.g. ``{"w": ("F32", [384, 384])}``.
    """
    header: dict[str, Any] = {}
    if metadata is not None:
        header["__metadata__"] = metadata
    offset = 0
    for name, (dtype, shape) in tensors.items():
        if dtype not in DTYPE_SIZES:
            raise ValueError(f"unknown safetensors dtype {dtype!r}")
        size = math.prod(shape) * DTYPE_SIZES[dtype]
        header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [offset, offset + size]}
        offset += size
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)  # the format pads the header with spaces to an 8-byte boundary
    return struct.pack("<Q", len(raw)) + raw + bytes(offset)


def safetensors_parameters(data: bytes) -> dict[str, int] | None:
    """Parameter count per dtype from a safetensors file's header, or None if it is not one."""
    if len(data) < 8:
        return None
    (length,) = struct.unpack("<Q", data[:8])
    try:
        header = json.loads(data[8 : 8 + length])
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(header, dict):
        return None
    counts: dict[str, int] = {}
    for name, tensor in header.items():
        if name == "__metadata__" or not isinstance(tensor, dict):
            continue
        counts[tensor["dtype"]] = counts.get(tensor["dtype"], 0) + math.prod(tensor["shape"])
    return counts


class _Abort(Exception):
    """Raised by the handler to drop the connection without any (further) response."""


class _Reply(Exception):
    """An HTTP error answer, raised from anywhere in the request handling."""

    def __init__(
        self, status: int, message: str, code: str | None = None, headers: dict[str, str] | None = None
    ):
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.headers = headers or {}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, hub: FakeHub) -> None:
        self.hub = hub
        super().__init__(("127.0.0.1", 0), _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind calls socket.getfqdn(), a reverse DNS lookup that can stall without network.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # connection errors are expected (faults, clients timing out); server bugs go to hub.errors


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in separate writes: no 40 ms delayed-ACK stalls
    server: _Server

    # --- plumbing -----------------------------------------------------------------------------------------

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def handle(self) -> None:
        # Swallowed: we dropped the connection on purpose, or the client gave up on it (timeout, stop()).
        with contextlib.suppress(_Abort, OSError, ValueError):
            super().handle()

    def do_GET(self) -> None:
        self._dispatch()

    def do_HEAD(self) -> None:
        self._dispatch()

    def _dispatch(self) -> None:
        self.close_connection = not self.server.hub.keep_alive
        self._headers_sent = False
        hub = self.server.hub
        path = urlsplit(self.path).path
        hub._log(self.command, path)
        try:
            self._route(hub, path)
        except _Reply as reply:
            self._error(reply)
        except (_Abort, ConnectionError, TimeoutError):
            raise
        except Exception:
            text = traceback.format_exc()
            hub._record_error(f"{self.command} {self.path}\n{text}")
            if not self._headers_sent:
                self._send(500, {"Content-Type": "text/plain; charset=utf-8"}, text.encode())

    def _send(self, status: int, headers: dict[str, str], body: bytes, *, truncate: bool = False) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        if truncate:
            self.close_connection = True
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self._headers_sent = True
        if self.command != "HEAD":
            self.wfile.write(body[: len(body) // 2] if truncate else body)
        self.wfile.flush()

    def _json(
        self, status: int, payload: Any, headers: dict[str, str] | None = None, truncate: bool = False
    ) -> None:
        body = json.dumps(payload).encode()
        self._send(
            status,
            {"Content-Type": "application/json; charset=utf-8", **(headers or {})},
            body,
            truncate=truncate,
        )

    def _error(self, reply: _Reply) -> None:
        headers = dict(reply.headers)
        if reply.code is not None:
            headers["X-Error-Code"] = reply.code
        headers["X-Error-Message"] = reply.message
        self._json(reply.status, {"error": reply.message}, headers)

    def _reset(self) -> None:
        """Close the socket at once with a TCP RST, without sending a byte."""
        sock = self.connection
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        for stream in (self.rfile, self.wfile):
            with contextlib.suppress(OSError):
                stream.close()
        sock.close()
        raise _Abort

    # --- routing ------------------------------------------------------------------------------------------

    def _route(self, hub: FakeHub, path: str) -> None:
        parts = [unquote(p) for p in path.split("/")[1:]]
        if len(parts) >= 3 and parts[0] == "api" and parts[1] == "models":
            repo_id, rest = hub._match(parts[2:])
            repo = hub._repo(repo_id)
            truncate = self._apply_fault(hub, repo, "api")
            if not rest:
                self._model_info(repo, "main", truncate)
            elif len(rest) == 2 and rest[0] == "revision":
                self._model_info(repo, rest[1], truncate)
            else:
                raise _Reply(404, f"Cannot GET {path}")
            return
        if "resolve" in parts[1:3]:
            index = parts.index("resolve", 1)
            repo = hub._repo("/".join(parts[:index]))
            truncate = self._apply_fault(hub, repo, "file")
            if len(parts) < index + 3 or not parts[-1]:
                raise _Reply(404, f"Cannot {self.command} {path}")
            self._resolve(repo, parts[index + 1], "/".join(parts[index + 2 :]), truncate)
            return
        raise _Reply(404, f"Cannot {self.command} {path}")

    def _apply_fault(self, hub: FakeHub, repo: FakeRepo, area: str) -> bool:
        """Act out the repo's fault, if it applies to this request. True: truncate the body."""
        hub._sleep(hub.latency)
        fault = hub._take_fault(repo, area, self.command)
        if fault is None:
            return False
        kind = fault.kind
        if kind in ("hang", "latency"):
            hub._sleep(fault.seconds)
            return False
        if kind == "truncated":
            return True
        if kind == "reset":
            self._reset()
        if kind == "not_found":
            raise _repo_not_found(repo.repo_id)
        if kind == "revision_not_found":
            raise _Reply(404, f"Invalid rev id: {self._revision_hint()}", "RevisionNotFound")
        if kind == "gated":
            if self.headers.get("Authorization"):
                message = (
                    f"Access to model {repo.repo_id} is restricted and you are not in the authorized list. "
                    f"Visit https://huggingface.co/{repo.repo_id} to ask for access."
                )
                raise _Reply(403, message, "GatedRepo")
            message = (
                f"Access to model {repo.repo_id} is restricted. You must have access to it and be "
                "authenticated to access it. Please log in."
            )
            raise _Reply(401, message, "GatedRepo")
        if kind == "rate_limit":
            wait = max(0, math.ceil(fault.retry_after))
            headers = {
                "Retry-After": str(wait),
                "RateLimit": f'"api";r=0;t={wait}',
                "RateLimit-Policy": '"fixed window";"api";q=500;w=300',
            }
            raise _Reply(
                429, "You have exceeded the rate limit for requests. Please retry later.", None, headers
            )
        if kind == "error":
            raise _Reply(fault.status, "Internal Error - We're working hard to fix this as soon as possible!")
        raise AssertionError(f"unhandled fault kind {kind!r}")

    def _revision_hint(self) -> str:
        parts = [unquote(p) for p in urlsplit(self.path).path.split("/")]
        for marker in ("revision", "resolve"):
            if marker in parts and parts.index(marker) + 1 < len(parts):
                return parts[parts.index(marker) + 1]
        return "main"

    @staticmethod
    def _check_revision(repo: FakeRepo, revision: str) -> None:
        if revision not in ("main", repo.sha):
            raise _Reply(404, f"Invalid rev id: {revision}", "RevisionNotFound")

    # --- endpoints ----------------------------------------------------------------------------------------

    def _model_info(self, repo: FakeRepo, revision: str, truncate: bool) -> None:
        self._check_revision(repo, revision)
        self._json(200, model_info_payload(repo), truncate=truncate)

    def _resolve(self, repo: FakeRepo, revision: str, filename: str, truncate: bool) -> None:
        self._check_revision(repo, revision)
        if filename not in repo.files:
            raise _Reply(
                404,
                f"Entry not found: {filename}",
                "EntryNotFound",
                {"X-Repo-Commit": repo.sha},
            )
        data = repo.files[filename]
        etag = hashlib.sha256(data).hexdigest()
        headers = {
            "Content-Type": "application/octet-stream",
            "X-Repo-Commit": repo.sha,
            "ETag": f'"{etag}"',
            "Accept-Ranges": "bytes",
        }
        if filename.endswith(LFS_SUFFIXES):
            headers["X-Linked-Etag"] = f'"{etag}"'
            headers["X-Linked-Size"] = str(len(data))
        status = 200
        range_header = self.headers.get("Range")
        if range_header and self.command == "GET":
            span = _parse_range(range_header, len(data))
            if span is None:
                raise _Reply(
                    416, "Requested range not satisfiable", None, {"Content-Range": f"bytes */{len(data)}"}
                )
            start, end = span
            headers["Content-Range"] = f"bytes {start}-{end}/{len(data)}"
            data = data[start : end + 1]
            status = 206
        self._send(status, headers, data, truncate=truncate)


def _repo_not_found(repo_id: str) -> _Reply:
    return _Reply(404, f"Repository not found: {repo_id}", "RepoNotFound")


def _parse_range(header: str, size: int) -> tuple[int, int] | None:
    """Inclusive (start, end) of a ``bytes=a-b``, ``bytes=a-`` or ``bytes=-n`` range; None: unsatisfiable."""
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None
    first, _, last = spec.strip().partition("-")
    try:
        if not first:  # suffix: the last n bytes
            n = int(last)
            if n <= 0 or size == 0:
                return None
            return max(0, size - n), size - 1
        start = int(first)
        end = int(last) if last else size - 1
    except ValueError:
        return None
    if start >= size or end < start:
        return None
    return start, min(end, size - 1)


def model_info_payload(repo: FakeRepo) -> dict[str, Any]:
    """The JSON the Hub answers for ``GET /api/models/{repo_id}``, ``repo.info`` merged over the defaults."""
    payload: dict[str, Any] = {
        "_id": hashlib.sha1(repo.repo_id.encode()).hexdigest()[:24],
        "id": repo.repo_id,
        "modelId": repo.repo_id,
        "author": repo.repo_id.split("/")[0] if "/" in repo.repo_id else None,
        "sha": repo.sha,
        "lastModified": DEFAULT_LAST_MODIFIED,
        "createdAt": DEFAULT_LAST_MODIFIED,
        "private": False,
        "disabled": False,
        "gated": False,
        "downloads": 0,
        "likes": 0,
        "tags": [],
        "pipeline_tag": None,
        "library_name": None,
        "cardData": None,
        "siblings": [{"rfilename": name} for name in repo.files],
    }
    counts: dict[str, int] = {}
    for name, data in repo.files.items():
        if name.endswith(".safetensors"):
            for dtype, n in (safetensors_parameters(data) or {}).items():
                counts[dtype] = counts.get(dtype, 0) + n
    if counts:
        payload["safetensors"] = {"parameters": counts, "total": sum(counts.values())}
    payload.update(repo.info)
    return payload


class FakeHub:
    """A local Hub on ``http://127.0.0.1:PORT``; also a context manager (start on enter, stop on exit)."""

    def __init__(
        self, repos: list[FakeRepo] | None = None, latency: float = 0.0, keep_alive: bool = False
    ) -> None:
        self.latency = latency
        # Tests close every connection after one response, so a stopped hub is really gone; the benchmark
        # keeps connections alive as the real Hub does.
        self.keep_alive = keep_alive
        self.url = ""
        self.requests: list[tuple[str, str]] = []
        self.errors: list[str] = []
        self._repos: dict[str, FakeRepo] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        for repo in repos or []:
            self.add(repo)

    # --- public API ---------------------------------------------------------------------------------------

    def add(self, repo: FakeRepo) -> None:
        if len(repo.sha) != 40 or any(c not in "0123456789abcdef" for c in repo.sha):
            raise ValueError(f"sha of {repo.repo_id} must be 40 lowercase hex digits, not {repo.sha!r}")
        with self._lock:
            self._repos[repo.repo_id] = repo

    def start(self) -> None:
        if self._server is not None:
            return
        self._stop.clear()
        self._server = _Server(self)
        host, port = self._server.server_address[:2]
        self.url = f"http://{host!s}:{port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-hub", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()  # wakes requests sleeping in a hang / latency fault
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def count(self, method: str | None = None, contains: str = "") -> int:
        """How many logged requests match ``method`` (any if None) and have ``contains`` in their path."""
        with self._lock:
            return sum(1 for m, p in self.requests if (method is None or m == method) and contains in p)

    def __enter__(self) -> FakeHub:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- used by the handler ------------------------------------------------------------------------------

    def _log(self, method: str, path: str) -> None:
        with self._lock:
            self.requests.append((method, path))

    def _record_error(self, text: str) -> None:
        with self._lock:
            self.errors.append(text)

    def _sleep(self, seconds: float) -> None:
        if seconds > 0:
            self._stop.wait(seconds)

    def _match(self, parts: list[str]) -> tuple[str, list[str]]:
        """Split ``org/name/rest...`` (``name/rest...`` for a known un-namespaced repo) into repo id, rest."""
        with self._lock:
            if len(parts) >= 2 and f"{parts[0]}/{parts[1]}" in self._repos:
                return f"{parts[0]}/{parts[1]}", parts[2:]
            if parts[0] in self._repos:
                return parts[0], parts[1:]
        return "/".join(parts[:2]), parts[2:]

    def _repo(self, repo_id: str) -> FakeRepo:
        with self._lock:
            repo = self._repos.get(repo_id)
        if repo is None:
            raise _repo_not_found(repo_id)
        return repo

    def _take_fault(self, repo: FakeRepo, area: str, method: str) -> Fault | None:
        """The fault this request should suffer, using up one of its ``times``; None if it behaves."""
        with self._lock:
            fault = repo.fault
            if fault is None or fault.times == 0:
                return None
            if fault.only is not None and fault.only != area:
                return None
            if fault.kind == "truncated" and method != "GET":
                return None
            if fault.times > 0:
                fault.times -= 1
            return fault
