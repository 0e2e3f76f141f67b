"""Runs: one prompt over many pages or images, on the server (README.md)."""
