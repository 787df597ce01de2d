"""The build: ``mmcat build`` and ``mmcat serve`` (:mod:`.build`), ``mkdocs build --strict`` of both
languages at once (:mod:`.mkdocs_build`) with the hooks it passes to MkDocs (:mod:`.mkdocs_hooks`)
and the theme's compiled templates they keep (:mod:`.template_cache`), the chrome written once
for the site instead of into every page (:mod:`.chrome`), the skip of an unchanged
build (:mod:`.buildstamp`) and the atomic swap of the published site (:mod:`.publish`).
"""
