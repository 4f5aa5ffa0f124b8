"""Developer tools behind CLI verbs: the synthetic corpus for benchmarks and scale tests."""
