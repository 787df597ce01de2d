"""The machine-written locks in ``catalog/lock/``: their typed shapes (:mod:`.schema`), the one reader and
writer of each file (:mod:`.files`), and the checks of hand-recorded claims against computed ones
(:mod:`.audit`).
"""
