"""Pelican settings for the office site. `khaosan build` reads this file and
overrides PATH and OUTPUT_PATH with its staging folders: Pelican only ever
sees the items that passed the publish gate."""

AUTHOR = "งานประชาสัมพันธ์"
SITENAME = "สพป.ภูผาหมอก เขต 1"  # replaced from office.yml at build time
SITEURL = ""
TIMEZONE = "Asia/Bangkok"
DEFAULT_LANG = "th"
LOCALE = ("C.UTF-8",)

PATH = "content"
STATIC_PATHS = ["files", "images"]
ARTICLE_PATHS = ["news", "disclosures", "clippings"]
PAGE_PATHS = ["pages"]

# The item id (path under content/ without .md) is the URL: stable and readable.
ARTICLE_URL = "{slug}/"
ARTICLE_SAVE_AS = "{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
# Listings, the disclosure index and the office pages are written by Khaosan's
# plugin (workflow/edges/site/pages.py); Pelican's own index, category, tag,
# author and archive pages are off.
DIRECT_TEMPLATES: list[str] = []
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
TAG_SAVE_AS = ""
TAGS_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
SLUGIFY_SOURCE = "basename"
# One language: no translation grouping (Pelican's is quadratic in the number of items).
ARTICLE_TRANSLATION_ID = None
PAGE_TRANSLATION_ID = None

PLUGINS = ["workflow.edges.site.pelican_plugin"]
THEME = "theme"

DEFAULT_PAGINATION = 20
PAGINATED_TEMPLATES = {"list": 20}
PAGINATION_PATTERNS = [
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
]
THEME_STATIC_DIR = "theme"
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

DELETE_OUTPUT_DIRECTORY = False  # khaosan build writes a fresh staging folder and swaps it in
RELATIVE_URLS = True
CACHE_CONTENT = False

# Khaosan's reader handles .md; no other format is content here.
READERS = {"rst": None, "html": None, "htm": None}

# Every value from front matter (titles, captions, reasons) is escaped in the
# templates; the body alone is HTML, already sanitized by nh3 (workflow/edges/site/sanitize.py).
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}
