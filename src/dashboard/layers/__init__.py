"""Bring your own data: the data-layer format, its template, its checks, and joining a checked
layer to a bundle (docs/own-data.md)."""
