"""ipwire: AI intellectual-property incident intelligence from the news.

The package is the composition root: the CLI, configuration, the scheduler and the jobs
that glue ``crawler`` → ``store`` ⇄ ``nlp`` → ``reports``.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ipwire")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"

__all__ = ["__version__"]
