"""Helpers for the tests and the benchmarks, never used by the pipeline itself.

:mod:`generator.testing.hubserver` is a local stand-in for the Hugging Face Hub that the real
``huggingface_hub`` client talks to; :mod:`generator.testing.synthetic` writes throw-away
catalogues of N models.
"""
