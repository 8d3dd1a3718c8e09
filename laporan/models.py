"""Models of the laporan app (added by the issues that build on the foundation)."""
