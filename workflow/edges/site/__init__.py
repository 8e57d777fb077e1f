"""The public website: staging, Pelican and its plugin, pages, search, sanitizing, image scrubbing, the build record."""
