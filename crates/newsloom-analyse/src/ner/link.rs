//! From tagged spans to canonical entities: dictionary linking (CAMEO codes), alias merging
//! within an article, pronouns and definite descriptions, roles from titles and apposition.

use super::gazetteer::{GazCat, GazEntry};
use super::words::{
    ALLIANCE_WORDS, HONORIFICS, INSTITUTION_NOUNS, MONTHS, PARTICLES, PRONOUNS, TITLE_WORDS, lower_in,
};
use super::{NerLabel, NerTagger, TaggedText};
use newsloom_model::{Entity, EntityKind, Mention, Span};
use std::collections::HashMap;

/// Finds the entities of an article and every mention of them. Cheap to create (the model is
/// shared process-wide) and `Send + Sync`.
pub struct EntityRecognizer {
    tagger: &'static NerTagger,
}

impl std::fmt::Debug for EntityRecognizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EntityRecognizer").field("weights", &self.tagger.weights.len()).finish()
    }
}

impl Default for EntityRecognizer {
    fn default() -> Self {
        Self::new()
    }
}

/// One mention while linking; `ent` indexes the draft entities.
struct Draft {
    first: usize,
    end: usize,
    label: NerLabel,
    conf: f32,
    ent: usize,
    /// A part of token `first` (byte range), for compounds like "NATO-Russia".
    sub: Option<(usize, usize)>,
}

/// A candidate mention: token range, label, confidence, optional sub-token byte range.
type Cand = (usize, usize, NerLabel, f32, Option<(usize, usize)>);

struct DraftEntity {
    id: String,
    name: String,
    kind: EntityKind,
    code: Option<String>,
    role: Option<String>,
    country: Option<String>,
    /// Lowercased name tokens, for alias matching.
    toks: Vec<String>,
}

fn slug(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

fn kind_of(label: NerLabel) -> EntityKind {
    match label {
        NerLabel::Per => EntityKind::Person,
        NerLabel::Org => EntityKind::Organisation,
        NerLabel::Loc => EntityKind::Place,
        NerLabel::Misc => EntityKind::Misc,
    }
}

fn is_cap(t: &str) -> bool {
    t.chars().next().is_some_and(char::is_uppercase)
}

/// The country part of a CAMEO code (`RUSGOV` → `RUS`), when it starts with one.
fn country_of(code: &str, tagger: &NerTagger) -> Option<String> {
    let c = code.get(..3)?;
    tagger.gazetteer().is_country(c).then(|| c.to_string())
}

impl EntityRecognizer {
    /// Uses the shipped tagger (loaded once per process).
    pub fn new() -> Self {
        EntityRecognizer { tagger: NerTagger::shared() }
    }

    pub fn tagger(&self) -> &NerTagger {
        self.tagger
    }

    /// Entities and mentions of `body`, with spans as char offsets into `body`. Dated codes
    /// (leaders) are resolved to the current ones; see [`EntityRecognizer::recognise_dated`].
    pub fn recognise(&self, article_id: &str, body: &str) -> (Vec<Entity>, Vec<Mention>) {
        self.recognise_dated(article_id, body, None)
    }

    /// Entities and mentions of an article's body, with leaders' codes resolved for its
    /// publication day when known.
    pub fn recognise_article(&self, article: &newsloom_model::Article) -> (Vec<Entity>, Vec<Mention>) {
        let day = article.published.as_ref().and_then(|d| d.day());
        self.recognise_dated(&article.id, &article.body, day)
    }

    /// Like [`EntityRecognizer::recognise`], resolving dated CAMEO codes for `date` (`YYYY-MM-DD`).
    pub fn recognise_dated(
        &self,
        article_id: &str,
        body: &str,
        date: Option<&str>,
    ) -> (Vec<Entity>, Vec<Mention>) {
        let tagged = self.tagger.tag(body);
        self.link(article_id, body, &tagged, date)
    }

    /// Links an already tagged text (see [`NerTagger::tag`]).
    pub fn link(
        &self,
        article_id: &str,
        body: &str,
        tagged: &TaggedText,
        date: Option<&str>,
    ) -> (Vec<Entity>, Vec<Mention>) {
        let toks = &tagged.tokens;
        let text = |i: usize| toks[i].text(body);
        let gaz = self.tagger.gazetteer();
        let mut ents: Vec<DraftEntity> = Vec::new();
        let mut by_id = Index::default();
        let mut drafts: Vec<Draft> = Vec::new();

        // Spans: the tagger's, plus capitalised dictionary institutions/IGOs it did not tag.
        let mut spans: Vec<(usize, usize, NerLabel, f32)> =
            tagged.spans.iter().map(|s| (s.first_token, s.end_token, s.label, s.confidence)).collect();
        split_titles(body, tagged, &mut spans);
        // "Jan 4": a month before a number is a date, whatever the tagger thought.
        let digit_at = |i: usize| i < toks.len() && text(i).starts_with(|c: char| c.is_ascii_digit());
        spans.retain(|s| {
            !(lower_in(text(s.0).trim_end_matches('.'), MONTHS)
                && (s.1 == s.0 + 1 && digit_at(s.1) || s.1 > s.0 + 1 && digit_at(s.0 + 1)))
        });
        // "The United Nations": the article is not part of the name.
        for s in spans.iter_mut() {
            if s.1 > s.0 + 1 && text(s.0).eq_ignore_ascii_case("the") {
                s.0 += 1;
            }
        }
        // A lone title ("President") is a role, not an entity.
        spans.retain(|s| !(s.1 == s.0 + 1 && lower_in(text(s.0), TITLE_WORDS)));
        // "Narendra" + "Modi": extend a person to the dictionary's longer name.
        let starts: std::collections::HashSet<usize> = spans.iter().map(|s| s.0).collect();
        for s in spans.iter_mut().filter(|s| s.2 == NerLabel::Per) {
            for extra in (1..=2).rev() {
                let b = s.1 + extra;
                if b <= toks.len()
                    && (s.1..b).all(|i| is_cap(text(i)) && !starts.contains(&i))
                    && gaz.lookup((s.0..b).map(text)).is_some_and(|e| e.cat == GazCat::Person)
                {
                    s.1 = b;
                    break;
                }
            }
        }
        // A "person" with a lowercase word that is no name particle ("Ministry Appeals for
        // NATO") is a misread title-case line; one with an institution noun is no person.
        spans.retain(|s| {
            s.2 != NerLabel::Per
                || (s.0..s.1).all(|i| {
                    is_cap(text(i))
                        || PARTICLES.contains(&text(i))
                        || !text(i).chars().any(char::is_alphabetic)
                })
        });
        for s in spans.iter_mut().filter(|s| s.2 == NerLabel::Per) {
            if (s.0..s.1).any(|i| lower_in(text(i), INSTITUTION_NOUNS)) {
                s.2 = NerLabel::Org;
                s.3 *= 0.7;
            }
        }
        // A "person" made only of agent nouns ("Ministry") is an organisation.
        for s in spans.iter_mut().filter(|s| s.2 == NerLabel::Per) {
            if (s.0..s.1).all(|i| gaz.lookup([text(i)]).is_some_and(|e| e.cat == GazCat::Agent)) {
                s.2 = NerLabel::Org;
                s.3 *= 0.7;
            }
        }
        let mut covered = vec![false; toks.len()];
        for s in &spans {
            covered[s.0..s.1].iter_mut().for_each(|c| *c = true);
        }
        // Whether each token is a title word, worked out once (the windows below overlap).
        let mut title_memo = vec![0u8; toks.len()];
        let mut is_title = |j: usize| {
            if title_memo[j] == 0 {
                title_memo[j] = 1 + u8::from(lower_in(text(j), TITLE_WORDS));
            }
            title_memo[j] == 2
        };
        let mut i = 0;
        while i < toks.len() {
            if covered[i] || !is_cap(text(i)) {
                i += 1;
                continue;
            }
            let mut best = None;
            for len in (1..=6.min(toks.len() - i)).rev() {
                if covered[i..i + len].iter().any(|&c| c) || !is_cap(text(i + len - 1)) {
                    continue;
                }
                let institution_noun =
                    |w: &str| INSTITUTION_NOUNS.contains(&w.to_lowercase().trim_end_matches('s'));
                let titled = (i..i + len).any(&mut is_title);
                if !titled
                    && let Some(e) = gaz.lookup((i..i + len).map(text))
                    && (matches!(e.cat, GazCat::Institution | GazCat::International) && !is_dated(e)
                        || e.cat == GazCat::Agent && len >= 2 && institution_noun(text(i + len - 1)))
                    && len + usize::from(text(i).len() > 3) >= 2
                {
                    best = Some(len);
                    break;
                }
            }
            if let Some(len) = best {
                spans.push((i, i + len, NerLabel::Org, 0.6));
                i += len;
            } else {
                i += 1;
            }
        }
        spans.sort_by_key(|s| s.0);

        // "NATO-Russia": a hyphenated compound of dictionary names stands for each of them.
        let mut cands: Vec<Cand> = Vec::with_capacity(spans.len());
        for &(a, b, label, conf) in &spans {
            match compound_parts(gaz, text(a)).filter(|_| b == a + 1) {
                Some(parts) => {
                    let base = toks[a].start;
                    for (x, y, l) in parts {
                        cands.push((a, b, l, conf * 0.9, Some((base + x, base + y))));
                    }
                }
                None => cands.push((a, b, label, conf, None)),
            }
        }
        let spans = cands;
        let words_of = |c: &Cand| -> Vec<&str> {
            match c.4 {
                Some((x, y)) => vec![&body[x..y]],
                None => (c.0..c.1).map(text).collect(),
            }
        };

        // "Russian" + "Foreign Ministry": a country span right before an organisation.
        let mut ending_at: HashMap<usize, usize> = HashMap::new();
        for (k, c) in spans.iter().enumerate() {
            ending_at.entry(c.1).or_insert(k);
        }
        let modifier: Vec<Option<String>> = spans
            .iter()
            .map(|&(a, _, label, _, _)| {
                if label != NerLabel::Org {
                    return None;
                }
                let possessive = a > 0 && matches!(text(a - 1), "'s" | "’s");
                let prev =
                    ending_at.get(&a).or_else(|| if possessive { ending_at.get(&(a - 1)) } else { None })?;
                let e = gaz.lookup(words_of(&spans[*prev]))?;
                let c = e.code(date)?;
                (e.cat == GazCat::Country || gaz.is_country(c)).then(|| c.to_string())
            })
            .collect();

        // Longer names first, so that "Kelin" finds "Andrei Kelin" wherever it occurs.
        let mut order: Vec<usize> = (0..spans.len()).collect();
        order.sort_by_key(|&k| (std::cmp::Reverse(spans[k].1 - spans[k].0), spans[k].0));
        let mut ent_of = vec![usize::MAX; spans.len()];
        for &k in &order {
            let (a, b, label, _, sub) = spans[k];
            let words = words_of(&spans[k]);
            let surface = match sub {
                Some((x, y)) => body[x..y].to_string(),
                None => body[toks[a].start..toks[b - 1].end].to_string(),
            };
            let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
            let entry = gaz.lookup(words.iter().copied()).filter(|e| e.cat != GazCat::Agent);
            let e = match entry {
                Some(en) => self.entity_for_entry(en, label, &surface, &lower, date, &mut ents, &mut by_id),
                None => {
                    let composed = if label == NerLabel::Org {
                        self.compose(&words, date).or_else(|| {
                            let country = modifier[k].as_deref()?;
                            Some(format!("{country}{}", self.agent(&words, date).unwrap_or_default()))
                        })
                    } else {
                        None
                    };
                    match find_alias(&ents, &by_id, label, &lower) {
                        Some(e) => {
                            if ents[e].code.is_none() && composed.is_some() {
                                ents[e].country = composed.as_ref().and_then(|c| country_of(c, self.tagger));
                                ents[e].code = composed;
                            }
                            e
                        }
                        None => {
                            let prefix = match label {
                                NerLabel::Per => "person",
                                NerLabel::Org => "org",
                                NerLabel::Loc => "place",
                                NerLabel::Misc => "misc",
                            };
                            let id = format!("{prefix}:{}", slug(&surface));
                            let country = composed.as_ref().and_then(|c| country_of(c, self.tagger));
                            new_entity(
                                &mut ents,
                                &mut by_id,
                                id,
                                &surface,
                                kind_of(label),
                                composed,
                                country,
                                lower,
                            )
                        }
                    }
                }
            };
            ent_of[k] = e;
        }
        for (k, s) in spans.iter().enumerate() {
            drafts.push(Draft { first: s.0, end: s.1, label: s.2, conf: s.3, ent: ent_of[k], sub: s.4 });
        }

        self.roles(body, tagged, &drafts, &mut ents);
        self.references(body, tagged, &mut drafts, &ents);
        drafts.sort_by_key(|d| d.first);

        // Output: entities in order of first mention.
        let mut rank = vec![usize::MAX; ents.len()];
        // Generic organisation names ("Foreign Ministry") are only unique within a country.
        for e in ents.iter_mut() {
            if let (Some(rest), Some(c)) = (e.id.strip_prefix("org:"), e.country.as_deref())
                && e.code.as_deref() != Some(c)
            {
                e.id = format!("org:{}-{rest}", c.to_lowercase());
            }
        }
        let mut entities = Vec::new();
        for d in &drafts {
            if rank[d.ent] == usize::MAX {
                rank[d.ent] = entities.len();
                let e = &ents[d.ent];
                entities.push(Entity {
                    id: e.id.clone(),
                    name: e.name.clone(),
                    kind: e.kind,
                    code: e.code.clone(),
                    role: e.role.clone(),
                    country: e.country.clone(),
                });
            }
        }
        let mentions = drafts
            .iter()
            .map(|d| {
                let (first, last) = (&toks[d.first], &toks[d.end - 1]);
                let (text, cs, ce) = match d.sub {
                    Some((x, y)) => {
                        let cs = first.char_start + body[first.start..x].chars().count();
                        (&body[x..y], cs, cs + body[x..y].chars().count())
                    }
                    None => (&body[first.start..last.end], first.char_start, last.char_end),
                };
                Mention {
                    entity: ents[d.ent].id.clone(),
                    text: text.to_string(),
                    kind: kind_of(d.label),
                    span: Span::new(article_id, cs, ce),
                    confidence: d.conf,
                }
            })
            .collect();
        (entities, mentions)
    }

    /// The entity a dictionary entry stands for: countries, institutions and IGOs by code,
    /// people by name (with their code).
    #[allow(clippy::too_many_arguments)]
    fn entity_for_entry(
        &self,
        en: &GazEntry,
        label: NerLabel,
        surface: &str,
        lower: &[String],
        date: Option<&str>,
        ents: &mut Vec<DraftEntity>,
        by_id: &mut Index,
    ) -> usize {
        let code = en.code(date).map(str::to_string);
        let country = code.as_deref().and_then(|c| country_of(c, self.tagger));
        let gaz = self.tagger.gazetteer();
        let bare_country = code.as_deref().is_some_and(|c| c.len() == 3 && gaz.is_country(c));
        let cat = if bare_country && label != NerLabel::Per { GazCat::Country } else { en.cat };
        match (cat, code) {
            (GazCat::Country, Some(code)) => {
                let name = self.tagger.gazetteer().country_name(&code).unwrap_or(surface).to_string();
                let country = Some(code.clone());
                let id = code.clone();
                new_entity(ents, by_id, id, &name, EntityKind::Place, Some(code), country, lower.to_vec())
            }
            (GazCat::Institution | GazCat::International | GazCat::NonState, Some(code))
                if label != NerLabel::Per && !is_dated(en) =>
            {
                // A specific code (IGOWSTNAT, RUSGOV) names the actor; a bare sector code (MED
                // for every news agency) does not.
                let id = if code.len() >= 6 { code.clone() } else { format!("org:{}", slug(surface)) };
                new_entity(
                    ents,
                    by_id,
                    id,
                    surface,
                    EntityKind::Organisation,
                    Some(code),
                    country,
                    lower.to_vec(),
                )
            }
            (_, code) => match find_alias(ents, by_id, label, lower) {
                Some(e) => e,
                None => {
                    let id = format!("person:{}", slug(surface));
                    let kind = if en.cat == GazCat::Person || is_dated(en) {
                        EntityKind::Person
                    } else {
                        kind_of(label)
                    };
                    new_entity(ents, by_id, id, surface, kind, code, country, lower.to_vec())
                }
            },
        }
    }

    /// "Russian Foreign Ministry": a country name or adjective followed by an agent noun gives
    /// the country's code plus the agent's (`RUS` + `GOV`).
    fn compose(&self, words: &[&str], date: Option<&str>) -> Option<String> {
        let gaz = self.tagger.gazetteer();
        for split in 1..words.len() {
            let Some(c) = gaz.lookup(words[..split].iter().copied()) else { continue };
            if c.cat != GazCat::Country {
                continue;
            }
            let country = c.code(date)?;
            let agent = self.agent(&words[split..], date).unwrap_or_default();
            return Some(format!("{country}{agent}"));
        }
        None
    }

    /// The agent code of the longest agent noun phrase ending `words` ("Foreign Ministry" → GOV).
    fn agent(&self, words: &[&str], date: Option<&str>) -> Option<String> {
        let gaz = self.tagger.gazetteer();
        (0..words.len()).find_map(|start| {
            let a = gaz.lookup(words[start..].iter().copied())?;
            (a.cat == GazCat::Agent).then(|| a.code(date).map(|c| c.trim_start_matches('~').to_string()))?
        })
    }

    /// Roles and countries from a title before a name or an apposition after it.
    fn roles(&self, body: &str, tagged: &TaggedText, drafts: &[Draft], ents: &mut [DraftEntity]) {
        let toks = &tagged.tokens;
        let text = |i: usize| toks[i].text(body);
        let gaz = self.tagger.gazetteer();
        for d in drafts.iter().filter(|d| d.label == NerLabel::Per) {
            if ents[d.ent].role.is_some() {
                continue;
            }
            let si = tagged.sentences.partition_point(|s| s.1 <= d.first);
            let sent = tagged.sentences.get(si).copied().filter(|s| s.0 <= d.first);
            let Some((ss, se)) = sent else { continue };
            // Title: capitalised words right before the name, one of them a title word.
            let mut a = d.first;
            while a > ss && (is_cap(text(a - 1)) || text(a - 1) == "of") && d.first - a < 6 {
                a -= 1;
            }
            while a < d.first && !is_cap(text(a)) {
                a += 1;
            }
            let mut role = None;
            if a < d.first {
                let words: Vec<String> = (a..d.first).map(|i| text(i).to_lowercase()).collect();
                if words.iter().any(|w| TITLE_WORDS.contains(&w.as_str()))
                    && !words.iter().all(|w| HONORIFICS.contains(&w.as_str()))
                {
                    role = Some((a, d.first));
                }
            }
            // Apposition: "Name, the ... ," up to the next comma or the sentence end.
            if role.is_none() && d.end + 2 < se && text(d.end) == "," {
                let first = text(d.end + 1).to_lowercase();
                let mut j = d.end + 1;
                while j < se && !matches!(text(j), "," | "." | ";" | "(" | "\"" | "“" | "”") && j - d.end < 16
                {
                    j += 1;
                }
                let words: Vec<String> = (d.end + 1..j).map(|i| text(i).to_lowercase()).collect();
                let has_title = words.iter().any(|w| TITLE_WORDS.contains(&w.as_str()));
                if matches!(first.as_str(), "the" | "a" | "an") && has_title && j > d.end + 2 {
                    role = Some((d.end + 2, j));
                } else if has_title && is_cap(text(d.end + 1)) && j > d.end + 1 && j - d.end <= 6 {
                    role = Some((d.end + 1, j));
                }
            }
            let Some((ra, rb)) = role else { continue };
            let role_text = body[toks[ra].start..toks[rb - 1].end].to_string();
            // Country: an adjective/name in the role, or an entity inside it that has one.
            let mut country = None;
            for i in ra..rb {
                if let Some(e) = gaz.lookup([text(i)])
                    && e.cat == GazCat::Country
                {
                    country = e.code(None).map(str::to_string);
                    break;
                }
            }
            if country.is_none() {
                country = drafts
                    .iter()
                    .filter(|o| o.first >= ra && o.end <= rb)
                    .find_map(|o| ents[o.ent].country.clone());
            }
            let e = &mut ents[d.ent];
            e.role = Some(role_text);
            if e.country.is_none() {
                e.country = country;
            }
        }
    }

    /// Pronouns (he, she, his, her) → the nearest preceding person within two sentences;
    /// "the alliance/bloc/organisation" → the latest IGO mentioned before.
    fn references(&self, body: &str, tagged: &TaggedText, drafts: &mut Vec<Draft>, ents: &[DraftEntity]) {
        let toks = &tagged.tokens;
        let mut sorted: Vec<(usize, usize, usize, NerLabel)> =
            drafts.iter().map(|d| (d.first, d.end, d.ent, d.label)).collect();
        sorted.sort_unstable();
        let sent_of = |i: usize| tagged.sentences.partition_point(|s| s.1 <= i);
        let mut extra = Vec::new();
        for (i, t) in toks.iter().enumerate() {
            let word = t.text(body);
            // Most tokens are neither: test before allocating the lowercase form, and first by
            // the initial letter (every pronoun and alliance word starts with one of these).
            let initial = word.as_bytes().first().map(u8::to_ascii_lowercase);
            if initial.is_some_and(|c| c.is_ascii() && !matches!(c, b'h' | b's' | b'a' | b'b' | b'o')) {
                continue;
            }
            let (pronoun, alliance) = (lower_in(word, PRONOUNS), lower_in(word, ALLIANCE_WORDS));
            if !pronoun && !alliance {
                continue;
            }
            let w = word.to_lowercase();
            if pronoun {
                let before = sorted.partition_point(|d| d.0 < i);
                // "him" is rarely the subject of its own sentence.
                let same_ok = !matches!(w.as_str(), "him");
                let person = sorted[..before]
                    .iter()
                    .rev()
                    .find(|d| d.3 == NerLabel::Per && (same_ok || sent_of(d.0) != sent_of(i)));
                if let Some(&(first, _, ent, _)) = person
                    && sent_of(i) <= sent_of(first) + 2
                {
                    extra.push(Draft {
                        first: i,
                        end: i + 1,
                        label: NerLabel::Per,
                        conf: 0.5,
                        ent,
                        sub: None,
                    });
                }
            } else if alliance && i > 0 {
                let det = toks[i - 1].text(body).to_lowercase();
                let (start, det_ok) = if det == "the" {
                    (i - 1, true)
                } else if i > 1 && toks[i - 2].text(body).eq_ignore_ascii_case("the") {
                    (i - 2, toks[i - 1].text(body).chars().all(char::is_lowercase))
                } else {
                    (i, false)
                };
                if !det_ok {
                    continue;
                }
                let before = sorted.partition_point(|d| d.0 < start);
                // "the alliance" wants an alliance (NATO); "the bloc"/"the organisation" any IGO.
                let fits = |e: &DraftEntity| {
                    e.code.as_deref().is_some_and(|c| c.starts_with("IGO"))
                        && (w != "alliance"
                            || e.code.as_deref() == Some("IGOWSTNAT")
                            || e.toks.iter().any(|t| matches!(t.as_str(), "alliance" | "treaty" | "pact")))
                };
                let igo = sorted[..before].iter().rev().find(|d| fits(&ents[d.2]));
                if let Some(&(_, _, ent, _)) = igo {
                    extra.push(Draft {
                        first: start,
                        end: i + 1,
                        label: NerLabel::Org,
                        conf: 0.6,
                        ent,
                        sub: None,
                    });
                }
            }
        }
        drafts.extend(extra);
    }
}

/// The parts of a hyphenated compound when each is a country or organisation in the
/// dictionaries ("NATO-Russia" → NATO, Russia): byte ranges within the word and labels.
fn compound_parts(gaz: &super::Gazetteer, word: &str) -> Option<Vec<(usize, usize, NerLabel)>> {
    if !word.contains('-') {
        return None;
    }
    let mut out = Vec::new();
    let mut at = 0;
    for part in word.split('-') {
        let e = gaz.lookup([part])?;
        let label = match e.cat {
            GazCat::Country => NerLabel::Loc,
            GazCat::International | GazCat::Institution if !is_dated(e) => NerLabel::Org,
            _ => return None,
        };
        out.push((at, at + part.len(), label));
        at += part.len() + 1;
    }
    (out.len() >= 2).then_some(out)
}

/// Dated codes belong to office holders (people), not institutions.
fn is_dated(e: &GazEntry) -> bool {
    e.codes.split(';').any(|c| c.split_whitespace().nth(1).is_some())
}

/// "Kremlin Spokesman Dmitri Peskov" tagged as one span: the words after a capitalised title
/// word are the person, the words before it an organisation or place.
fn split_titles(body: &str, tagged: &TaggedText, spans: &mut Vec<(usize, usize, NerLabel, f32)>) {
    let toks = &tagged.tokens;
    let mut out = Vec::with_capacity(spans.len());
    for &(a, b, label, conf) in spans.iter() {
        let title = (a..b.saturating_sub(1))
            .find(|&i| is_cap(toks[i].text(body)) && lower_in(toks[i].text(body), TITLE_WORDS));
        match title {
            Some(k) if matches!(label, NerLabel::Per | NerLabel::Org) && b - k >= 2 => {
                // The rest must look like a name: capitalised words only.
                if (k + 1..b).all(|i| is_cap(toks[i].text(body))) {
                    if k > a {
                        out.push((a, k, NerLabel::Org, conf));
                    }
                    out.push((k + 1, b, NerLabel::Per, conf * 0.9));
                    continue;
                }
                out.push((a, b, label, conf));
            }
            _ => out.push((a, b, label, conf)),
        }
    }
    // "Kremlin Spokesman | Dmitri Peskov": titles that end an organisation or place just
    // before a person are the person's role, not part of the name.
    let per_starts: std::collections::HashSet<usize> =
        out.iter().filter(|s| s.2 == NerLabel::Per).map(|s| s.0).collect();
    for s in out.iter_mut().filter(|s| s.2 != NerLabel::Per && per_starts.contains(&s.1)) {
        while s.1 > s.0 + 1 && lower_in(toks[s.1 - 1].text(body), TITLE_WORDS) {
            s.1 -= 1;
        }
    }
    *spans = out;
}

const STOP: &[&str] = &["of", "the", "and", "for"];

/// Lookup tables over the draft entities, so that linking stays linear in the mentions.
#[derive(Default)]
struct Index {
    ids: HashMap<String, usize>,
    exact: HashMap<Vec<String>, usize>,
    first: HashMap<String, Vec<usize>>,
    last: HashMap<String, Vec<usize>>,
    acronym: HashMap<String, Vec<usize>>,
}

/// An existing entity this mention is an alias of: same name, the surname of a person, a
/// trailing or leading part of an organisation's name, or its acronym. The earliest wins.
fn find_alias(ents: &[DraftEntity], index: &Index, label: NerLabel, lower: &[String]) -> Option<usize> {
    if let Some(&e) = index.exact.get(lower) {
        return Some(e);
    }
    let (n, kind) = (lower.len(), kind_of(label));
    let (Some(head), Some(tail)) = (lower.first(), lower.last()) else { return None };
    let ok = |i: &usize| {
        let e = &ents[*i];
        (e.kind == kind || (label == NerLabel::Per) == (e.kind == EntityKind::Person)) && e.toks.len() > n
    };
    let none = Vec::new();
    let suffix =
        index.last.get(tail).unwrap_or(&none).iter().filter(|i| ok(i) && ents[**i].toks.ends_with(lower));
    let prefix = index
        .first
        .get(head)
        .unwrap_or(&none)
        .iter()
        .filter(|i| label != NerLabel::Per && ok(i) && ents[**i].toks.starts_with(lower));
    let acronym = index
        .acronym
        .get(head)
        .filter(|_| n == 1 && head.len() >= 2)
        .unwrap_or(&none)
        .iter()
        .filter(|i| ok(i));
    suffix.chain(prefix).chain(acronym).min().copied()
}

#[allow(clippy::too_many_arguments)]
fn new_entity(
    ents: &mut Vec<DraftEntity>,
    index: &mut Index,
    id: String,
    name: &str,
    kind: EntityKind,
    code: Option<String>,
    country: Option<String>,
    toks: Vec<String>,
) -> usize {
    if let Some(&e) = index.ids.get(&id) {
        return e;
    }
    let e = ents.len();
    index.ids.insert(id.clone(), e);
    index.exact.entry(toks.clone()).or_insert(e);
    if let (Some(f), Some(l)) = (toks.first(), toks.last()) {
        index.first.entry(f.clone()).or_default().push(e);
        index.last.entry(l.clone()).or_default().push(e);
    }
    let words: Vec<&String> = toks.iter().filter(|t| !STOP.contains(&t.as_str())).collect();
    if words.len() >= 2 {
        let acro: String = words.iter().filter_map(|w| w.chars().next()).collect();
        index.acronym.entry(acro).or_default().push(e);
    }
    ents.push(DraftEntity { id, name: name.to_string(), kind, code, role: None, country, toks });
    e
}
