"""Benchmarks: speed and memory are measured here (`make bench`), never in timed unit tests."""
