//! The five exported tables: Arrow schema and a builder that collects one row group's rows.
//! Spans are columns (`article`, `start`, `end`: char offsets into the article's stored body).

use std::sync::Arc;

use arrow_array::ArrayRef;
use arrow_array::builder::{
    ArrayBuilder, BooleanBuilder, Date32Builder, Float32Builder, Int8Builder, Int64Builder, ListBuilder,
    StringBuilder, TimestampMillisecondBuilder,
};
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};
use newsloom_model::{DatePrecision, Quote, QuoteKind};
use newsloom_store::{ArticleExport, EventExport, MentionExport, StoryExport};

use crate::time::{date32, timestamp_secs};

/// One exported table: its file, schema and a builder of record batches.
pub(crate) trait Table: Default {
    type Row;
    const NAME: &'static str;
    /// Rows per row group. Articles carry their bodies, so their groups are smaller: memory
    /// stays bounded by a group's worth of rows whatever the store's size.
    const ROWS_PER_GROUP: usize;
    fn schema() -> SchemaRef;
    fn push(&mut self, row: Self::Row);
    fn len(&self) -> usize;
    /// The columns collected since the last call, in schema order; the builders start empty again.
    fn finish(&mut self) -> Vec<ArrayRef>;
}

const FACT_ROWS_PER_GROUP: usize = 65_536;

/// Milliseconds, not seconds: Parquet's own timestamp types start at milliseconds, so every
/// reader (not only arrow-rs) sees a UTC timestamp.
fn utc_millis() -> DataType {
    DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into()))
}

fn strings(name: &str) -> Field {
    Field::new(name, DataType::Utf8, true)
}

fn string_list(name: &str) -> Field {
    Field::new_list(name, Field::new_list_field(DataType::Utf8, true), false)
}

fn span_fields() -> [Field; 3] {
    [
        Field::new("article", DataType::Utf8, false),
        Field::new("start", DataType::Int64, false),
        Field::new("end", DataType::Int64, false),
    ]
}

fn precision_name(p: DatePrecision) -> &'static str {
    match p {
        DatePrecision::Year => "year",
        DatePrecision::Month => "month",
        DatePrecision::Day => "day",
        DatePrecision::DayInferredYear => "dayinferredyear",
        DatePrecision::Minute => "minute",
        DatePrecision::Second => "second",
    }
}

fn arc<T: arrow_array::Array + 'static>(a: T) -> ArrayRef {
    Arc::new(a)
}

/// `articles.parquet`: one row per stored article.
pub(crate) struct Articles {
    seq: Int64Builder,
    id: StringBuilder,
    url: StringBuilder,
    source: StringBuilder,
    title: StringBuilder,
    subtitle: StringBuilder,
    bylines: ListBuilder<StringBuilder>,
    published: StringBuilder,
    published_precision: StringBuilder,
    published_day: Date32Builder,
    published_at: TimestampMillisecondBuilder,
    section: StringBuilder,
    dateline_place: StringBuilder,
    dateline_agency: StringBuilder,
    language: StringBuilder,
    story: StringBuilder,
    copy_of: StringBuilder,
    body: StringBuilder,
    body_hash: StringBuilder,
    origin: StringBuilder,
    confidence: Float32Builder,
    warnings: ListBuilder<StringBuilder>,
    meta: StringBuilder,
    ingested_at: TimestampMillisecondBuilder,
}

impl Default for Articles {
    fn default() -> Self {
        Self {
            seq: Int64Builder::new(),
            id: StringBuilder::new(),
            url: StringBuilder::new(),
            source: StringBuilder::new(),
            title: StringBuilder::new(),
            subtitle: StringBuilder::new(),
            bylines: ListBuilder::new(StringBuilder::new()),
            published: StringBuilder::new(),
            published_precision: StringBuilder::new(),
            published_day: Date32Builder::new(),
            published_at: TimestampMillisecondBuilder::new().with_timezone("UTC"),
            section: StringBuilder::new(),
            dateline_place: StringBuilder::new(),
            dateline_agency: StringBuilder::new(),
            language: StringBuilder::new(),
            story: StringBuilder::new(),
            copy_of: StringBuilder::new(),
            body: StringBuilder::new(),
            body_hash: StringBuilder::new(),
            origin: StringBuilder::new(),
            confidence: Float32Builder::new(),
            warnings: ListBuilder::new(StringBuilder::new()),
            meta: StringBuilder::new(),
            ingested_at: TimestampMillisecondBuilder::new().with_timezone("UTC"),
        }
    }
}

impl Table for Articles {
    type Row = ArticleExport;
    const NAME: &'static str = "articles";
    const ROWS_PER_GROUP: usize = 8_192;

    fn schema() -> SchemaRef {
        Arc::new(Schema::new(vec![
            Field::new("seq", DataType::Int64, false),
            Field::new("id", DataType::Utf8, false),
            strings("url"),
            strings("source"),
            Field::new("title", DataType::Utf8, false),
            strings("subtitle"),
            string_list("bylines"),
            strings("published"),
            strings("published_precision"),
            Field::new("published_day", DataType::Date32, true),
            Field::new("published_at", utc_millis(), true),
            strings("section"),
            strings("dateline_place"),
            strings("dateline_agency"),
            strings("language"),
            strings("story"),
            strings("copy_of"),
            Field::new("body", DataType::Utf8, false),
            Field::new("body_hash", DataType::Utf8, false),
            Field::new("origin", DataType::Utf8, false),
            Field::new("confidence", DataType::Float32, false),
            string_list("warnings"),
            strings("meta"),
            Field::new("ingested_at", utc_millis(), false),
        ]))
    }

    fn push(&mut self, row: ArticleExport) {
        let a = &row.article;
        self.seq.append_value(row.seq);
        self.id.append_value(&a.id);
        self.url.append_option(a.url.as_deref());
        self.source.append_option(a.source.as_deref());
        self.title.append_value(&a.title);
        self.subtitle.append_option(a.subtitle.as_deref());
        for b in &a.bylines {
            self.bylines.values().append_value(b);
        }
        self.bylines.append(true);
        let published = a.published.as_ref();
        self.published.append_option(published.map(|d| d.iso.as_str()));
        self.published_precision.append_option(published.map(|d| precision_name(d.precision)));
        self.published_day.append_option(published.and_then(|d| d.day()).and_then(date32));
        // A timestamp only when the time of day is known, not a date padded to midnight.
        self.published_at.append_option(
            published
                .filter(|d| d.precision >= DatePrecision::Minute)
                .and_then(|d| timestamp_secs(&d.iso))
                .map(|s| s * 1000),
        );
        self.section.append_option(a.section.as_deref());
        self.dateline_place.append_option(a.dateline.as_ref().map(|d| d.place.as_str()));
        self.dateline_agency.append_option(a.dateline.as_ref().and_then(|d| d.agency.as_deref()));
        self.language.append_option(a.language.as_deref());
        self.story.append_option(a.story.as_deref());
        self.copy_of.append_option(row.copy_of.as_deref());
        self.body.append_value(&a.body);
        self.body_hash.append_value(&a.body_hash);
        self.origin.append_value(&a.origin);
        self.confidence.append_value(a.confidence);
        for w in &a.warnings {
            self.warnings.values().append_value(w);
        }
        self.warnings.append(true);
        self.meta.append_option(
            (!a.meta.is_empty()).then(|| serde_json::Value::Object(a.meta.clone()).to_string()),
        );
        self.ingested_at.append_value(row.ingested_at * 1000);
    }

    fn len(&self) -> usize {
        self.seq.len()
    }

    fn finish(&mut self) -> Vec<ArrayRef> {
        vec![
            arc(self.seq.finish()),
            arc(self.id.finish()),
            arc(self.url.finish()),
            arc(self.source.finish()),
            arc(self.title.finish()),
            arc(self.subtitle.finish()),
            arc(self.bylines.finish()),
            arc(self.published.finish()),
            arc(self.published_precision.finish()),
            arc(self.published_day.finish()),
            arc(self.published_at.finish()),
            arc(self.section.finish()),
            arc(self.dateline_place.finish()),
            arc(self.dateline_agency.finish()),
            arc(self.language.finish()),
            arc(self.story.finish()),
            arc(self.copy_of.finish()),
            arc(self.body.finish()),
            arc(self.body_hash.finish()),
            arc(self.origin.finish()),
            arc(self.confidence.finish()),
            arc(self.warnings.finish()),
            arc(self.meta.finish()),
            arc(self.ingested_at.finish()),
        ]
    }
}

/// `stories.parquet`: one row per story.
#[derive(Default)]
pub(crate) struct Stories {
    id: StringBuilder,
    title: StringBuilder,
    size: Int64Builder,
    outlets: Int64Builder,
    first_seen: Date32Builder,
    last_seen: Date32Builder,
    updated_seq: Int64Builder,
}

impl Table for Stories {
    type Row = StoryExport;
    const NAME: &'static str = "stories";
    const ROWS_PER_GROUP: usize = FACT_ROWS_PER_GROUP;

    fn schema() -> SchemaRef {
        Arc::new(Schema::new(vec![
            Field::new("id", DataType::Utf8, false),
            Field::new("title", DataType::Utf8, false),
            Field::new("size", DataType::Int64, false),
            Field::new("outlets", DataType::Int64, false),
            Field::new("first_seen", DataType::Date32, true),
            Field::new("last_seen", DataType::Date32, true),
            Field::new("updated_seq", DataType::Int64, false),
        ]))
    }

    fn push(&mut self, s: StoryExport) {
        self.id.append_value(&s.id);
        self.title.append_value(&s.title);
        self.size.append_value(s.size);
        self.outlets.append_value(s.outlets);
        self.first_seen.append_option(s.first_seen.as_deref().and_then(date32));
        self.last_seen.append_option(s.last_seen.as_deref().and_then(date32));
        self.updated_seq.append_value(s.updated_seq);
    }

    fn len(&self) -> usize {
        self.id.len()
    }

    fn finish(&mut self) -> Vec<ArrayRef> {
        vec![
            arc(self.id.finish()),
            arc(self.title.finish()),
            arc(self.size.finish()),
            arc(self.outlets.finish()),
            arc(self.first_seen.finish()),
            arc(self.last_seen.finish()),
            arc(self.updated_seq.finish()),
        ]
    }
}

/// `mentions.parquet`: entity mentions joined with their entity.
#[derive(Default)]
pub(crate) struct Mentions {
    article: StringBuilder,
    start: Int64Builder,
    end: Int64Builder,
    text: StringBuilder,
    kind: StringBuilder,
    confidence: Float32Builder,
    entity: StringBuilder,
    entity_name: StringBuilder,
    entity_kind: StringBuilder,
    entity_code: StringBuilder,
}

fn entity_kind(k: newsloom_model::EntityKind) -> &'static str {
    match k {
        newsloom_model::EntityKind::Person => "person",
        newsloom_model::EntityKind::Organisation => "organisation",
        newsloom_model::EntityKind::Place => "place",
        newsloom_model::EntityKind::Misc => "misc",
    }
}

impl Table for Mentions {
    type Row = MentionExport;
    const NAME: &'static str = "mentions";
    const ROWS_PER_GROUP: usize = FACT_ROWS_PER_GROUP;

    fn schema() -> SchemaRef {
        let mut fields = span_fields().to_vec();
        fields.extend([
            Field::new("text", DataType::Utf8, false),
            Field::new("kind", DataType::Utf8, false),
            Field::new("confidence", DataType::Float32, false),
            Field::new("entity", DataType::Utf8, false),
            strings("entity_name"),
            strings("entity_kind"),
            strings("entity_code"),
        ]);
        Arc::new(Schema::new(fields))
    }

    fn push(&mut self, row: MentionExport) {
        let m = &row.mention;
        self.article.append_value(&m.span.article);
        self.start.append_value(m.span.start as i64);
        self.end.append_value(m.span.end as i64);
        self.text.append_value(&m.text);
        self.kind.append_value(entity_kind(m.kind));
        self.confidence.append_value(m.confidence);
        self.entity.append_value(&m.entity);
        self.entity_name.append_option(row.entity_name.as_deref());
        self.entity_kind.append_option(row.entity_kind.as_deref());
        self.entity_code.append_option(row.entity_code.as_deref());
    }

    fn len(&self) -> usize {
        self.article.len()
    }

    fn finish(&mut self) -> Vec<ArrayRef> {
        vec![
            arc(self.article.finish()),
            arc(self.start.finish()),
            arc(self.end.finish()),
            arc(self.text.finish()),
            arc(self.kind.finish()),
            arc(self.confidence.finish()),
            arc(self.entity.finish()),
            arc(self.entity_name.finish()),
            arc(self.entity_kind.finish()),
            arc(self.entity_code.finish()),
        ]
    }
}

/// `quotes.parquet`: quotes with their speakers (the speaker's span, when found, as columns).
#[derive(Default)]
pub(crate) struct Quotes {
    article: StringBuilder,
    start: Int64Builder,
    end: Int64Builder,
    text: StringBuilder,
    kind: StringBuilder,
    speaker: StringBuilder,
    speaker_entity: StringBuilder,
    speaker_start: Int64Builder,
    speaker_end: Int64Builder,
    cue: StringBuilder,
    medium: StringBuilder,
    confidence: Float32Builder,
}

impl Table for Quotes {
    type Row = Quote;
    const NAME: &'static str = "quotes";
    const ROWS_PER_GROUP: usize = FACT_ROWS_PER_GROUP;

    fn schema() -> SchemaRef {
        let mut fields = span_fields().to_vec();
        fields.extend([
            Field::new("text", DataType::Utf8, false),
            Field::new("kind", DataType::Utf8, false),
            strings("speaker"),
            strings("speaker_entity"),
            Field::new("speaker_start", DataType::Int64, true),
            Field::new("speaker_end", DataType::Int64, true),
            strings("cue"),
            strings("medium"),
            Field::new("confidence", DataType::Float32, false),
        ]);
        Arc::new(Schema::new(fields))
    }

    fn push(&mut self, q: Quote) {
        self.article.append_value(&q.span.article);
        self.start.append_value(q.span.start as i64);
        self.end.append_value(q.span.end as i64);
        self.text.append_value(&q.text);
        self.kind.append_value(match q.kind {
            QuoteKind::Direct => "direct",
            QuoteKind::Partial => "partial",
            QuoteKind::Indirect => "indirect",
        });
        self.speaker.append_option(q.speaker.as_deref());
        self.speaker_entity.append_option(q.speaker_entity.as_deref());
        self.speaker_start.append_option(q.speaker_span.as_ref().map(|s| s.start as i64));
        self.speaker_end.append_option(q.speaker_span.as_ref().map(|s| s.end as i64));
        self.cue.append_option(q.cue.as_deref());
        self.medium.append_option(q.medium.as_deref());
        self.confidence.append_value(q.confidence);
    }

    fn len(&self) -> usize {
        self.article.len()
    }

    fn finish(&mut self) -> Vec<ArrayRef> {
        vec![
            arc(self.article.finish()),
            arc(self.start.finish()),
            arc(self.end.finish()),
            arc(self.text.finish()),
            arc(self.kind.finish()),
            arc(self.speaker.finish()),
            arc(self.speaker_entity.finish()),
            arc(self.speaker_start.finish()),
            arc(self.speaker_end.finish()),
            arc(self.cue.finish()),
            arc(self.medium.finish()),
            arc(self.confidence.finish()),
        ]
    }
}

/// `events.parquet`: one row per event report (the GDELT export groups them per story).
#[derive(Default)]
pub(crate) struct Events {
    article: StringBuilder,
    start: Int64Builder,
    end: Int64Builder,
    story: StringBuilder,
    source_actor: StringBuilder,
    target_actor: StringBuilder,
    cameo: StringBuilder,
    plover: StringBuilder,
    plover_mode: StringBuilder,
    quad_class: Int8Builder,
    goldstein: Float32Builder,
    date: StringBuilder,
    day: Date32Builder,
    negated: BooleanBuilder,
    confidence: Float32Builder,
}

impl Table for Events {
    type Row = EventExport;
    const NAME: &'static str = "events";
    const ROWS_PER_GROUP: usize = FACT_ROWS_PER_GROUP;

    fn schema() -> SchemaRef {
        let mut fields = span_fields().to_vec();
        fields.extend([
            strings("story"),
            Field::new("source_actor", DataType::Utf8, false),
            strings("target_actor"),
            Field::new("cameo", DataType::Utf8, false),
            strings("plover"),
            strings("plover_mode"),
            Field::new("quad_class", DataType::Int8, false),
            Field::new("goldstein", DataType::Float32, false),
            strings("date"),
            Field::new("day", DataType::Date32, true),
            Field::new("negated", DataType::Boolean, false),
            Field::new("confidence", DataType::Float32, false),
        ]);
        Arc::new(Schema::new(fields))
    }

    fn push(&mut self, row: EventExport) {
        let e = &row.event;
        self.article.append_value(&e.span.article);
        self.start.append_value(e.span.start as i64);
        self.end.append_value(e.span.end as i64);
        self.story.append_option(row.story.as_deref());
        self.source_actor.append_value(&e.source_actor);
        self.target_actor.append_option(e.target_actor.as_deref());
        self.cameo.append_value(&e.cameo);
        self.plover.append_option(e.plover.as_deref());
        self.plover_mode.append_option(e.plover_mode.as_deref());
        self.quad_class.append_value(e.quad_class as i8);
        self.goldstein.append_value(e.goldstein);
        self.date.append_option(e.date.as_deref());
        self.day.append_option(e.date.as_deref().and_then(date32));
        self.negated.append_value(e.negated);
        self.confidence.append_value(e.confidence);
    }

    fn len(&self) -> usize {
        self.article.len()
    }

    fn finish(&mut self) -> Vec<ArrayRef> {
        vec![
            arc(self.article.finish()),
            arc(self.start.finish()),
            arc(self.end.finish()),
            arc(self.story.finish()),
            arc(self.source_actor.finish()),
            arc(self.target_actor.finish()),
            arc(self.cameo.finish()),
            arc(self.plover.finish()),
            arc(self.plover_mode.finish()),
            arc(self.quad_class.finish()),
            arc(self.goldstein.finish()),
            arc(self.date.finish()),
            arc(self.day.finish()),
            arc(self.negated.finish()),
            arc(self.confidence.finish()),
        ]
    }
}
