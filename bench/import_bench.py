"""Time `khaosan import wordpress` on the test fixture and on a generated export of N posts.

    .venv/bin/python bench/import_bench.py                # N = 2,000, best of 3
    .venv/bin/python bench/import_bench.py --posts 500 --repeat 1

The generated export is laid out as WordPress 6 writes WXR 1.2: Gutenberg posts of
three to eight Thai paragraphs with a heading, a list, an image block (a resized
copy whose original is in the uploads folder: 16x16 JPEGs with GPS), every tenth
post with a [caption] and an [embed], every twentieth a script and an iframe, every
fiftieth a draft, and one attachment item per image. Each run imports into a fresh
copy of the project (office.yml, schemas) as a subprocess, wall clock; then
`khaosan check` runs once on the result (it must pass) and is timed too.
Not a test: numbers for the README and the report.
"""

from __future__ import annotations

import argparse
import io
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
FIXTURE = PROJECT / "tests" / "fixtures" / "wordpress" / "export.xml"
NOW = "2026-11-25T12:00:00+07:00"
WORDS = [
    "สำนักงานเขตพื้นที่การศึกษา",
    "ผู้บริหารสถานศึกษา",
    "ประชุม",
    "นักเรียน",
    "ครู",
    "โรงเรียน",
    "โครงการ",
    "อาหารกลางวัน",
    "การพัฒนาคุณภาพการศึกษา",
    "ภาษาไทย",
    "คณิตศาสตร์",
    "ลงพื้นที่",
    "ติดตาม",
    "ประเมินผล",
    "ปีการศึกษา",
    "2568",
    "นโยบาย",
]


def jpeg(seed: int) -> bytes:
    from PIL import Image

    image = Image.new("RGB", (16, 16), (seed % 256, 80, 120))
    exif = Image.Exif()
    exif.get_ifd(0x8825)[1] = "N"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def paragraph(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 40)))


def post_content(n: int, rng: random.Random, image: str) -> str:
    blocks = [
        f"<!-- wp:paragraph -->\n<p>{paragraph(rng)}</p>\n<!-- /wp:paragraph -->" for _ in range(rng.randint(3, 8))
    ]
    blocks.insert(1, "<!-- wp:heading -->\n<h2>ประเด็นสำคัญ</h2>\n<!-- /wp:heading -->")
    blocks.insert(2, "<!-- wp:list -->\n<ul><li>" + "</li><li>".join(WORDS[:3]) + "</li></ul>\n<!-- /wp:list -->")
    sized = image.replace(".jpg", "-1024x768.jpg")
    blocks.append(
        f'<!-- wp:image {{"id":{n + 100000}}} -->\n<figure class="wp-block-image"><img src="{sized}" alt=""/>'
        f"<figcaption>ภาพกิจกรรมที่ {n}</figcaption></figure>\n<!-- /wp:image -->"
    )
    if n % 10 == 0:
        blocks.append(f'[caption id="c{n}"]<img src="{image}" alt="ภาพ {n}"> คำบรรยาย {n}[/caption]')
        blocks.append("[embed]https://www.youtube.com/watch?v=x[/embed]")
    if n % 20 == 0:
        blocks.append('<script>alert(1)</script><iframe src="https://www.youtube.com/embed/x" onload="t()"></iframe>')
    return "\n\n".join(blocks)


def item(n: int, rng: random.Random, site: str) -> tuple[str, str]:
    day = f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}"
    image = f"{site}/wp-content/uploads/{day[:4]}/{day[5:7]}/photo-{n}.jpg"
    status = "draft" if n % 50 == 0 else "publish"
    post = f"""	<item>
		<title><![CDATA[ข่าวที่ {n}: {" ".join(rng.choice(WORDS) for _ in range(6))}]]></title>
		<link>{site}/{day.replace("-", "/")}/news-{n}/</link>
		<dc:creator><![CDATA[prnews]]></dc:creator>
		<content:encoded><![CDATA[{post_content(n, rng, image)}]]></content:encoded>
		<excerpt:encoded><![CDATA[]]></excerpt:encoded>
		<wp:post_id>{n}</wp:post_id>
		<wp:post_date><![CDATA[{day} 10:00:00]]></wp:post_date>
		<wp:post_date_gmt><![CDATA[{day} 03:00:00]]></wp:post_date_gmt>
		<wp:post_name><![CDATA[news-{n}]]></wp:post_name>
		<wp:status><![CDATA[{status}]]></wp:status>
		<wp:post_parent>0</wp:post_parent>
		<wp:post_type><![CDATA[post]]></wp:post_type>
		<wp:post_password><![CDATA[]]></wp:post_password>
		<category domain="category" nicename="news"><![CDATA[ข่าวประชาสัมพันธ์]]></category>
	</item>
	<item>
		<title><![CDATA[photo-{n}]]></title>
		<wp:post_id>{n + 100000}</wp:post_id>
		<wp:status><![CDATA[inherit]]></wp:status>
		<wp:post_parent>{n}</wp:post_parent>
		<wp:post_type><![CDATA[attachment]]></wp:post_type>
		<wp:attachment_url><![CDATA[{image}]]></wp:attachment_url>
	</item>
"""
    return post, image.split("/wp-content/uploads/", 1)[1]


def generate(folder: Path, posts: int) -> tuple[Path, Path]:
    rng = random.Random(14)
    site = "https://old.bench.example"
    uploads = folder / "uploads"
    parts = []
    for n in range(1, posts + 1):
        text, upload = item(n, rng, site)
        parts.append(text)
        target = uploads / upload
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(jpeg(n))
    export = folder / "export.xml"
    export.write_text(
        '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"'
        ' xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n\t<title>เว็บไซต์ทดสอบ</title>\n'
        f"\t<link>{site}</link>\n\t<language>th</language>\n\t<wp:wxr_version>1.2</wp:wxr_version>\n"
        + "".join(parts)
        + "</channel>\n</rss>\n",
        encoding="utf-8",
    )
    return export, uploads


def fresh_repository(folder: Path) -> Path:
    root = folder / "repo"
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    shutil.copy(PROJECT / "office.yml", root / "office.yml")
    shutil.copytree(PROJECT / "schemas", root / "schemas")
    return root


def timed(argv: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(argv)} exited {done.returncode}:\n{done.stderr[-2000:]}")
    return elapsed


def bench(label: str, export: Path, uploads: Path | None, folder: Path, repeat: int) -> None:
    khaosan = [sys.executable, "-m", "workflow"]
    runs = []
    for _ in range(repeat):
        root = fresh_repository(folder)
        argv = [*khaosan, "import", "wordpress", str(export), "--root", str(root), "--now", NOW]
        runs.append(timed([*argv, "--uploads", str(uploads)] if uploads else argv))
    items = len(list((root / "content" / "news").rglob("*.md")))
    check = timed([*khaosan, "check", "--root", str(root), "--now", NOW])
    print(
        f"| {label} | {export.stat().st_size / 1e6:.1f} MB | {items} | {min(runs):.2f} s | "
        f"{statistics.median(runs):.2f} s | {check:.2f} s |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="khaosan-import-bench-") as tmp:
        folder = Path(tmp)
        sys.path.insert(0, str(PROJECT / "tests"))
        from support.wordpress import make_uploads

        print("| export | size | items written | import best | import median | check after |")
        print("|---|---:|---:|---:|---:|---:|")
        bench("test fixture (tests/fixtures/wordpress)", FIXTURE, make_uploads(folder / "fixture"), folder, args.repeat)
        export, uploads = generate(folder / "generated", args.posts)
        bench(f"generated, {args.posts:,} posts", export, uploads, folder, args.repeat)


if __name__ == "__main__":
    main()
