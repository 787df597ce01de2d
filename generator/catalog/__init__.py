"""Stage 1, the catalogue: one pydantic schema (:mod:`.schema`, :mod:`.recipes`), YAML read with line
numbers (:mod:`.yamlfile`), every file validated and cross-checked (:mod:`.load`, :mod:`.validated`).
No I/O beyond reading ``catalog/``; no network, no torch.
"""
