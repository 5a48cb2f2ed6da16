"""Benchmarks at national scale: a data generator and a load test (see bench/README.md)."""
