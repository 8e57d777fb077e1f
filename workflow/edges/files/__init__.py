"""Files in the repository on disk: finding items, reading bytes, writing atomically, looking inside attachments.

The ground every other edge stands on (with `edges.kept` and `edges.parallel`).
"""
