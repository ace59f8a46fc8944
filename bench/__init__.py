"""Benchmarks of the build and the site (bench/bench.py); bench.weights is importable by tests."""
