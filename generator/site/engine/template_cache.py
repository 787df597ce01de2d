"""The theme's compiled Jinja templates, kept in memory for the life of the process.

The hooks set this cache on the theme's environment (:func:`.mkdocs_hooks.on_env`). It lives in a
module of its own, imported as any other: MkDocs loads the hooks file by its path, as a module apart
from the one Python imports, and whether that module is made again for each configuration is
MkDocs' choice (1.6 keeps it). Here the cache lasts for the process whatever MkDocs does, and the
hooks reach it without importing the build (:mod:`.mkdocs_build`), which imports them.
"""

from __future__ import annotations

from jinja2.bccache import BytecodeCache, Bucket


class MemoryBytecodeCache(BytecodeCache):
    """Compiled Jinja templates kept in memory for the life of the process.

    The live preview loads the MkDocs configuration, and with it a new theme environment,
    for every rebuild, and compiling Material's templates again was a large part of a dirty
    build. Jinja checks each cached entry against its template's source, so a changed
    template is compiled again.
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


# Set on the theme's environment by the hooks (:func:`generator.site.engine.mkdocs_hooks.on_env`).
TEMPLATES = MemoryBytecodeCache()
