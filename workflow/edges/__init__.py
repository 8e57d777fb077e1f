"""The edges: thin code that talks to one thing each (files, git, GitHub, the site, people), grouped by it."""
