"""Models of the kader app (added by the issues that build on the foundation)."""
