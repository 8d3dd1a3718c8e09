"""Views of the SPM fields, one module per subject (each ``urls`` module names the one it routes to)."""
