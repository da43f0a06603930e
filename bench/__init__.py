"""Benchmarks, evaluations and their shared support (the scale trials' generated data, scorers).

Run a script from the repository root as ``python bench/NAME.py`` or ``python -m bench.NAME``;
the tests import the shared modules as ``bench.NAME``.
"""
