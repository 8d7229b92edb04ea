//! A polled document to items: RSS 2.0 / Atom / JSON Feed (feed-rs), Google-News-style news
//! sitemaps and sitemap index files (quick-xml, streamed event by event). The kind is decided
//! from the content, not from the URL or the content type, which servers often get wrong.

use quick_xml::events::Event;
use url::Url;

/// What a polled document turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedKind {
    Rss,
    Atom,
    JsonFeed,
    /// A `<urlset>`, with or without `<news:news>` entries.
    Sitemap,
    /// A `<sitemapindex>` listing more sitemaps.
    SitemapIndex,
}

impl FeedKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Rss => "rss",
            Self::Atom => "atom",
            Self::JsonFeed => "json",
            Self::Sitemap => "sitemap",
            Self::SitemapIndex => "sitemap-index",
        }
    }
}

/// One item of a feed or sitemap: a page to fetch, with what the feed says about it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FeedItem {
    /// The item's identity within its source: guid/id, else the URL.
    pub key: String,
    pub url: Option<Url>,
    pub title: Option<String>,
    /// Publication date as given (RFC 3339 after feed-rs; as written in sitemaps).
    pub date: Option<String>,
    /// Outlet name (a news sitemap's `<news:name>`).
    pub publication: Option<String>,
    pub lang: Option<String>,
    /// The item's content (HTML), when the feed carries it: a fallback when the page fails.
    pub content: Option<String>,
}

/// A parsed document.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub kind: FeedKind,
    pub items: Vec<FeedItem>,
    /// Sitemaps listed by a sitemap index.
    pub sitemaps: Vec<Url>,
}

/// Why a document is not a usable feed.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedError(pub String);

impl std::fmt::Display for FeedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FeedError {}

/// Decides the kind from the content: JSON Feed by its opening brace, XML by its root element.
pub fn detect(body: &[u8]) -> Result<FeedKind, FeedError> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    if body.trim_ascii_start().first() == Some(&b'{') {
        return Ok(FeedKind::JsonFeed);
    }
    let mut reader = quick_xml::Reader::from_reader(body);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                let name = e.local_name();
                return match name.as_ref() {
                    b"rss" | b"RDF" => Ok(FeedKind::Rss),
                    b"feed" => Ok(FeedKind::Atom),
                    b"urlset" => Ok(FeedKind::Sitemap),
                    b"sitemapindex" => Ok(FeedKind::SitemapIndex),
                    other => Err(FeedError(format!(
                        "not a feed or sitemap: the document's root element is <{}>",
                        String::from_utf8_lossy(other)
                    ))),
                };
            }
            Ok(Event::Eof) => return Err(FeedError("not a feed or sitemap: no XML or JSON document".into())),
            Ok(Event::Text(t)) if !t.iter().all(u8::is_ascii_whitespace) => {
                return Err(FeedError("not a feed or sitemap: text before any XML element".into()));
            }
            Ok(_) => {}
            Err(e) => return Err(FeedError(format!("malformed XML: {e}"))),
        }
        buf.clear();
    }
}

/// Parses a polled document; `base` resolves relative links.
pub fn parse(body: &[u8], base: &Url) -> Result<Parsed, FeedError> {
    let kind = detect(body)?;
    match kind {
        FeedKind::Sitemap | FeedKind::SitemapIndex => parse_sitemap(body, base, kind),
        _ => parse_feed(body, base, kind),
    }
}

fn parse_feed(body: &[u8], base: &Url, kind: FeedKind) -> Result<Parsed, FeedError> {
    let feed = feed_rs::parser::Builder::new()
        .base_uri(Some(base.as_str()))
        // No guid/id: the item is known by its link (feed-rs would otherwise hash the fields,
        // and an edited title would make the item look new).
        .id_generator(|links, title, _uri| {
            links
                .first()
                .map(|l| l.href.clone())
                .unwrap_or_else(|| title.as_ref().map(|t| format!("title:{}", t.content)).unwrap_or_default())
        })
        .build()
        .parse(body)
        .map_err(|e| FeedError(format!("malformed {} feed: {e}", kind.as_str())))?;
    let feed_lang = feed.language.clone();
    let items = feed
        .entries
        .into_iter()
        .filter_map(|e| {
            let url = e
                .links
                .iter()
                .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
                .or(e.links.first())
                .and_then(|l| base.join(l.href.trim()).ok())
                .filter(|u| matches!(u.scheme(), "http" | "https"));
            let key = Some(e.id.trim().to_string())
                .filter(|k| !k.is_empty())
                .or(url.as_ref().map(Url::to_string))?;
            let content = e
                .content
                .and_then(|c| c.body)
                .or(e.summary.map(|s| s.content))
                .filter(|c| !c.trim().is_empty());
            Some(FeedItem {
                key,
                url,
                title: e.title.map(|t| t.content.trim().to_string()).filter(|t| !t.is_empty()),
                date: e.published.or(e.updated).map(|d| d.to_rfc3339()),
                publication: None,
                lang: e.language.or_else(|| feed_lang.clone()),
                content,
            })
        })
        .collect();
    Ok(Parsed { kind, items, sitemaps: Vec::new() })
}

/// The element a sitemap's text belongs to.
#[derive(Clone, Copy, PartialEq)]
enum Field {
    None,
    Loc,
    Lastmod,
    Name,
    Language,
    PublicationDate,
    Title,
}

fn parse_sitemap(body: &[u8], base: &Url, kind: FeedKind) -> Result<Parsed, FeedError> {
    let mut reader = quick_xml::Reader::from_reader(body);
    reader.config_mut().trim_text(true);
    let mut buf = Vec::new();
    let mut parsed = Parsed { kind, items: Vec::new(), sitemaps: Vec::new() };
    let mut item: Option<FeedItem> = None;
    let mut lastmod: Option<String> = None;
    let mut field = Field::None;
    let mut text = String::new();
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| {
            FeedError(format!("malformed {} at byte {}: {e}", kind.as_str(), reader.error_position()))
        })?;
        match event {
            Event::Start(e) => {
                text.clear();
                field = match e.local_name().as_ref() {
                    b"url" | b"sitemap" => {
                        item = Some(FeedItem::default());
                        lastmod = None;
                        Field::None
                    }
                    b"loc" => Field::Loc,
                    b"lastmod" => Field::Lastmod,
                    b"name" => Field::Name,
                    b"language" => Field::Language,
                    b"publication_date" => Field::PublicationDate,
                    b"title" => Field::Title,
                    _ => Field::None,
                };
            }
            Event::Text(t) if field != Field::None => {
                text.push_str(
                    &t.unescape().map_err(|e| FeedError(format!("malformed {}: {e}", kind.as_str())))?,
                );
            }
            Event::CData(t) if field != Field::None => text.push_str(&String::from_utf8_lossy(&t)),
            Event::End(e) => {
                let value = text.trim().to_string();
                if let Some(it) = item.as_mut().filter(|_| !value.is_empty()) {
                    match field {
                        // `<loc>` of the page (not of the image or video extensions' own URLs).
                        Field::Loc if it.url.is_none() => it.url = base.join(&value).ok(),
                        Field::Lastmod => lastmod = Some(value),
                        Field::Name => it.publication = Some(value),
                        Field::Language => it.lang = Some(value),
                        Field::PublicationDate => it.date = Some(value),
                        Field::Title => it.title = Some(value),
                        _ => {}
                    }
                }
                field = Field::None;
                text.clear();
                match e.local_name().as_ref() {
                    b"url" => {
                        if let Some(mut it) = item.take()
                            && let Some(url) =
                                it.url.clone().filter(|u| matches!(u.scheme(), "http" | "https"))
                        {
                            it.key = url.to_string();
                            it.date = it.date.or(lastmod.take());
                            parsed.items.push(it);
                        }
                    }
                    b"sitemap" => {
                        if let Some(url) = item.take().and_then(|it| it.url) {
                            parsed.sitemaps.push(url);
                        }
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("http://news.test/feeds/main.xml").unwrap()
    }

    #[test]
    fn detects_kinds_from_content() {
        assert_eq!(detect(b"<?xml version=\"1.0\"?>\n<rss version=\"2.0\"></rss>").unwrap(), FeedKind::Rss);
        assert_eq!(detect(b"<feed xmlns=\"http://www.w3.org/2005/Atom\"/>").unwrap(), FeedKind::Atom);
        assert_eq!(
            detect(b"  {\"version\": \"https://jsonfeed.org/version/1.1\"}").unwrap(),
            FeedKind::JsonFeed
        );
        assert_eq!(detect(b"<urlset xmlns=\"x\"></urlset>").unwrap(), FeedKind::Sitemap);
        assert_eq!(detect(b"<sm:sitemapindex xmlns:sm=\"x\"/>").unwrap(), FeedKind::SitemapIndex);
        assert!(detect(b"<html><body>hi</body></html>").unwrap_err().0.contains("<html>"));
        assert!(detect(b"just text").is_err());
        assert!(detect(b"").is_err());
    }

    #[test]
    fn rss_items_keep_guid_link_title_date_and_content() {
        let rss = br#"<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><language>en</language>
          <item><guid isPermaLink="false">g-1</guid><title>First</title><link>/a/1.html</link>
            <pubDate>Thu, 03 Dec 2026 10:00:00 GMT</pubDate><description>&lt;p&gt;Body one&lt;/p&gt;</description></item>
          <item><title>No guid</title><link>http://news.test/a/2.html</link></item>
        </channel></rss>"#;
        let p = parse(rss, &base()).unwrap();
        assert_eq!(p.kind, FeedKind::Rss);
        assert_eq!(p.items.len(), 2);
        let a = &p.items[0];
        assert_eq!(a.key, "g-1");
        assert_eq!(a.url.as_ref().unwrap().as_str(), "http://news.test/a/1.html");
        assert_eq!(a.title.as_deref(), Some("First"));
        assert!(a.date.as_deref().unwrap().starts_with("2026-12-03T10:00:00"));
        assert_eq!(a.content.as_deref(), Some("<p>Body one</p>"));
        assert_eq!(a.lang.as_deref(), Some("en"));
        assert_eq!(p.items[1].key, "http://news.test/a/2.html", "no guid: the link is the key");
    }

    #[test]
    fn atom_and_json_feed() {
        let atom = br#"<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>urn:f</id><updated>2026-12-03T10:00:00Z</updated>
          <entry><id>urn:e1</id><title>E1</title><link href="http://news.test/e1"/><updated>2026-12-03T09:00:00Z</updated></entry></feed>"#;
        let p = parse(atom, &base()).unwrap();
        assert_eq!((p.kind, p.items[0].key.as_str()), (FeedKind::Atom, "urn:e1"));
        assert_eq!(p.items[0].url.as_ref().unwrap().as_str(), "http://news.test/e1");
        let json = br#"{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[
          {"id":"j1","url":"http://news.test/j1","title":"J1","content_html":"<p>x</p>","date_published":"2026-12-03T08:00:00Z"}]}"#;
        let p = parse(json, &base()).unwrap();
        assert_eq!((p.kind, p.items[0].key.as_str()), (FeedKind::JsonFeed, "j1"));
        assert_eq!(p.items[0].content.as_deref(), Some("<p>x</p>"));
    }

    #[test]
    fn news_sitemap_and_index() {
        let sm = br#"<?xml version="1.0" encoding="UTF-8"?>
        <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
          <url><loc>http://news.test/s/1</loc>
            <news:news><news:publication><news:name>The Test Times</news:name><news:language>en</news:language></news:publication>
              <news:publication_date>2026-12-03T10:00:00+00:00</news:publication_date><news:title>Rates &amp; prices</news:title></news:news></url>
          <url><loc>javascript:alert(1)</loc></url>
          <url><loc>http://news.test/s/2</loc><lastmod>2026-12-02</lastmod></url>
        </urlset>"#;
        let p = parse(sm, &base()).unwrap();
        assert_eq!(p.kind, FeedKind::Sitemap);
        assert_eq!(p.items.len(), 2, "only http(s) pages");
        let a = &p.items[0];
        assert_eq!(a.key, "http://news.test/s/1");
        assert_eq!(a.publication.as_deref(), Some("The Test Times"));
        assert_eq!(a.lang.as_deref(), Some("en"));
        assert_eq!(a.title.as_deref(), Some("Rates & prices"));
        assert_eq!(a.date.as_deref(), Some("2026-12-03T10:00:00+00:00"));
        assert_eq!(p.items[1].date.as_deref(), Some("2026-12-02"));
        let idx = br#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
          <sitemap><loc>/sm/1.xml</loc><lastmod>2026-12-03</lastmod></sitemap><sitemap><loc>http://news.test/sm/2.xml</loc></sitemap>
        </sitemapindex>"#;
        let p = parse(idx, &base()).unwrap();
        assert_eq!(p.kind, FeedKind::SitemapIndex);
        let urls: Vec<_> = p.sitemaps.iter().map(Url::as_str).collect();
        assert_eq!(urls, ["http://news.test/sm/1.xml", "http://news.test/sm/2.xml"]);
    }

    #[test]
    fn malformed_documents_are_errors_not_panics() {
        assert!(parse(b"<rss><channel><item><title>x</item></rss>", &base()).is_err());
        assert!(parse(b"<urlset><url><loc>http://a/</loc></urlset>", &base()).is_err());
        assert!(parse(b"{\"version\": 1, \"items\": [", &base()).is_err());
    }
}
