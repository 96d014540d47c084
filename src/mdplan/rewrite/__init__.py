"""Writing documents back: ``fmt``, ``sync`` and the safe write path."""
