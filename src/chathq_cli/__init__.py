"""portal: the administrative command line of the ChatHQ portal."""

__version__ = "0.1.0"
# Where bugs are reported: pyproject's [project.urls] "Issues" (a test holds them equal); named
# by `portal --help` and by the error boundary's "unexpected error", even when nothing else
# imports.
ISSUES_URL = "https://github.com/chathq/chathq-cli/issues"
