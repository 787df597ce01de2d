"""``mmcat ci``: the entries a branch changed (:mod:`.changes`), refreshed from the Hub and checked at
the config tier (:mod:`.check`), the pull-request check of the catalogue.
"""
