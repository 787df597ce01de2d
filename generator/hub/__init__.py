"""Stage 2, the Hub: the only client of the Hugging Face Hub (:mod:`.client`) and ``mmcat refresh``
(:mod:`.refresh`), which records snapshots in ``catalog/lock/hub.json``.
"""
