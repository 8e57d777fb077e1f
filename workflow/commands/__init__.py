"""One verb a file: wiring between the command line, the edges and the core."""
