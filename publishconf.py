"""Settings for the published site: absolute URLs.

`khaosan build` passes office.yml's `site_url` as KHAOSAN_SITE_URL (canonical
URLs, Open Graph, feeds, sitemap.xml); the pages themselves keep relative
links so the same output works under HTTPS, a preview server, or a subfolder.
Feeds are written by Khaosan's plugin (workflow/edges/site/pages.py), not by
Pelican's FEED_* settings.
"""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: F403

SITEURL = ""
RELATIVE_URLS = True
