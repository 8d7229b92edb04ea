//! Full-text search over articles: a tantivy index of title and body with facets (source,
//! language, day, story).
//!
//! The index is derived from the store: each commit records, as its payload, the store
//! sequence number up to which it holds every article, so after a crash the caller re-adds
//! only what is missing, and `reindex` rebuilds it all.
//!
//! ```
//! use newsloom_model::Article;
//! use newsloom_search::{SearchIndex, SearchQuery};
//! let dir = tempfile::tempdir().unwrap();
//! let mut index = SearchIndex::open(dir.path()).unwrap();
//! let a = Article { id: "a1".into(), title: "NATO reset".into(), body: "Kelin spoke.".into(), ..Default::default() };
//! index.add(&[(1, &a)]).unwrap();
//! index.commit(1).unwrap();
//! let found = index.search(&SearchQuery::text("kelin")).unwrap();
//! assert_eq!(found.hits[0].id, "a1");
//! assert_eq!(index.indexed_seq().unwrap(), 1);
//! ```

use std::collections::BTreeMap;
use std::ops::Bound;
use std::path::{Path, PathBuf};

use newsloom_model::Article;
use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::{
    FAST, Facet, FacetOptions, Field, IndexRecordOption, STORED, STRING, Schema, TEXT, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term, doc};

/// A search error.
#[derive(Debug)]
pub struct SearchError(pub String);

impl std::fmt::Display for SearchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SearchError {}

impl From<tantivy::TantivyError> for SearchError {
    fn from(e: tantivy::TantivyError) -> Self {
        SearchError(format!("search index error: {e}"))
    }
}

pub type Result<T> = std::result::Result<T, SearchError>;

mod facets;
mod space;

use facets::{FacetNames, TopFacets};

/// Values reported per facet.
const FACET_VALUES: usize = 20;

/// Facet fields, by the name used in queries and results.
const FACETS: [&str; 4] = ["source", "language", "story", "day"];

#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    title: Field,
    body: Field,
    /// Title and body as one field, for matching and ranking: a query word is then one posting
    /// list, not a union of two, so top-k pruning (block-max WAND) applies to it.
    text: Field,
    source: Field,
    language: Field,
    story: Field,
    day: Field,
    published: Field,
    // Facet values are not stored by tantivy; these keep them for display.
    source_name: Field,
    story_id: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let facet = || FacetOptions::default();
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        title: b.add_text_field("title", TEXT | STORED),
        body: b.add_text_field("body", STORED),
        text: b.add_text_field("text", TEXT),
        source: b.add_facet_field("source", facet()),
        language: b.add_facet_field("language", facet()),
        story: b.add_facet_field("story", facet()),
        day: b.add_text_field("day", STRING | FAST | STORED),
        published: b.add_text_field("published", STORED),
        source_name: b.add_text_field("source_name", STORED),
        story_id: b.add_text_field("story_id", STORED),
    };
    (b.build(), fields)
}

/// What to search for. Filters are exact; `from`/`to` are inclusive `YYYY-MM-DD` days.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct SearchQuery {
    pub text: String,
    pub source: Option<String>,
    pub language: Option<String>,
    pub story: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub limit: usize,
    pub offset: usize,
}

impl SearchQuery {
    /// A plain text query, first 10 hits.
    pub fn text(text: &str) -> Self {
        Self { text: text.to_string(), limit: 10, ..Default::default() }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Hit {
    pub id: String,
    pub title: String,
    pub score: f32,
    pub day: Option<String>,
    pub published: Option<String>,
    pub source: Option<String>,
    pub story: Option<String>,
    /// The best-matching fragment of the body, plain text.
    pub snippet: String,
    /// Byte ranges of the matched terms within `snippet`.
    pub highlights: Vec<(usize, usize)>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SearchResults {
    pub total: usize,
    /// `total` is an estimate (an engine that bounds the work per query found more matches
    /// than it counted).
    pub total_estimated: bool,
    pub hits: Vec<Hit>,
    /// Counts of matching articles per value, for each facet.
    pub facets: BTreeMap<String, Vec<(String, u64)>>,
}

/// What answers searches: the embedded tantivy [`SearchIndex`], or a database's own full-text
/// search (PostgreSQL in `newsloom-postgres`), so the server serves either the same way.
pub trait Searcher: Send + Sync {
    /// Ranked hits with snippets, the total, and facet counts.
    fn search(&self, q: &SearchQuery) -> Result<SearchResults>;
    /// Changes whenever results may change, so answers can be cached until it does.
    fn version(&self) -> Result<u64>;
}

impl Searcher for SearchIndex {
    fn search(&self, q: &SearchQuery) -> Result<SearchResults> {
        SearchIndex::search(self, q)
    }

    fn version(&self) -> Result<u64> {
        SearchIndex::version(self)
    }
}

/// The search index in `<dir>/index`.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    writer: Option<IndexWriter>,
    fields: Fields,
    /// `<dir>/index`, for error messages.
    path: PathBuf,
    /// See [`count_and_facets`].
    count_budget: u64,
    /// Facet values named so far, reused by later searches.
    facet_names: FacetNames,
    /// The committed state the reader was last reloaded at (see [`Self::fresh_searcher`]).
    loaded: std::sync::Mutex<Option<CommitKey>>,
}

/// What identifies a committed state of the index: its opstamp, and its segments with their
/// deletes (a merge keeps the opstamp but changes the segments).
type CommitKey = (u64, Vec<(tantivy::index::SegmentId, Option<u64>)>);

impl SearchIndex {
    /// Opens the index under `dir`, creating it if missing. An index with another schema (from
    /// an older newsloom) is replaced by an empty one; `indexed_seq` then reports 0 so the
    /// caller rebuilds it from the store.
    pub fn open(dir: &Path) -> Result<Self> {
        Self::open_advised(dir, None)
    }

    /// [`Self::open`] for a reader that answers queries (a server). Its files are mapped with
    /// `MADV_RANDOM`: a query reads a few pages here and there (term, postings, its hits'
    /// stored documents), and without the advice each page fault on a cold file reads the
    /// device's whole read-ahead window around it (8 MB on the VMs measured), stalling the
    /// request for tens of milliseconds to read what no request asked for.
    pub fn open_for_queries(dir: &Path) -> Result<Self> {
        Self::open_advised(dir, Some(tantivy::directory::Advice::Random))
    }

    fn open_advised(dir: &Path, advice: Option<tantivy::directory::Advice>) -> Result<Self> {
        let path = dir.join("index");
        std::fs::create_dir_all(&path)
            .map_err(|e| SearchError(format!("cannot create the index directory {}: {e}", path.display())))?;
        let (schema, fields) = schema();
        let opened = match advice {
            Some(advice) => tantivy::directory::MmapDirectory::open_with_madvice(&path, advice)
                .map_err(tantivy::TantivyError::from)
                .and_then(Index::open),
            None => Index::open_in_dir(&path),
        };
        let index = match opened {
            Ok(index) if index.schema() == schema => index,
            Ok(_) | Err(tantivy::TantivyError::IncompatibleIndex(_)) => {
                std::fs::remove_dir_all(&path)
                    .and_then(|_| std::fs::create_dir_all(&path))
                    .map_err(|e| SearchError(format!("cannot reset the index {}: {e}", path.display())))?;
                create_index(&path, schema)?
            }
            Err(tantivy::TantivyError::OpenDirectoryError(_))
            | Err(tantivy::TantivyError::OpenReadError(_)) => create_index(&path, schema)?,
            Err(e) => return Err(e.into()),
        };
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(Self {
            index,
            reader,
            writer: None,
            fields,
            path,
            count_budget: COUNT_BUDGET,
            facet_names: FacetNames::default(),
            loaded: std::sync::Mutex::new(None),
        })
    }

    /// The store sequence number up to which every article is in the committed index.
    pub fn indexed_seq(&self) -> Result<i64> {
        let metas = self.index.load_metas()?;
        Ok(metas.payload.and_then(|p| p.parse().ok()).unwrap_or(0))
    }

    fn writer(&mut self) -> Result<&mut IndexWriter> {
        if self.writer.is_none() {
            let writer = self.index.writer_with_num_threads(2, 128 << 20).map_err(|e| match e {
                tantivy::TantivyError::LockFailure(..) => SearchError(
                    "the search index is locked by another newsloom process (an ingest or a server with \
                     ingest enabled); stop it first"
                        .into(),
                ),
                e => e.into(),
            })?;
            self.writer = Some(writer);
        }
        Ok(self.writer.as_mut().expect("set above"))
    }

    /// Adds (or replaces) articles; visible after [`commit`](Self::commit).
    pub fn add(&mut self, articles: &[(i64, &Article)]) -> Result<()> {
        let f = self.fields;
        let path = self.path.clone();
        let writer = self.writer()?;
        for (_, a) in articles {
            writer.delete_term(Term::from_field_text(f.id, &a.id));
            let mut doc = doc!(f.id => a.id.as_str(), f.title => a.title.as_str(), f.body => a.body.as_str());
            // The title twice: its words weigh more in the ranking, as a title boost would.
            for value in [a.title.as_str(), a.title.as_str(), a.body.as_str()] {
                doc.add_text(f.text, value);
            }
            let facet = |v: &str| Facet::from_path([v]);
            if let Some(s) = &a.source {
                doc.add_facet(f.source, facet(s));
                doc.add_text(f.source_name, s);
            }
            if let Some(l) = &a.language {
                doc.add_facet(f.language, facet(l));
            }
            if let Some(s) = &a.story {
                doc.add_facet(f.story, facet(s));
                doc.add_text(f.story_id, s);
            }
            if let Some(p) = &a.published {
                doc.add_text(f.published, &p.iso);
                if let Some(day) = p.day() {
                    doc.add_text(f.day, day);
                }
            }
            writer.add_document(doc).map_err(|e| space::write_error(&path, e))?;
        }
        Ok(())
    }

    /// Makes everything added so far durable and searchable, recording `seq` as the store
    /// position it covers.
    pub fn commit(&mut self, seq: i64) -> Result<()> {
        let path = self.path.clone();
        let writer = self.writer()?;
        let mut prepared = writer.prepare_commit().map_err(|e| space::write_error(&path, e))?;
        prepared.set_payload(&seq.to_string());
        prepared.commit().map_err(|e| space::write_error(&path, e))?;
        self.reader.reload()?;
        Ok(())
    }

    /// Segments in the committed index.
    pub fn num_segments(&self) -> Result<usize> {
        Ok(self.index.searchable_segment_ids()?.len())
    }

    /// Merges every committed segment into one and waits for it; returns how many there were.
    /// Every search pays a fixed cost per segment (opening each one's term dictionary and
    /// postings, a top-k pass and a count per segment), and a long ingest leaves tens of them:
    /// on a million articles a varied search took 2.3 ms over 20 segments, 1.4 ms over one.
    /// The documents and [`version`](Self::version) stay the same, so cached answers stay
    /// valid (scores move slightly where replaced documents, counted in the term statistics
    /// until a merge drops them, are purged). Call it with nothing added since the last commit.
    pub fn merge_segments(&mut self) -> Result<usize> {
        let path = self.path.clone();
        // The writer's own merge policy may be merging some segments in the background: a
        // merge asked for meanwhile fails on the segments it took. Let those finish first.
        if let Some(writer) = self.writer.take() {
            writer.wait_merging_threads().map_err(|e| space::write_error(&path, e))?;
        }
        let before = self.index.searchable_segment_ids()?.len();
        for _ in 0..3 {
            let ids = self.index.searchable_segment_ids()?;
            if ids.len() <= 1 {
                break;
            }
            match self.writer()?.merge(&ids).wait() {
                Ok(_) => break,
                // A segment went into another merge after all: merge what is there now.
                Err(tantivy::TantivyError::InvalidArgument(_)) => continue,
                Err(e) => return Err(space::write_error(&path, e)),
            }
        }
        self.reader.reload()?;
        Ok(before)
    }

    /// A searcher of the latest commit. Reloading opens every segment's readers again (3 % of an
    /// uncached search on a million articles), so the reader is reloaded only when the commit
    /// it was loaded at is no longer the latest (another process may commit or merge).
    fn fresh_searcher(&self) -> Result<tantivy::Searcher> {
        let metas = self.index.load_metas()?;
        let key: CommitKey =
            (metas.opstamp, metas.segments.iter().map(|s| (s.id(), s.delete_opstamp())).collect());
        let mut loaded = self.loaded.lock().unwrap_or_else(|e| e.into_inner());
        if loaded.as_ref() != Some(&key) {
            self.reader.reload()?;
            *loaded = Some(key);
        }
        Ok(self.reader.searcher())
    }

    /// Removes every document (for a rebuild); takes effect at the next commit.
    pub fn clear(&mut self) -> Result<()> {
        self.writer()?.delete_all_documents()?;
        Ok(())
    }

    /// Counts matches exactly up to `n` (default 10,000), then estimates: see `total_estimated`.
    pub fn set_count_budget(&mut self, n: u64) {
        self.count_budget = n.max(1);
    }

    /// Number of documents in the committed index.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Identifies the committed state that searches see: it changes with every commit, so
    /// results computed at one version can be reused until it changes.
    pub fn version(&self) -> Result<u64> {
        Ok(self.index.load_metas()?.opstamp)
    }

    /// Runs a query: ranked hits with snippets, the total, and facet counts.
    pub fn search(&self, q: &SearchQuery) -> Result<SearchResults> {
        let f = self.fields;
        let searcher = self.fresh_searcher()?;
        let mut parser = QueryParser::for_index(&self.index, vec![f.text]);
        parser.set_conjunction_by_default();
        // Lenient: a stray quote or colon in what a user typed should not be an error.
        let (text_query, _) = parser.parse_query_lenient(&q.text);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![];
        for (field, value) in [(f.source, &q.source), (f.language, &q.language), (f.story, &q.story)] {
            if let Some(v) = value {
                let term = Term::from_facet(field, &Facet::from_path([v.as_str()]));
                clauses.push((Occur::Must, Box::new(TermQuery::new(term, IndexRecordOption::Basic))));
            }
        }
        if q.from.is_some() || q.to.is_some() {
            let bound = |d: &Option<String>| match d {
                Some(d) => Bound::Included(Term::from_field_text(f.day, d)),
                None => Bound::Unbounded,
            };
            clauses.push((Occur::Must, Box::new(RangeQuery::new(bound(&q.from), bound(&q.to)))));
        }
        // Without filters the parsed query runs as it is: all-term conjunctions and single terms
        // then keep tantivy's block-max pruning, which a wrapping boolean query would turn off.
        let query: Box<dyn Query> = if clauses.is_empty() {
            text_query.box_clone()
        } else {
            clauses.insert(0, (Occur::Must, text_query.box_clone()));
            Box::new(BooleanQuery::new(clauses))
        };
        let limit = q.limit.clamp(1, 1000);
        // The hits alone: a top-k collector skips the blocks that cannot reach the top.
        let top = searcher
            .search(query.as_ref(), &TopDocs::with_limit(limit).and_offset(q.offset).order_by_score())?;
        let counted = count_and_facets(&searcher, query.as_ref(), self.count_budget, &self.facet_names)?;
        let (total, total_estimated, facet_counts) = (counted.total, counted.estimated, counted.facets);
        // The query's terms are on `text`; the fragments are cut from the stored body.
        let mut snippets = SnippetGenerator::create(&searcher, &*text_query, f.text)?;
        snippets.set_max_num_chars(200);
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let text = |field: Field| doc.get_first(field).and_then(|v| v.as_str()).map(str::to_string);
            let body = text(f.body).unwrap_or_default();
            let snippet = snippet_of(&snippets, &body);
            let (snippet_text, highlights) = if snippet.is_empty() {
                (body.chars().take(200).collect(), vec![])
            } else {
                (
                    snippet.fragment().to_string(),
                    snippet.highlighted().iter().map(|r| (r.start, r.end)).collect(),
                )
            };
            hits.push(Hit {
                id: text(f.id).unwrap_or_default(),
                title: text(f.title).unwrap_or_default(),
                score,
                day: text(f.day),
                published: text(f.published),
                source: text(f.source_name),
                story: text(f.story_id),
                snippet: snippet_text,
                highlights,
            });
        }
        Ok(SearchResults { total, total_estimated, hits, facets: facet_counts })
    }
}

/// Stored documents are compressed in blocks of this many bytes (tantivy's default is 16 KB). A
/// hit's title and body are read from its block, so each hit of an uncached search decompressed
/// 16 KB for a document of 2–4 KB; smaller blocks cost a little more disk. Applies to indexes
/// created from now on (an existing index keeps the size it was created with).
const DOCSTORE_BLOCK: usize = 4_096;

fn create_index(path: &Path, schema: Schema) -> Result<Index> {
    let settings = tantivy::IndexSettings { docstore_blocksize: DOCSTORE_BLOCK, ..Default::default() };
    Ok(Index::builder().schema(schema).settings(settings).create_in_dir(path)?)
}

/// How much of a body the snippet is first looked for in. Tokenising and lower-casing the whole
/// stored body of every hit was a quarter of an uncached search's CPU; most hits name a query
/// term early, and a body that does not there is searched whole.
const SNIPPET_WINDOW: usize = 1_500;

/// The best fragment of the body's first [`SNIPPET_WINDOW`] bytes that holds a query term, else of
/// the whole body.
fn snippet_of(snippets: &SnippetGenerator, body: &str) -> tantivy::snippet::Snippet {
    if body.len() > SNIPPET_WINDOW {
        let mut cut = SNIPPET_WINDOW;
        while !body.is_char_boundary(cut) {
            cut -= 1;
        }
        let snippet = snippets.snippet(&body[..cut]);
        if !snippet.is_empty() {
            return snippet;
        }
    }
    snippets.snippet(body)
}

/// Matches counted past this many are not counted exactly: see [`count_and_facets`]. The
/// same bound as Elasticsearch's default `track_total_hits`: past it a total is "about N".
const COUNT_BUDGET: u64 = 10_000;

struct Counted {
    total: usize,
    estimated: bool,
    facets: BTreeMap<String, Vec<(String, u64)>>,
}

/// The number of matches and the facet counts. Counting visits every match, which for a
/// broad query over a million articles costs more than everything else in the search; so the
/// segments are counted smallest (newest) first, and once `budget` matches are counted (within
/// a segment too) the rest are estimated from the share of documents covered: the total and
/// the facet counts scaled alike (`total_estimated` says so). A segment stopped at document
/// `d` counts as covered up to `d`, in proportion to its size.
fn count_and_facets(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    budget: u64,
    names: &FacetNames,
) -> Result<Counted> {
    use tantivy::collector::{Collector, SegmentCollector};
    use tantivy::{DocSet, TERMINATED};
    names.keep_only(&searcher.segment_readers().iter().map(|r| r.segment_id()).collect());
    let facets = [
        TopFacets::new(FACETS[0], FACET_VALUES, names.clone()),
        TopFacets::new(FACETS[1], FACET_VALUES, names.clone()),
        TopFacets::new(FACETS[2], FACET_VALUES, names.clone()),
    ];
    let weight = query.weight(tantivy::query::EnableScoring::disabled_from_searcher(searcher))?;
    let mut segments: Vec<(u32, &tantivy::SegmentReader)> =
        searcher.segment_readers().iter().enumerate().map(|(i, r)| (i as u32, r)).collect();
    segments.sort_by_key(|(i, r)| (r.num_docs(), *i));
    let all_docs: f64 = segments.iter().map(|(_, r)| f64::from(r.num_docs())).sum();
    let (mut fruits, mut counted, mut covered) = ([vec![], vec![], vec![]], 0u64, 0f64);
    for (ord, reader) in segments {
        if counted >= budget {
            break;
        }
        let mut children = [
            facets[0].for_segment(ord, reader)?,
            facets[1].for_segment(ord, reader)?,
            facets[2].for_segment(ord, reader)?,
        ];
        let mut scorer = weight.scorer(reader, 1.0)?;
        let alive = reader.alive_bitset();
        let (mut doc, mut stopped_at) = (scorer.doc(), None);
        while doc != TERMINATED {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                for child in &mut children {
                    child.collect(doc, 0.0);
                }
                counted += 1;
                if counted >= budget {
                    stopped_at = Some(doc);
                    break;
                }
            }
            doc = scorer.advance();
        }
        covered += match stopped_at {
            Some(d) => f64::from(reader.num_docs()) * f64::from(d + 1) / f64::from(reader.max_doc().max(1)),
            None => f64::from(reader.num_docs()),
        };
        for (fruit, child) in fruits.iter_mut().zip(children) {
            fruit.push(child.harvest());
        }
    }
    let estimated = covered < all_docs;
    let scale = |n: u64| if estimated { (n as f64 * all_docs / covered.max(1.0)).round() as u64 } else { n };
    let mut merged = vec![];
    for (collector, fruit) in facets.iter().zip(fruits) {
        merged.push(collector.merge_fruits(fruit)?);
    }
    let facets = FACETS
        .iter()
        .map(|name| name.to_string())
        .zip(merged)
        .map(|(name, values)| (name, values.into_iter().map(|(v, n)| (v, scale(n))).collect()))
        .collect();
    Ok(Counted { total: scale(counted) as usize, estimated, facets })
}
