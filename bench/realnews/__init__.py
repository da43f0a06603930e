"""Tools of the real-news development set (see README.md in this folder)."""
