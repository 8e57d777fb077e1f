"""Settings for the published site: absolute URLs and feeds."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

SITEURL = ""  # taken from office.yml's site_url by khaosan build --publish-url
RELATIVE_URLS = False
FEED_ALL_ATOM = "feeds/all.atom.xml"
