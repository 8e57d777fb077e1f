"""Git: the main branch's first-parent log and blobs, read into commit records for the core's publication rule."""
