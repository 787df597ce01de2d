"""The views: pure functions from (entry or catalogue, locks, language) to the small frozen rows the
templates print: list pages (:mod:`.lists`), a model page (:mod:`.model`, :mod:`.hub`,
:mod:`.snippets`), reported results (:mod:`.results`, :mod:`.chart`). No I/O.
"""
