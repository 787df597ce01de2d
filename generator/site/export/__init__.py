"""The catalogue as data (:mod:`.api`): ``models.json`` with its JSON Schema and ``models.csv``, built
into ``site/api/`` and written anywhere by ``mmcat export``.
"""
