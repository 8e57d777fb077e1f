"""The pure core: parse, validate and compute on data; no disk, git, network or clock of its own."""
