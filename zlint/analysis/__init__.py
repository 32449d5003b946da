"""Static analysis of Python code: URL folding, call detection and response flow, on LibCST."""
