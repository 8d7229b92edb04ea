//! Sentence-level coding: actor phrases (country + agent), verbs with their patterns,
//! source/target by position (with passives and compounds), negation, intent and say-frames.

use super::dict::{CodePair, PWord, PhraseDict, Sig, VerbDict, code_on};
use super::roles::{
    first_group, group_after, group_after_word, group_before, intent_before, intent_frame_after, join_codes,
    to_intent,
};

/// The dictionaries one coder works with.
#[derive(Debug, Default)]
pub(crate) struct Dicts {
    pub verbs: VerbDict,
    pub actors: PhraseDict,
    pub agents: PhraseDict,
    /// Words that start an actor or agent phrase, and all stems: a word in neither (nor a
    /// stem plus a short ending) cannot start a match, which saves most lookups.
    /// (By [`super::dict::word_hash`]: these only pre-filter, and a hash compare costs no
    /// trip to a heap string.)
    starts: super::dict::FxSet<u64>,
    stems: super::dict::FxSet<u64>,
    /// Leading bytes of `starts` and `stems`: rejects most words with one bit test.
    start_prefixes: super::dict::PrefixBits,
    /// Per synset: first word of each member → member indices (a lookup, not a scan).
    syn_index: Vec<super::dict::FxMap<String, Vec<usize>>>,
}

/// A word of a sentence: uppercase text without a possessive `'s`.
#[derive(Debug, Clone)]
pub(crate) struct W {
    pub w: String,
    pub punct: bool,
    /// Written with a capital letter (a name, not a verb, unless sentence-initial).
    pub cap: bool,
    /// Part of a hyphenated word (`Israeli-occupied`): never a verb.
    pub hyph: bool,
    /// Index of the token it came from, within the tokens given to [`words_of_tokens`].
    pub tok: usize,
}

/// An actor found in a sentence, over words `[s, e)`.
#[derive(Debug, Clone)]
pub(crate) struct Actor {
    pub s: usize,
    pub e: usize,
    pub code: String,
    /// Only an agent (`the government`): no country was named.
    pub bare_agent: bool,
}

/// A verb occurrence: words `[i, ve)`, its own code if any, its block.
#[derive(Debug, Clone)]
pub(super) struct VerbHit {
    pub i: usize,
    pub ve: usize,
    /// (own code, block) of every dictionary verb with this form.
    pub cands: Vec<(Option<Option<CodePair>>, usize)>,
}

/// One coded event before it becomes a model [`newsloom_model::Event`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Coded {
    pub source: String,
    pub target: Option<String>,
    pub code: String,
    pub negated: bool,
    /// Coded from a pattern rather than a verb's default code.
    pub pattern: bool,
}

const DETERMINERS: &[&str] = &[
    "THE", "A", "AN", "ITS", "HIS", "HER", "THEIR", "OUR", "MY", "THIS", "THESE", "THOSE", "SUCH", "ANY",
    "EACH", "EVERY", "ANOTHER", "NO", "FIRST", "LATEST", "RECENT", "SAME", "FURTHER", "NEW", "MORE",
    "CHEMICAL", "DEADLY",
];
const AUX: &[&str] = &[
    "HAVE", "HAS", "HAD", "HAVING", "IS", "ARE", "WAS", "WERE", "BE", "BEEN", "BEING", "AM", "WILL", "WOULD",
    "DO", "DOES", "DID", "CAN", "COULD", "MAY", "MIGHT", "SHALL", "SHOULD", "MUST",
];
const NEGATORS: &[&str] =
    &["NOT", "N'T", "NEVER", "NO", "DENIED", "DENIES", "DENY", "REFUSED", "REFUSES", "CANNOT"];
const PASSIVE_AUX: &[&str] = &["WAS", "WERE", "BEEN", "BE", "IS", "ARE", "BEING", "GET", "GOT"];
const SAY_WORDS: &[&str] = &[
    "SAID",
    "SAYS",
    "SAY",
    "CLAIMED",
    "CLAIMS",
    "ALLEGED",
    "ALLEGES",
    "STATED",
    "TOLD",
    "ADDED",
    "NOTED",
    "INSISTED",
    "REPORTED",
    "ANNOUNCED",
    "DECLARED",
    "ASSERTED",
    "CHARGED",
];
pub(crate) fn words(text: &str) -> Vec<W> {
    words_of_tokens(text, &crate::quotes::text::tokenize(text))
}

/// Words from tokens already made (offsets into `text`), so an article is tokenised once.
pub(crate) fn words_of_tokens(text: &str, toks: &[crate::quotes::text::Tok]) -> Vec<W> {
    let mut out = Vec::with_capacity(toks.len() + 4);
    words_into(text, toks, &mut out);
    out
}

/// The next word of `out` to fill: an earlier one (keeping its string's buffer) or a new one.
fn next_word<'a>(
    out: &'a mut Vec<W>,
    n: &mut usize,
    punct: bool,
    cap: bool,
    hyph: bool,
    tok: usize,
) -> &'a mut W {
    if *n == out.len() {
        out.push(W { w: String::new(), punct, cap, hyph, tok });
    }
    let w = &mut out[*n];
    *n += 1;
    w.w.clear();
    (w.punct, w.cap, w.hyph, w.tok) = (punct, cap, hyph, tok);
    w
}

/// [`words_of_tokens`] into `out`, reusing its words' string buffers (one sentence after
/// another, an article allocates for its longest words only).
pub(crate) fn words_into(text: &str, toks: &[crate::quotes::text::Tok], out: &mut Vec<W>) {
    let mut n = 0;
    for (ti, t) in toks.iter().enumerate() {
        let s = &text[t.s..t.e];
        if !t.word {
            next_word(out, &mut n, true, false, false, ti).w.push_str(s);
            continue;
        }
        // Split hyphenated words (`NATO-Russia`) so each part can be an actor.
        // `re-examine`, `co-operate`: a verb prefix, kept as one word (the dictionaries write
        // both `RE-ESTABLISH` and `REESTABLISH`).
        let verb_prefix = ["re-", "co-", "pre-"]
            .iter()
            .any(|p| s.len() >= p.len() && s.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes()));
        if verb_prefix && s.matches('-').count() == 1 {
            let cap = s.starts_with(char::is_uppercase);
            next_word(out, &mut n, false, cap, false, ti).w.extend(s.chars().flat_map(char::to_uppercase));
            continue;
        }
        let hyph = s.contains(['-', '‑']);
        for part in s.split(['-', '‑']) {
            if part.is_empty() {
                continue;
            }
            let cap = part.chars().next().is_some_and(char::is_uppercase);
            let x = next_word(out, &mut n, false, cap, hyph, ti);
            // Upper case with typographic apostrophes made straight.
            let w = &mut x.w;
            if part.is_ascii() {
                w.push_str(part);
                w.make_ascii_uppercase();
            } else {
                for c in part.chars() {
                    if c == '’' {
                        w.push('\'');
                    } else {
                        w.extend(c.to_uppercase());
                    }
                }
            }
            if w.ends_with("'S") {
                w.truncate(w.len() - 2);
            } else if w.ends_with("S'") {
                w.pop();
            }
            while w.ends_with('.') {
                w.pop();
            }
            // Treebank-style contractions, as the dictionaries write them: `DID N'T`, `CA N'T`.
            if w.len() > 3 && w.ends_with("N'T") {
                w.truncate(w.len() - 3);
                next_word(out, &mut n, false, false, hyph, ti).w.push_str("N'T");
            }
        }
    }
    out.truncate(n);
}

/// Longest phrase match at word `i`: (end, entry index). `max_ext` is how many letters a
/// stem may be extended by (3 for actor names, else only a plural `S`/`ES`).
fn match_phrase(d: &PhraseDict, ws: &[W], i: usize, max_ext: usize) -> Option<(usize, usize)> {
    let w = &ws[i].w;
    // Short words that start no phrase (`the` does, `of` does not) cannot match at all.
    use super::dict::WordFlags as F;
    let flags = d.flags(w);
    let first_hit = if flags & F::BY_FIRST != 0 { d.by_first.get(w) } else { None };
    let in_pair_first = flags & F::PAIR_FIRST != 0 && d.pair_first.contains(w);
    if w.len() < 5 && first_hit.is_none() && !in_pair_first {
        return None;
    }
    let mut best: Option<(usize, usize)> = None;
    // Agent stems (`MINIST` → `MINISTER`, `MINISTRIES`) but not adjectives (`DIPLOMAT` → `DIPLOMATIC`).
    let ext_ok = |ext: &str| {
        if max_ext >= 3 {
            ext.len() <= 3
        } else {
            ext.len() <= 4 && !ext.starts_with("IC") && !ext.starts_with("AL")
        }
    };
    // One-word phrases, exact or as a stem.
    if let Some(c) = first_hit {
        // A name listed twice: the later entry wins, as when the dictionaries are loaded in order.
        best = c.last().map(|&(_, _, id)| (i + 1, id));
    }
    if best.is_none() && d.stem_prefixes.may_contain(w) {
        for cut in 1..=4 {
            if w.len() < cut + 4 || !w.is_char_boundary(w.len() - cut) {
                continue;
            }
            let (stem, ext) = w.split_at(w.len() - cut);
            if ext_ok(ext)
                && d.flags(stem) & F::STEM != 0
                && d.stems.contains(stem)
                && let Some(c) = d.by_first.get(stem)
                && let Some(&(_, _, id)) = c.iter().find(|e| !e.1)
            {
                best = Some((i + 1, id));
                break;
            }
        }
    }
    // Longer phrases, by their first two words.
    if !in_pair_first {
        return best;
    }
    let Some(next) = ws.get(i + 1).filter(|x| !x.punct) else { return best };
    let mut key = String::with_capacity(w.len() + next.w.len() + 1);
    let max_cut = if flags & F::PAIR_STEM_FIRST != 0 && d.pair_stem_first.contains(w) { 4 } else { 0 };
    for cut in 0..=max_cut {
        if next.w.len() <= cut || !next.w.is_char_boundary(next.w.len() - cut) {
            break;
        }
        let (second, ext) = next.w.split_at(next.w.len() - cut);
        key.clear();
        key.push_str(w);
        key.push(' ');
        key.push_str(second);
        let Some(cands) = d.by_pair.get(&key) else { continue };
        for (rest, exact, id) in cands {
            // A shortened second word is only a stem match when it is the last word.
            if cut > 0 && (!rest.is_empty() || *exact || !ext_ok(ext)) {
                continue;
            }
            let mut j = i + 2;
            let ok = rest.iter().enumerate().all(|(k, r)| {
                let last = k + 1 == rest.len();
                let hit = ws.get(j).is_some_and(|x| {
                    !x.punct
                        && (x.w == *r || (last && !exact && x.w.strip_prefix(r.as_str()).is_some_and(ext_ok)))
                });
                j += 1;
                hit
            });
            if ok && best.is_none_or(|(e, _)| j >= e) {
                best = Some((j, *id));
            }
        }
    }
    best
}

/// `Lawmakers and officials in Fornost and Gondor`: a group of agents (`raw[k]` first) of a
/// group of countries stands for every agent of every country, as PETRARCH2 mixes a noun
/// phrase's agent codes with the actor codes of its prepositional phrase. Returns (the codes
/// joined by `/`, end word, next raw index), only for a group of two or more on either side.
fn agents_of_countries(
    ws: &[W],
    raw: &[(usize, usize, String, bool)],
    k: usize,
) -> Option<(String, usize, usize)> {
    let only = |a: usize, b: usize| a < b && ws[a..b].iter().all(|w| matches!(w.w.as_str(), "AND" | ","));
    let mut last = k;
    while raw.get(last + 1).is_some_and(|r| r.3 && only(raw[last].1, r.0)) {
        last += 1;
    }
    let e = raw[last].1;
    if !ws.get(e).is_some_and(|w| matches!(w.w.as_str(), "OF" | "FROM" | "IN")) {
        return None;
    }
    let first =
        raw.get(last + 1).filter(|r| !r.3 && (r.0 == e + 1 || (r.0 == e + 2 && ws[e + 1].w == "THE")))?;
    let mut countries = vec![first];
    let mut c = last + 1;
    while raw
        .get(c + 1)
        .is_some_and(|r| !r.3 && ws.get(raw[c].1..r.0).is_some_and(|b| b.len() == 1 && b[0].w == "AND"))
    {
        c += 1;
        countries.push(&raw[c]);
    }
    if last == k && countries.len() < 2 {
        return None;
    }
    let mut codes: Vec<String> = Vec::new();
    for ag in &raw[k..=last] {
        for ct in &countries {
            let code = join_codes(&ct.2, &ag.2);
            if !codes.contains(&code) {
                codes.push(code);
            }
        }
    }
    Some((codes.join("/"), raw[c].1, c + 1))
}

impl Dicts {
    /// Builds the quick-reject sets; call after loading the dictionaries.
    pub fn finish(&mut self) {
        self.actors.finish();
        self.agents.finish();
        for d in [&self.actors, &self.agents] {
            let words = d.by_first.keys().chain(&d.pair_first).chain(&d.stems);
            self.start_prefixes.extend(words);
            self.starts.extend(d.by_first.keys().chain(&d.pair_first).map(|w| super::dict::word_hash(w)));
            self.stems.extend(d.stems.iter().map(|w| super::dict::word_hash(w)));
        }
        self.syn_index = self
            .verbs
            .synsets
            .iter()
            .map(|members| {
                let mut m: super::dict::FxMap<String, Vec<usize>> = Default::default();
                for (k, phrase) in members.iter().enumerate() {
                    if let Some(first) = phrase.first() {
                        m.entry(first.clone()).or_default().push(k);
                    }
                }
                m
            })
            .collect();
    }

    fn may_start(&self, w: &str) -> bool {
        if !self.start_prefixes.may_contain(w) {
            return false;
        }
        self.starts.contains(&super::dict::word_hash(w))
            || (1..=4).any(|cut| {
                w.len() >= cut + 4
                    && w.is_char_boundary(w.len() - cut)
                    && self.stems.contains(&super::dict::word_hash(&w[..w.len() - cut]))
            })
    }
    /// Actors in a sentence: dictionary actors, agents, and country+agent combinations.
    pub fn actors(&self, ws: &[W], date: Option<u32>) -> Vec<Actor> {
        // (s, e, code, is_agent)
        let mut raw: Vec<(usize, usize, String, bool)> = Vec::new();
        let mut i = 0;
        while i < ws.len() {
            if ws[i].punct {
                i += 1;
                continue;
            }
            if !self.may_start(&ws[i].w) {
                i += 1;
                continue;
            }
            let a = match_phrase(&self.actors, ws, i, 3);
            let g = match_phrase(&self.agents, ws, i, 0);
            match (a, g) {
                (Some((ae, aid)), g) if g.is_none_or(|(ge, _)| ae >= ge) => {
                    if let Some(c) = code_on(&self.actors.entries[aid], date) {
                        raw.push((i, ae, c.to_string(), false));
                    }
                    i = ae;
                }
                (_, Some((ge, gid))) => {
                    if let Some(c) = code_on(&self.agents.entries[gid], date) {
                        raw.push((i, ge, c.to_string(), true));
                    }
                    i = ge;
                }
                _ => i += 1,
            }
        }
        // Combine: COUNTRY [x] AGENT, AGENT of/from/in COUNTRY.
        let mut out: Vec<Actor> = Vec::new();
        let mut k = 0;
        while k < raw.len() {
            let (s, e, ref code, agent) = raw[k];
            if !agent {
                if let Some(&(s2, e2, ref c2, true)) = raw.get(k + 1)
                    && s2 <= e + 1
                    && !(s2 == e + 1 && ws[e].punct)
                    && !ws[e..s2].iter().any(|w| w.w == "AND" || w.w == "OR")
                {
                    out.push(Actor { s, e: e2, code: join_codes(code, c2), bare_agent: false });
                    k += 2;
                    continue;
                }
                out.push(Actor { s, e, code: code.clone(), bare_agent: false });
                k += 1;
                continue;
            }
            if let Some((code, e2, next)) = agents_of_countries(ws, &raw, k) {
                out.push(Actor { s, e: e2, code, bare_agent: false });
                k = next;
                continue;
            }
            // `dissidents from military-ruled Myanmar`: the country may follow a few modifiers.
            if e < ws.len() && matches!(ws[e].w.as_str(), "OF" | "FROM" | "IN") {
                let country = (k + 1..raw.len().min(k + 3)).find(|&k2| !raw[k2].3 && raw[k2].0 > e);
                if let Some(k2) = country
                    && raw[k2].0 <= e + 4
                    && ws[e + 1..raw[k2].0].iter().all(|w| !w.punct && (w.hyph || !w.cap) && w.w != "AND")
                {
                    let (_, e2, ref c2, _) = raw[k2];
                    out.push(Actor { s, e: e2, code: join_codes(c2, code), bare_agent: false });
                    k = k2 + 1;
                    continue;
                }
            }
            // `military exercises`, `government forces`: an agent noun used as an adjective.
            // Agent nouns that are mostly adjectives before another noun.
            let adj_word = matches!(
                ws[e - 1].w.as_str(),
                "MILITARY"
                    | "GOVERNMENT"
                    | "POLICE"
                    | "SECURITY"
                    | "OPPOSITION"
                    | "REBEL"
                    | "ARMY"
                    | "NAVY"
                    | "BUSINESS"
                    | "STATE"
                    | "TRADE"
                    | "MEDIA"
                    | "PARLIAMENTARY"
                    | "JUDICIAL"
                    | "DIPLOMATIC"
            );
            let adjective = ws.get(e).is_some_and(|w| {
                !w.punct
                    && !w.cap
                    && !matches!(
                        w.w.as_str(),
                        "OF" | "AND"
                            | "OR"
                            | "IS"
                            | "ARE"
                            | "WAS"
                            | "WERE"
                            | "HAS"
                            | "HAVE"
                            | "HAD"
                            | "WILL"
                            | "WOULD"
                            | "CAN"
                            | "COULD"
                            | "MAY"
                            | "MIGHT"
                            | "SHOULD"
                            | "MUST"
                            | "DID"
                            | "DOES"
                            | "DO"
                            | "IN"
                            | "ON"
                            | "AT"
                            | "FROM"
                            | "TO"
                            | "WITH"
                            | "WHO"
                            | "THAT"
                            | "WHICH"
                            | "BY"
                            | "FOR"
                    )
                    && ((adj_word && !w.w.ends_with("ED")) || !self.verbs.forms.contains_key(&w.w))
            }) && raw.get(k + 1).is_none_or(|r| r.0 != e);
            if !adjective {
                out.push(Actor { s, e, code: format!("---{code}"), bare_agent: true });
            }
            k += 1;
        }
        // Apposition without a gap (`Prime Minister Telemar`, `leader Calimehtar`): one actor,
        // keeping the more specific code.
        let mut merged: Vec<Actor> = Vec::with_capacity(out.len());
        for a in out {
            if let Some(p) = merged.last_mut()
                && p.e == a.s
                && (p.bare_agent || a.bare_agent || p.code.get(..3) == a.code.get(..3))
            {
                let keep_prev = p.code.len() >= a.code.len() && !p.bare_agent;
                if !keep_prev {
                    let code = if p.bare_agent && a.code.len() >= 3 && !a.code.starts_with("---") {
                        join_codes(&a.code, &p.code[3..])
                    } else {
                        a.code.clone()
                    };
                    p.code = code;
                    p.bare_agent = a.bare_agent;
                }
                p.e = a.e;
                continue;
            }
            merged.push(a);
        }
        merged
    }

    /// Verbs of a sentence that can carry an event: dictionary verb forms that are not inside
    /// an actor, not capitalised mid-sentence, and not used as nouns.
    fn verbs_in(&self, ws: &[W], in_actor: &[bool]) -> Vec<VerbHit> {
        let n = ws.len();
        let first_word = ws.iter().position(|w| !w.punct).unwrap_or(0);
        let all_caps = ws.iter().filter(|w| !w.punct).all(|w| w.cap);
        let mut out = Vec::new();
        let mut i = 0;
        while i < n {
            // Auxiliaries carry no event of their own (`have cordoned off`).
            if ws[i].punct
                || in_actor[i]
                || (ws[i].cap && i != first_word && !all_caps)
                || AUX.contains(&ws[i].w.as_str())
            {
                i += 1;
                continue;
            }
            let Some((ve, cands)) = self.verb_at(ws, i).filter(|_| !ws[i].hyph) else {
                i += 1;
                continue;
            };
            let prev = if i > 0 { ws[i - 1].w.as_str() } else { "" };
            let next = ws.get(ve).map_or("", |w| w.w.as_str());
            let form = ws[i].w.as_str();
            // Nouns and modifiers that share a verb's spelling: `the attack`, `a seven-week war`,
            // `faces pressure` (right after another verb), `men sought in` (a reduced relative).
            // `a mortar bomb`, `an air strike`: determiner + modifier + noun.
            let compound = i >= 2
                && DETERMINERS[..12].contains(&ws[i - 2].w.as_str())
                && !ws[i - 1].punct
                && !ws[i - 1].cap
                && !in_actor[i - 1]
                && !prev.ends_with("LY")
                && !self.verbs.forms.contains_key(prev);
            let noun = DETERMINERS.contains(&prev)
                || compound
                || (i > 0 && (ws[i - 1].hyph || prev.bytes().all(|b| b.is_ascii_digit())))
                || out.last().is_some_and(|v: &VerbHit| v.ve == i)
                || (form.ends_with("ING")
                    && i > 0
                    && !(PASSIVE_AUX.contains(&prev)
                        || NEGATORS.contains(&prev)
                        || matches!(prev, "," | "BY" | "AND" | "AM" | "TO")))
                || (i > 0
                    && in_actor[i - 1]
                    && !ws[i - 1].cap
                    && (form.ends_with("ED") || form.ends_with('T') || form.ends_with("EN"))
                    && matches!(
                        next,
                        "IN" | "BY" | "FOR" | "AT" | "ON" | "DURING" | "OVER" | "AFTER" | "OF"
                    ));
            if !noun {
                out.push(VerbHit { i, ve, cands });
            }
            i = ve;
        }
        out
    }

    /// Codes the events of one sentence.
    pub fn code_sentence(&self, ws: &[W], actors: &[Actor]) -> Vec<Coded> {
        let n = ws.len();
        let mut in_actor = vec![false; n];
        for a in actors {
            for x in &mut in_actor[a.s..a.e] {
                *x = true;
            }
        }
        let verbs = self.verbs_in(ws, &in_actor);
        // Every word and its forms without up to three final letters, for pattern filtering.
        let mut truncs = Sig::default();
        for w in ws.iter().filter(|w| !w.punct) {
            for cut in 0..=3 {
                if w.w.len() > cut && w.w.is_char_boundary(w.w.len() - cut) {
                    truncs.add(&w.w[..w.w.len() - cut]);
                }
            }
        }
        let mut is_verb = vec![false; n];
        for v in &verbs {
            for x in &mut is_verb[v.i..v.ve] {
                *x = true;
            }
        }
        let mut out: Vec<Coded> = Vec::new();
        // (verb end, sayer sources) of the last say-frame, for accusations.
        let mut say: Option<(usize, Vec<String>, Option<String>)> = None;
        let mut prev_sources: Vec<String> = Vec::new();
        let mut last_emitter: Option<usize> = None;
        // A verb coded with the one governing it (see `nested`).
        let mut consumed: Option<usize> = None;
        for (vi, v) in verbs.iter().enumerate() {
            if consumed == Some(vi) {
                continue;
            }
            let (i, ve) = (v.i, v.ve);
            let participle = ws[i].w.ends_with("ED") || ws[i].w.ends_with("EN") || ws[i].w.ends_with('T');
            // `There were 10 Russian soldiers killed in Ukraine`: an existential passive.
            let existential = i > 2
                && in_actor[i - 1]
                && (0..i.saturating_sub(1))
                    .any(|k| ws[k].w == "THERE" && PASSIVE_AUX.contains(&ws[k + 1].w.as_str()));
            let passive = i > 0
                && participle
                && ((i.saturating_sub(2)..i).any(|k| PASSIVE_AUX.contains(&ws[k].w.as_str())) || existential);
            // A verb chained to the previous one (`seeking to deepen`, `and expressed`) shares its subject.
            let chained = vi > 0 && i > 0 && ws[i - 1].w == "TO" && i - verbs[vi - 1].ve <= 6;
            // `X condemned … and promised …`, `X reopened …, holding …`: the same subject.
            let coordinated =
                vi > 0 && i > 0 && (ws[i - 1].w == "AND" || (ws[i - 1].w == "," && ws[i].w.ends_with("ING")));
            let lo = if vi > 0 { verbs[vi - 1].ve } else { 0 };
            let mut before = if coordinated && !prev_sources.is_empty() {
                prev_sources.clone()
            } else {
                group_before(ws, actors, i, lo, &is_verb)
            };
            if before.is_empty() && chained {
                before = prev_sources.clone();
            }
            if before.is_empty()
                && let Some((_, sayers, _)) = &say
            {
                before = sayers.clone();
            }
            let mut by_agent =
                if passive { group_after_word(ws, actors, ve, &["BY", "FROM"]) } else { Vec::new() };
            // A passive without an agent is coded from where it happened (`was shot dead in
            // Osgiliath`), as the PETRARCH coders do.
            if passive && by_agent.is_empty() && ws.get(ve).is_none_or(|w| w.w != "TO") {
                by_agent = group_after_word(ws, actors, ve, &["IN", "AT"]);
            }
            let (sources, targets) = if passive && !by_agent.is_empty() {
                (by_agent.clone(), before.clone())
            } else {
                let after = group_after(ws, actors, ve, &is_verb);
                (before.clone(), after.into_iter().filter(|t| !by_agent.contains(t)).collect())
            };
            prev_sources = sources.clone();
            // A passive's subject-side pattern words name its `by` agent (`- PROTESTOR *` codes
            // `was demolished by a protestor`), as PETRARCH2 matches them in the by-phrase.
            let by = if passive && !by_agent.is_empty() {
                (ve..ws.len().min(ve + 6)).find(|&k| matches!(ws[k].w.as_str(), "BY" | "FROM"))
            } else {
                None
            };
            let (mut code, from_pattern, pat_end, pattern_pre) =
                self.pick_code(ws, i, ve, &v.cands, &truncs, (sources.len() > 1, targets.len() > 1, by));
            let say_word = SAY_WORDS.contains(&ws[i].w.as_str());
            // A say-verb pattern codes the reported act (`said he would not provide support`):
            // its negation sits inside the pattern, and reported force is an accusation.
            let neg_end = if say_word && from_pattern { pat_end } else { ve + 1 };
            // Patterns with words before the verb (`- NOT * OVER EFFORTS`) code negation themselves.
            let negated = !pattern_pre
                && ((i.saturating_sub(3)..i).any(|k| NEGATORS.contains(&ws[k].w.as_str()))
                    || (ve..neg_end.min(ws.len())).any(|k| NEGATORS.contains(&ws[k].w.as_str())));
            if say_word
                && from_pattern
                && let Some(c) = code.as_mut()
                && c.fwd.as_deref().is_some_and(|f| super::tables::quad_of(f) >= 4)
            {
                c.fwd = Some("112".into());
                c.rev = None;
            }
            // Plain statements (010) are not coded; they frame what follows.
            let plain = code.as_ref().is_none_or(|c| c.fwd.as_deref().is_none_or(|f| f.starts_with("01")));
            let plain_say = matches!(
                ws[i].w.as_str(),
                "SAID" | "SAYS" | "SAY" | "TOLD" | "NOTED" | "ADDED" | "STATED" | "ANNOUNCED"
            );
            let is_say = (SAY_WORDS.contains(&ws[i].w.as_str()) && (plain || (plain_say && !from_pattern)))
                || code.as_ref().is_some_and(|c| c.fwd.as_deref() == Some("010") && c.rev.is_none());
            if is_say {
                // `The Observatory, a group that tracks the war, said`: the sentence subject.
                let sayers = if sources.is_empty() { first_group(ws, actors, i) } else { sources.clone() };
                let say_code = code.as_ref().and_then(|c| c.fwd.clone()).or_else(|| Some("010".into()));
                say = Some((ve, sayers, say_code));
                continue;
            }
            if !passive
                && let Some((nx, evs)) = self.nested(
                    ws,
                    actors,
                    &verbs,
                    vi,
                    (code.as_ref(), from_pattern, pat_end),
                    (&sources, &targets),
                    &is_verb,
                    &truncs,
                )
            {
                consumed = Some(nx);
                for (s, t, c) in evs {
                    let negated =
                        negated || ws[ve..verbs[nx].i].iter().any(|w| NEGATORS.contains(&w.w.as_str()));
                    let ev = Coded { source: s, target: Some(t), code: c, negated, pattern: true };
                    if !out.contains(&ev) {
                        out.push(ev);
                    }
                }
                last_emitter = Some(vi);
                continue;
            }
            // `seeking to deepen`: a verb that only leads into another is not an event itself.
            let leads_on = verbs.get(vi + 1).is_some_and(|nx| nx.i == ve + 1 && ws[ve].w == "TO");
            if (leads_on && !from_pattern) || intent_frame_after(ws, ve) {
                continue;
            }
            // `asking Obama to help Iran`: the complement belongs to the coded verb before it.
            if chained && last_emitter == Some(vi - 1) {
                continue;
            }
            let Some(cp) = code else { continue };
            let mut fwd = cp.fwd.clone();
            if intent_before(ws, i)
                && let Some(f) = &fwd
            {
                fwd = Some(to_intent(f));
            }
            let srcs = sources;
            let mut emitted = Vec::new();
            let pairs: Vec<(String, Option<String>)> = if !targets.is_empty() {
                srcs.iter()
                    .flat_map(|s| {
                        targets.iter().filter(move |t| *t != s).map(move |t| (s.clone(), Some(t.clone())))
                    })
                    .collect()
            } else if srcs.len() >= 2 {
                srcs.iter()
                    .flat_map(|s| {
                        srcs.iter().filter(move |t| *t != s).map(move |t| (s.clone(), Some(t.clone())))
                    })
                    .collect()
            } else if say.is_some() {
                // Kept for `X said Y attacked`: the report has a target even if the act has none.
                srcs.iter().map(|s| (s.clone(), None)).collect()
            } else {
                // Without a target, codes on intransitive uses are mostly noise.
                Vec::new()
            };
            for (s, t) in &pairs {
                if let Some(f) = &fwd {
                    emitted.push(Coded {
                        source: s.clone(),
                        target: t.clone(),
                        code: f.clone(),
                        negated,
                        pattern: from_pattern,
                    });
                }
                if let (Some(r), Some(t)) = (&cp.rev, t) {
                    let ev = Coded {
                        source: t.clone(),
                        target: Some(s.clone()),
                        code: r.clone(),
                        negated,
                        pattern: from_pattern,
                    };
                    if !emitted.contains(&ev) {
                        emitted.push(ev);
                    }
                }
            }
            // `X said (that) Y did Z`: coded as X toward Y (PETRARCH's reading of reported
            // events); reported material conflict becomes an accusation (112).
            if let Some((say_end, sayers, say_code)) = &say
                && *say_end <= i
                && !ws[*say_end..i].iter().any(|w| w.w == "," || w.w == ";")
                && !sayers.is_empty()
                && emitted.iter().any(|e| !sayers.contains(&e.source))
            {
                // The dictionary's transformations: `a (b . ATTACK) SAY = a b 112`; a reported
                // event no rule covers gives none, as in PETRARCH2.
                let reported: Vec<Coded> = std::mem::take(&mut emitted);
                for s in sayers {
                    for e in &reported {
                        if sayers.contains(&e.source) && e.source != *s {
                            continue;
                        }
                        let hit = super::compose::transform(
                            &self.verbs.transforms,
                            say_code.as_deref(),
                            s,
                            Some(&e.source),
                            e.target.as_deref(),
                            &e.code,
                        )
                        .or_else(|| {
                            (e.source == *s).then(|| {
                                (e.source.clone(), e.target.clone().unwrap_or_default(), e.code.clone())
                            })
                        });
                        let Some((a, b, c)) = hit else { continue };
                        let ev = Coded { source: a, target: Some(b), code: c, negated, pattern: true };
                        if ev.target.as_deref().is_some_and(|t| !t.is_empty() && t != ev.source)
                            && !emitted.contains(&ev)
                        {
                            emitted.push(ev);
                        }
                    }
                }
            }
            emitted.retain(|e| e.target.is_some());
            if !emitted.is_empty() {
                last_emitter = Some(vi);
            }
            for e in emitted {
                if !out.contains(&e) {
                    out.push(e);
                }
            }
        }
        out
    }

    /// The longest verb forms starting at word `i`: (end, every (own code, block) with that form).
    #[allow(clippy::type_complexity)]
    fn verb_at(&self, ws: &[W], i: usize) -> Option<(usize, Vec<(Option<Option<CodePair>>, usize)>)> {
        let forms = self.verbs.forms.get(&ws[i].w).or_else(|| {
            // `RE-EXAMINE` → `REEXAMINE` → `EXAMINE`
            let w = &ws[i].w;
            let (_, tail) = w.split_once('-')?;
            self.verbs.forms.get(&w.replace('-', "")).or_else(|| self.verbs.forms.get(tail))
        })?;
        let mut end = 0;
        let mut cands = Vec::new();
        for f in forms {
            let ok = f.rest.iter().enumerate().all(|(k, r)| ws.get(i + 1 + k).is_some_and(|x| x.w == *r));
            let e = i + 1 + f.rest.len();
            if !ok || e < end {
                continue;
            }
            if e > end {
                end = e;
                cands.clear();
            }
            cands.push((f.own.clone(), f.block));
        }
        (!cands.is_empty()).then_some((end, cands))
    }

    /// The code for a verb at `[i, ve)`: the best-matching pattern of any of its blocks, else
    /// the first own code or block default that codes something. Returns (code, from a pattern).
    pub(super) fn pick_code(
        &self,
        ws: &[W],
        i: usize,
        ve: usize,
        cands: &[(Option<Option<CodePair>>, usize)],
        truncs: &Sig,
        // (compound source, compound target, a passive's `by` word)
        (compound_src, compound_tgt, by): (bool, bool, Option<usize>),
    ) -> (Option<CodePair>, bool, usize, bool) {
        let compound = (compound_src, compound_tgt);
        let clause_end =
            (ve..ws.len()).find(|&k| matches!(ws[k].w.as_str(), ";" | "." | ":")).unwrap_or(ws.len());
        // ((length, words as written), code, end, has pre words)
        type Best<'a> = ((usize, usize), &'a Option<CodePair>, usize, bool);
        let mut best: Option<Best> = None;
        for (_, block) in cands {
            for p in &self.verbs.blocks[*block].patterns {
                if p.pre.is_empty() && p.post.is_empty() {
                    continue;
                }
                // Cheap filter: every literal word must occur in the sentence (in some form).
                if !truncs.covers(&p.sig) {
                    continue;
                }
                // `%`: a compound actor (`% * [030:030]` for `X and Y agree`).
                if (p.pre.contains(&PWord::Compound) && !compound.0)
                    || (p.post.contains(&PWord::Compound) && !compound.1)
                {
                    continue;
                }
                let Some(end) = self.match_seq(ws, ve, clause_end, p) else { continue };
                if !self.match_pre(ws, i, &p.pre, &p.pre_tight)
                    && !by.is_some_and(|b| self.match_after(ws, b + 1, &p.pre))
                {
                    continue;
                }
                // Longest pattern first; among equals, the one whose words stand in the sentence
                // as written (`SANCTIONS` before the stem `SANCTION`), as PETRARCH2 matches words.
                let span = &ws[i.saturating_sub(6)..end.max(ve)];
                let exact = p
                    .pre
                    .iter()
                    .chain(&p.post)
                    .filter(|pw| matches!(pw, PWord::Lit { w, .. } if span.iter().any(|x| x.w == *w)))
                    .count();
                let score = (p.pre.len() + p.post.len(), exact);
                if best.is_none_or(|(s, _, _, _)| score > s) {
                    best = Some((score, &p.code, end, !p.pre.is_empty()));
                }
            }
        }
        if let Some((_, code, end, pre)) = best {
            return (code.clone(), true, end, pre);
        }
        let mut first = None;
        for (own, block) in cands {
            let code = match own {
                Some(c) => c.clone(),
                None => self.verbs.blocks[*block].default.clone(),
            };
            if code.is_some() {
                return (code, false, ve, false);
            }
            first.get_or_insert(code);
        }
        (first.flatten(), false, ve, false)
    }

    fn word_matches(&self, ws: &[W], k: usize, p: &PWord) -> Option<usize> {
        if *p == PWord::Compound {
            return Some(k); // checked against the actor groups, consumes no word
        }
        let x = ws.get(k)?;
        if x.punct {
            return None;
        }
        match p {
            PWord::Lit { w, exact } => {
                let ok = x.w == *w
                    || (!exact && x.w.starts_with(w.as_str()) && x.w.len() <= w.len() + 3)
                    || (*exact
                        && (x.w.len() == w.len() + 1 && x.w.ends_with('S') && x.w.starts_with(w.as_str())));
                ok.then_some(k + 1)
            }
            PWord::Compound => Some(k),
            PWord::Syn(id) => {
                let members = self.verbs.synsets.get(*id)?;
                let index = self.syn_index.get(*id)?;
                // Members whose first word is this word or a stem of it (up to two letters shorter).
                let w = x.w.as_str();
                (0..=2usize)
                    .filter(|&cut| w.len() > cut && w.is_char_boundary(w.len() - cut))
                    .filter_map(|cut| index.get(&w[..w.len() - cut]))
                    .flatten()
                    .find_map(|&m| {
                        let phrase = &members[m];
                        let ok = phrase.iter().enumerate().all(|(o, pw)| {
                            ws.get(k + o).is_some_and(|y| {
                                y.w == *pw || (y.w.starts_with(pw.as_str()) && y.w.len() <= pw.len() + 2)
                            })
                        });
                        ok.then_some(k + phrase.len())
                    })
            }
        }
    }

    /// Pattern words after the verb, in order, each within a few words of the last; a word
    /// joined by `_` to the one before it (`tight`) must follow it directly.
    fn match_seq(&self, ws: &[W], from: usize, to: usize, pattern: &super::dict::Pattern) -> Option<usize> {
        let (pat, tight) = (&pattern.post, &pattern.post_tight);
        let mut pos = from;
        for (n, p) in pat.iter().enumerate() {
            let gap = if tight.get(n).copied().unwrap_or(false) {
                1
            } else if n == 0 {
                5
            } else {
                3
            };
            let in_pp = pattern.post_in_pp.get(n).copied().unwrap_or(false);
            // `asking Obama to help Iran`: a verb after `to` heads a verb phrase, not the noun
            // a pattern names (`- * HELP`), unless the pattern writes the `to` itself.
            let after_to = n > 0 && matches!(&pat[n - 1], PWord::Lit { w, .. } if w == "TO");
            let infinitive = |k: usize| {
                !after_to && k > 0 && ws[k - 1].w == "TO" && self.verbs.forms.contains_key(&ws[k].w)
            };
            let found = (pos..to.min(pos + gap))
                .take_while(|&k| !in_pp || k == pos || !self.verbs.forms.contains_key(&ws[k - 1].w))
                .filter(|&k| !infinitive(k))
                .find_map(|k| self.word_matches(ws, k, p))?;
            pos = found;
        }
        Some(pos)
    }

    /// Pattern words before the verb, in order, each within a few words of the next; a word
    /// joined by `_` to what follows it (`tight`) must end right where that starts.
    /// Pattern words in order from word `from`, each within a few words of the last.
    fn match_after(&self, ws: &[W], from: usize, pat: &[PWord]) -> bool {
        let mut pos = from;
        for p in pat {
            match (pos..ws.len().min(pos + 4)).find_map(|k| self.word_matches(ws, k, p)) {
                Some(e) => pos = e,
                None => return false,
            }
        }
        true
    }

    fn match_pre(&self, ws: &[W], verb: usize, pat: &[PWord], tight: &[bool]) -> bool {
        let mut pos = verb;
        for (n, p) in pat.iter().enumerate().rev() {
            let lo = pos.saturating_sub(4);
            let t = tight.get(n).copied().unwrap_or(false);
            let hit = (lo..pos).rev().find(|&k| {
                self.word_matches(ws, k, p).is_some_and(|end| if t { end == pos } else { end <= pos })
            });
            match hit {
                Some(k) => pos = k,
                None => return false,
            }
        }
        true
    }
}
