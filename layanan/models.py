"""Models of the layanan app (added by the issues that build on the foundation)."""
