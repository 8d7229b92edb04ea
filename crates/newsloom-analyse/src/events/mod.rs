//! Political events: actor–action–target triples coded in CAMEO and PLOVER.
//!
//! [`EventCoder::code`] splits an article body into sentences and, in each, finds
//! - actors from the Phoenix actor dictionaries (countries, leaders with date-restricted
//!   codes, international organisations, militant groups) combined with agent nouns
//!   (`Russian military` → `RUSMIL`, `the government` → `---GOV`); in an article, bare
//!   agents and `the alliance`/`the bloc` take the country or organisation mentioned last
//!   (a wire dateline's country in its own sentence);
//! - verbs and verb patterns from the PETRARCH2 verb dictionary (`CAMEO.2.0.txt`), giving
//!   the CAMEO code (root and sub-code); `[A:B]` patterns also code the reverse direction;
//! - source (the actor group before the verb, or the `by` agent of a passive) and target
//!   (the first actor group after the verb and its pattern words);
//! - negation (`did not`, `denied …`: `negated`), intent (`wants to attack`, `expressed a
//!   desire to restore relations` → CAMEO 03x / 138 instead of the action) and reported
//!   violence (`X said Y attacked Z` → X accuses Y, 112);
//! - nested events as PETRARCH2 reads them (`compose`): the verb dictionary's `~`
//!   transformation rules for say- and want-frames, else the frame + action code combination
//!   for a verb governing an infinitive (`asking Obama to help Iran` → 023);
//! - the Goldstein score and quad class from the CAMEO table, the PLOVER type and mode, and
//!   the event date when the sentence states one (`In November`, `in 2014`, `in April
//!   2016`, read against the article date), else the article date.
//!
//! Other dictionaries in the same formats can be loaded with [`EventCoder::with_dictionaries`]
//! (e.g. the PETRARCH2 validation dictionaries). The shipped dictionaries (`data/`, MIT, see
//! `data/NOTICE`) are parsed once per process (about 0.2 s). Entities recognised elsewhere
//! that carry an actor code can fill the dictionaries' gaps through
//! [`EventCoder::code_with_entities`]. NATO is `IGOWSTNAT`, as the Phoenix dictionaries code it.
//!
//! Sentences with a phrase of the discard list (`Phoenix.discards.txt`: sports, entertainment,
//! past years such as `1994`) are not coded, and a `+` phrase drops the whole article, as in
//! PETRARCH2. Sentences coded without a source and a target actor give no event; sentences longer than
//! 250 tokens (lists, broken markup) are skipped, which keeps the time linear.
//!
//! ```
//! use newsloom_analyse::events::EventCoder;
//! let body = "NATO suspended all practical cooperation with Russia in 2014.";
//! let events = EventCoder::new().code("a1", body, Some("2017-01-04"), None);
//! let e = &events[0];
//! assert_eq!((e.source_actor.as_str(), e.target_actor.as_deref()), ("IGOWSTNAT", Some("RUS")));
//! assert!(e.cameo.starts_with("16"));
//! assert_eq!(e.date.as_deref(), Some("2014"));
//! assert_eq!(e.span.slice(body), Some(body));
//! ```

mod coder;
mod compose;
mod dates;
mod dict;
mod discards;
mod eval;
mod roles;
pub mod tables;
#[cfg(test)]
mod tests;

pub use eval::eval;

use coder::{Actor, Dicts};
use newsloom_model::{Entity, Event, Mention, Span};
use std::sync::{Arc, LazyLock};

static SHIPPED: LazyLock<Arc<Dicts>> = LazyLock::new(|| {
    let mut d = Dicts::default();
    d.verbs.load(include_str!("data/CAMEO.2.0.txt"));
    d.verbs.load(include_str!("data/newsloom.verbs.txt"));
    d.actors.load_actors(include_str!("data/Phoenix.Countries.actors.txt"));
    d.actors.load_actors(include_str!("data/Phoenix.International.actors.txt"));
    d.actors.load_actors(include_str!("data/Phoenix.MilNonState.actors.txt"));
    d.agents.load_agents(include_str!("data/Phoenix.agents.txt"));
    d.discards.load(include_str!("data/Phoenix.discards.txt"));
    d.finish();
    Arc::new(d)
});

/// Longest sentence (in words and punctuation) that is coded.
const MAX_SENTENCE_WORDS: usize = 250;

/// Codes political events in article text. Cheap to clone; the dictionaries are shared.
#[derive(Debug, Clone)]
pub struct EventCoder {
    dicts: Arc<Dicts>,
}

impl Default for EventCoder {
    fn default() -> Self {
        Self::new()
    }
}

impl EventCoder {
    /// A coder with the shipped Phoenix/PETRARCH2 dictionaries (MIT, see `data/NOTICE`).
    pub fn new() -> Self {
        Self { dicts: SHIPPED.clone() }
    }

    /// A coder with other dictionaries in PETRARCH format: one verb file, any number of actor
    /// files, one agents file and a discard list (may be empty) (texts, not paths).
    pub fn with_dictionaries(verbs: &str, actors: &[&str], agents: &str, discards: &str) -> Self {
        let mut d = Dicts::default();
        d.verbs.load(verbs);
        for a in actors {
            d.actors.load_actors(a);
        }
        d.agents.load_agents(agents);
        d.discards.load(discards);
        d.finish();
        Self { dicts: Arc::new(d) }
    }

    /// Events in `body`. `date` is the article date (`YYYY-MM-DD…`), used for date-restricted
    /// actor codes and relative event dates. Actors come from the dictionaries; see
    /// [`Self::code_with_entities`] to add recognised entities that carry an actor code.
    pub fn code(
        &self,
        article_id: &str,
        body: &str,
        date: Option<&str>,
        mentions: Option<&[Mention]>,
    ) -> Vec<Event> {
        self.code_with_entities(article_id, body, date, mentions.unwrap_or(&[]), &[])
    }

    /// Like [`Self::code`], also taking as actors the mentions (char offsets into `body`) of
    /// those `entities` that have a CAMEO actor code, where the dictionaries found none
    /// (a minister appointed after the dictionaries were made, say).
    pub fn code_with_entities(
        &self,
        article_id: &str,
        body: &str,
        date: Option<&str>,
        mentions: &[Mention],
        entities: &[Entity],
    ) -> Vec<Event> {
        let doc = crate::quotes::text::Doc::new(body);
        let cm = crate::quotes::text::CharMap::new(body);
        self.code_in(article_id, body, &doc, &cm, date, mentions, entities)
    }

    /// [`Self::code_with_entities`] on a tokenised body (`doc` and `cm` shared with the quote
    /// stage, which tokenises the same way).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn code_in(
        &self,
        article_id: &str,
        body: &str,
        doc: &crate::quotes::text::Doc,
        cm: &crate::quotes::text::CharMap,
        date: Option<&str>,
        mentions: &[Mention],
        entities: &[Entity],
    ) -> Vec<Event> {
        let codes: std::collections::HashMap<&str, &str> =
            entities.iter().filter_map(|e| Some((e.id.as_str(), e.code.as_deref()?))).collect();
        // (char start, char end, code) of coded mentions, in body order.
        let mut coded: Vec<(usize, usize, &str)> = mentions
            .iter()
            .filter_map(|m| Some((m.span.start, m.span.end, *codes.get(m.entity.as_str())?)))
            .collect();
        coded.sort_unstable();
        let day = date.and_then(dates::parse_day);
        let mut ctx = Context::default();
        let mut out = Vec::new();
        let mut ws = Vec::new();
        for s in &doc.sents {
            if s.b <= s.a {
                continue;
            }
            let (bs, be) = (doc.toks[s.a].s, doc.toks[s.b - 1].e);
            let text = &body[bs..be];
            // The discard list (sports, entertainment, past years), as PETRARCH2 applies it.
            match self.dicts.discards.check(text) {
                discards::Discard::Story => return Vec::new(),
                discards::Discard::Sentence => continue,
                discards::Discard::Keep => {}
            }
            let span = Span::new(article_id, cm.char(bs), cm.char(be));
            coder::words_into(body, &doc.toks[s.a..s.b], &mut ws);
            // Coded entity mentions inside this sentence, as word ranges.
            let (cs, ce) = (cm.char(bs), cm.char(be));
            let first = coded.partition_point(|m| m.0 < cs);
            let extra: Vec<(usize, usize, String)> = coded[first..]
                .iter()
                .take_while(|m| m.0 < ce)
                .filter_map(|&(ms, me, code)| {
                    let in_mention = |w: &coder::W| {
                        let c = cm.char(doc.toks[s.a + w.tok].s);
                        ms <= c && c < me
                    };
                    let a = ws.iter().position(in_mention)?;
                    let b = a + ws[a..].iter().take_while(|w| in_mention(w)).count();
                    Some((a, b, code.to_string()))
                })
                .collect();
            for e in self.code_words(&ws, &extra, day, &mut ctx) {
                out.push(self.to_event(e, span.clone(), text, day, date));
            }
        }
        out
    }

    /// Codes one sentence as (source, target, code, negated) — no context carried over.
    pub(crate) fn code_one(&self, sentence: &str, day: Option<(i32, u32, u32)>) -> Vec<coder::Coded> {
        if self.dicts.discards.check(sentence) != discards::Discard::Keep {
            return Vec::new();
        }
        self.code_text(sentence, day, &mut Context::default())
    }

    fn code_text(&self, text: &str, day: Option<(i32, u32, u32)>, ctx: &mut Context) -> Vec<coder::Coded> {
        self.code_words(&coder::words(text), &[], day, ctx)
    }

    fn code_words(
        &self,
        ws: &[coder::W],
        extra: &[(usize, usize, String)],
        day: Option<(i32, u32, u32)>,
        ctx: &mut Context,
    ) -> Vec<coder::Coded> {
        // A "sentence" of hundreds of words is a list or broken markup, not something the
        // positional rules can read; skipping it also keeps coding time linear.
        if ws.len() > MAX_SENTENCE_WORDS {
            return Vec::new();
        }
        let ymd = day.map(|(y, m, d)| y as u32 * 10000 + m * 100 + d);
        let mut actors = self.dicts.actors(ws, ymd);
        // Recognised entities the dictionaries missed.
        let before = actors.len();
        for (a, b, code) in extra {
            if !actors[..before].iter().any(|x| x.s < *b && *a < x.e) {
                actors.push(Actor { s: *a, e: *b, code: code.clone(), bare_agent: false });
            }
        }
        if actors.len() > before {
            actors.sort_by_key(|x| x.s);
        }
        ctx.resolve(ws, &mut actors);
        // Every coded event needs a source and a target: one actor is not enough.
        if actors.len() < 2 {
            return Vec::new();
        }
        self.dicts.code_sentence(ws, &actors)
    }

    fn to_event(
        &self,
        e: coder::Coded,
        span: Span,
        sentence: &str,
        day: Option<(i32, u32, u32)>,
        article_date: Option<&str>,
    ) -> Event {
        let (_, q, g) = tables::cameo_info(&e.code).unwrap_or(("", tables::quad_of(&e.code), 0.0));
        let pl = tables::plover(&e.code);
        Event {
            source_actor: e.source,
            target_actor: e.target,
            plover: pl.map(|p| p.0.to_string()),
            plover_mode: pl.and_then(|p| p.1.map(str::to_string)),
            goldstein: g,
            quad_class: tables::quad_class(q),
            date: dates::event_date(sentence, day)
                .or_else(|| article_date.map(|d| d.chars().take(10).collect())),
            negated: e.negated,
            cameo: e.code,
            span,
            confidence: if e.pattern { 0.7 } else { 0.5 },
            action_geo: None,
            source_geo: None,
            target_geo: None,
        }
    }
}

/// What earlier sentences of the article named, for `the government`, `the alliance`.
#[derive(Default)]
struct Context {
    last_country: Option<String>,
    last_igo: Option<String>,
}

impl Context {
    fn resolve(&mut self, ws: &[coder::W], actors: &mut Vec<Actor>) {
        // A wire dateline (`GAZA CITY, Palestinian Territories: Four children …`, `NEW ORLEANS
        // (AP) - Police say …`) is parsed as part of the subject noun phrase, whose actor
        // PETRARCH2 mixes with the agents (PSECVL): its country is the place of the sentence.
        let place = dateline_end(ws).and_then(|d| {
            actors.iter().rev().find(|a| a.e <= d && !a.bare_agent).and_then(|a| country_of(&a.code))
        });
        for a in actors.iter_mut() {
            if a.bare_agent
                && let Some(c) = place.as_ref().or(self.last_country.as_ref())
            {
                a.code = format!("{c}{}", &a.code[3..]);
                a.bare_agent = false;
            }
        }
        // `the alliance`, `the bloc`, `the military bloc` → the organisation named last.
        if let Some(igo) = &self.last_igo {
            for (k, w) in ws.iter().enumerate() {
                if matches!(w.w.as_str(), "ALLIANCE" | "BLOC")
                    && k > 0
                    && (ws[k - 1].w == "THE" || (k > 1 && ws[k - 2].w == "THE"))
                    && !actors.iter().any(|a| a.s <= k && k < a.e)
                {
                    let s = if ws[k - 1].w == "THE" { k - 1 } else { k - 2 };
                    actors.push(Actor { s, e: k + 1, code: igo.clone(), bare_agent: false });
                }
            }
            actors.sort_by_key(|a| a.s);
        }
        for a in actors.iter() {
            if a.code.starts_with("IGO") || a.code.starts_with("NGO") {
                self.last_igo = Some(a.code.clone());
            } else if let Some(c) = country_of(&a.code) {
                self.last_country = Some(c);
            }
        }
    }
}

/// The country part of an actor code (not of an organisation or a bare agent).
fn country_of(code: &str) -> Option<String> {
    (!code.starts_with("---") && !code.starts_with("IGO") && !code.starts_with("NGO"))
        .then(|| code.get(..3).map(str::to_string))
        .flatten()
}

/// End of a dateline opening the sentence: capitalised words, commas, abbreviations and a
/// parenthesised agency (`KANSAS CITY, Mo. (AP)`), up to 8 words, then `-`, `–`, `—`, `--` or
/// `:` and a capitalised word.
fn dateline_end(ws: &[coder::W]) -> Option<usize> {
    let mut words = 0;
    let mut paren = false;
    for (k, w) in ws.iter().enumerate().take(16) {
        match w.w.as_str() {
            "-" | "–" | "—" | "--" | ":" if words > 0 && !paren => {
                return ws.get(k + 1).is_some_and(|n| n.cap && !n.punct).then_some(k);
            }
            "(" => paren = true,
            ")" => paren = false,
            "," | "." => {}
            _ if paren || (w.cap && !w.punct) => {
                words += 1;
                if words > 8 {
                    return None;
                }
            }
            _ => return None,
        }
    }
    None
}
