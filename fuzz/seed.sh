#!/usr/bin/env bash
# Builds the seed corpora fuzz/corpus/<target>/ from the repository's own fixtures
# (samples/own, a few lines of samples/wikinews, ../shared/seeds when present) and small
# generated samples. Never copies ../shared/data. Idempotent: existing files are kept, so
# corpora grown by earlier runs survive.
#
#   fuzz/seed.sh            all targets
#   fuzz/seed.sh warc feed  some targets
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
all=(html text jsonl gzip feed warc api_query api_body)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")
for t in "${targets[@]}"; do
    case " ${all[*]} " in *" $t "*) ;; *) echo "seed.sh: unknown target $t" >&2; exit 2 ;; esac
done
exec python3 - "$root" "${targets[@]}" <<'PY'
import gzip, hashlib, json, os, sys
root, targets = sys.argv[1], sys.argv[2:]
corpus = os.path.join(root, "fuzz", "corpus")
samples = os.path.join(root, "samples")
shared_seeds = os.path.join(os.path.dirname(root), "shared", "seeds")

def read(*p):
    with open(os.path.join(*p), "rb") as f:
        return f.read()

def gz(b):
    return gzip.compress(b, mtime=0)

def jsonl_lines(limit=12, max_bytes=6000):
    """Lines of the repository's JSONL samples (own, then the first Wikinews ones)."""
    out = []
    for p in (("own", "council-and-sport.jsonl"), ("wikinews", "wikinews-meantime.jsonl")):
        for line in read(samples, *p).splitlines():
            if line.strip() and len(line) <= max_bytes:
                out.append(line)
            if len(out) >= limit:
                return out
    return out

html_pages = [read(samples, "own", "harbor-strike.html"),
              gzip.decompress(read(samples, "own", "heatwave.html.gz")),
              b"<!doctype html><html lang=en><head><meta charset=windows-1252><title>T</title>"
              b"<meta property='article:published_time' content='2021-03-04'></head><body><article>"
              b"<h1>Caf\xe9 strike</h1><p>MOSCOW, March 4 (Wire) - Workers struck.</p></article></body></html>"]
texts = [read(samples, "own", "harbor-strike-wire.txt"), b" date 2017-01-04 Russia\nTitle\n\nBody text."]
if os.path.isdir(shared_seeds):
    texts += [read(shared_seeds, n) for n in sorted(os.listdir(shared_seeds)) if n.endswith(".txt")]

def http_response(body, headers=b"Content-Type: text/html; charset=utf-8\r\n", status=b"200 OK"):
    return b"HTTP/1.1 " + status + b"\r\n" + headers + b"\r\n" + body

def warc_record(kind, block, extra=b""):
    head = (b"WARC/1.0\r\nWARC-Type: " + kind + b"\r\nWARC-Record-ID: <urn:uuid:" + hashlib.md5(block).hexdigest().encode()
            + b">\r\nWARC-Date: 2021-03-04T10:00:00Z\r\nWARC-Target-URI: https://www.news.example/2021/03/04/story\r\n"
            + extra + b"Content-Length: " + str(len(block)).encode() + b"\r\n\r\n")
    return head + block + b"\r\n\r\n"

def chunked(body, size=100):
    out = b""
    for i in range(0, len(body), size):
        part = body[i:i + size]
        out += b"%x\r\n" % len(part) + part + b"\r\n"
    return out + b"0\r\n\r\n"

def warc_samples():
    page = html_pages[0]
    info = warc_record(b"warcinfo", b"software: seed\r\nformat: WARC File Format 1.0\r\n",
                       b"Content-Type: application/warc-fields\r\n")
    resp = warc_record(b"response", http_response(page), b"Content-Type: application/http; msgtype=response\r\n")
    req = warc_record(b"request", b"GET /2021/03/04/story HTTP/1.1\r\nHost: www.news.example\r\n\r\n")
    zipped = warc_record(b"response", http_response(gz(html_pages[2]),
                         b"Content-Type: text/html\r\nContent-Encoding: gzip\r\nDate: Thu, 04 Mar 2021 10:00:00 GMT\r\n"))
    chunk = warc_record(b"response", http_response(chunked(html_pages[2]),
                        b"Content-Type: text/html; charset=windows-1252\r\nTransfer-Encoding: chunked\r\n"))
    res = warc_record(b"resource", html_pages[2], b"Content-Type: text/html\r\n")
    notfound = warc_record(b"response", http_response(b"<html>gone</html>", status=b"404 Not Found"))
    revisit = warc_record(b"revisit", b"HTTP/1.1 304 Not Modified\r\n\r\n", b"WARC-Profile: x\r\n")
    plain = info + req + resp + zipped + chunk + res + notfound + revisit
    per_member = b"".join(gz(r) for r in (info, req, resp, chunk, notfound))
    cut = per_member[:len(per_member) - 40] + gz(res)
    return {"plain.warc": plain, "small.warc": info + res, "members.warc.gz": per_member,
            "cut-member.warc.gz": cut, "whole.warc.gz": gz(info + res + zipped),
            "bare-newlines.warc": (info + res).replace(b"\r\n", b"\n")}

feeds = {
    "rss.xml": b"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><language>en</language>
<item><guid isPermaLink="false">g-1</guid><title>First</title><link>/a/1.html</link>
<pubDate>Thu, 03 Dec 2026 10:00:00 GMT</pubDate><description>&lt;p&gt;Body one is long enough to be used as the page when the page fails to load.&lt;/p&gt;</description></item>
<item><title>No guid</title><link>http://news.test/a/2.html</link><content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/"><![CDATA[<p>Content</p>]]></content:encoded></item>
</channel></rss>""",
    "rdf.xml": b"""<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="http://news.test/"><title>R</title><link>http://news.test/</link></channel>
<item rdf:about="http://news.test/r1"><title>R1</title><link>http://news.test/r1</link><dc:date>2026-12-03T10:00:00Z</dc:date></item></rdf:RDF>""",
    "atom.xml": b"""<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de"><title>A</title><id>urn:f</id><updated>2026-12-03T10:00:00Z</updated>
<entry><id>urn:e1</id><title type="html">E1 &amp;amp; more</title><link rel="alternate" href="http://news.test/e1"/><link rel="enclosure" href="/x.mp3"/>
<updated>2026-12-03T09:00:00Z</updated><published>2026-12-03T08:00:00+01:00</published><summary>Summary</summary><content type="html">&lt;p&gt;Body&lt;/p&gt;</content></entry></feed>""",
    "feed.json": json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "J", "language": "en", "items": [
        {"id": "j1", "url": "http://news.test/j1", "title": "J1", "content_html": "<p>x</p>", "date_published": "2026-12-03T08:00:00Z"},
        {"id": "j2", "external_url": "/j2", "content_text": "plain", "summary": "s", "date_modified": "2026-12-03"}]}).encode(),
    "news-sitemap.xml": b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>http://news.test/s/1</loc><news:news><news:publication><news:name>The Test Times</news:name><news:language>en</news:language></news:publication>
<news:publication_date>2026-12-03T10:00:00+00:00</news:publication_date><news:title>Rates &amp; prices</news:title></news:news></url>
<url><loc>javascript:alert(1)</loc></url><url><loc><![CDATA[http://news.test/s/2]]></loc><lastmod>2026-12-02</lastmod></url></urlset>""",
    "sitemap-index.xml": b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>/sm/1.xml</loc><lastmod>2026-12-03</lastmod></sitemap><sitemap><loc>http://news.test/sm/2.xml</loc></sitemap></sitemapindex>""",
}

# The query endpoints in fuzz_entry::QUERY_ENDPOINTS order; the first byte picks one.
queries = [
    (0, b"source=BBC&language=en&from=2021-03-04&to=2021-03-05&theme=PROTEST&tone_min=-2.5&tone_max=3&country=RU&geonameid=524901&order=oldest&limit=5&cursor=12"),
    (1, b"q=harbor+strike&source=Wire&limit=20&cursor=20&from=2021-01-01"),
    (2, b"sort=size&from=2021-03-01&limit=30&cursor=30"),
    (3, b"q=Putin&limit=50&cursor=0"),
    (4, b"speaker=abc&article=a1&limit=10"),
    (5, b"actor=RUS&target=UKR&both=true&code=03&from=2021&to=2021-03&limit=50&cursor=50"),
    (6, b"a=RUS&b=UKR&period=month&from=2021-01&to=2021-12"),
    (7, b"story=s1&article=a1&country=RU&limit=100"),
    (8, b"bbox=-10.5,35,40,71.2&geonameid=524901&story=s1&role=action&limit=100"),
    (9, b"story=s1&outlet=BBC&period=day&a=RUS&b=UKR"),
    (10, b"interval_ms=500"),
    (0, b"limit=%31%30&source=%E2%9C%93&source=dup"),
]

def write(target, name, data):
    d = os.path.join(corpus, target)
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, name)
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(data)

for t in targets:
    if t == "html":
        for i, p in enumerate(html_pages):
            write(t, f"page{i}.html", p[:32768])
    elif t == "text":
        for i, p in enumerate(texts):
            write(t, f"text{i}.txt", p[:16384])
    elif t == "jsonl":
        lines = jsonl_lines()
        for i, l in enumerate(lines):
            write(t, f"line{i}.jsonl", l + b"\n")
        write(t, "mixed.jsonl", b"\n".join(lines[:3]) + b"\n{\"title\": broken\n\n[1,2]\n{\"text\":\"  \"}\n")
        write(t, "aliases.jsonl", b'{"headline":"H","maintext":"Body.","language":"en","date_publish":"2021-03-04","outlet":"X","tags":["a"]}\n')
    elif t == "gzip":
        # First byte: 0 .jsonl.gz, 1 .html.gz, 2 .txt.gz, 3 .gz (sniffed).
        lines = jsonl_lines(4)
        write(t, "jsonl.gz", b"\x00" + gz(b"\n".join(lines) + b"\n"))
        write(t, "multi-member.gz", b"\x00" + gz(lines[0] + b"\n") + gz(lines[1] + b"\n"))
        write(t, "html.gz", b"\x01" + read(samples, "own", "heatwave.html.gz"))
        write(t, "text.gz", b"\x02" + gz(texts[0]))
        cut = gz(texts[1] * 20)
        write(t, "cut.gz", b"\x02" + cut[:len(cut) - 10])
        write(t, "sniffed.gz", b"\x03" + gz(html_pages[2]))
    elif t == "feed":
        for name, data in feeds.items():
            write(t, name, data)
    elif t == "warc":
        for name, data in warc_samples().items():
            write(t, name, data)
    elif t == "api_query":
        for i, (pick, q) in enumerate(queries):
            write(t, f"q{i}", bytes([pick]) + q)
    elif t == "api_body":
        lines = jsonl_lines(3)
        write(t, "object.json", lines[0])
        write(t, "array.json", b"[" + b",".join(lines) + b"]")
        write(t, "ndjson", b"\n".join(lines) + b"\n{bad\n")
        write(t, "html.json", b'{"html":"<p>x</p>","url":"https://a.example/1","title":"T","source":"S","date":"2021-03-04"}')
    print(f"{t}: {len(os.listdir(os.path.join(corpus, t)))} files in fuzz/corpus/{t}")
PY
