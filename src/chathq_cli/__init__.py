"""portal: the administrative command line of the ChatHQ portal."""

__version__ = "0.1.0"
