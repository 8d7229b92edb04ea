//! Sentence-level coding: actor phrases (country + agent), verbs with their patterns,
//! source/target by position (with passives and compounds), negation, intent and say-frames.

mod actors;

use super::dict::{CodePair, PWord, PhraseDict, Sig, VerbDict};
use super::roles::{
    first_group, group_after, group_after_word, group_before, intent_before, intent_frame_after, to_intent,
};

/// The dictionaries one coder works with.
#[derive(Debug, Default)]
pub(crate) struct Dicts {
    pub verbs: VerbDict,
    /// Sentences and stories not to code ([`super::discards`]).
    pub discards: super::discards::Discards,
    pub actors: PhraseDict,
    pub agents: PhraseDict,
    /// Words that start an actor or agent phrase: no other word can start a match, which
    /// saves most lookups. (By [`super::dict::word_hash`]: these only pre-filter, and a hash
    /// compare costs no trip to a heap string.)
    starts: super::dict::FxSet<u64>,
    /// Leading bytes of `starts`: rejects most words with one bit test.
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
    /// Written with a possessive `'s` / `s'` (`Ithilen's`), taken off `w`.
    pub poss: bool,
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
/// `-ING` forms that head a prepositional phrase (`according to police`, `including two
/// children`, `following the attack`): the Penn Treebank tags them VBG inside a PP, so
/// PETRARCH2 never reads them as a verb phrase. They are verbs only after an auxiliary.
const PREP_PARTICIPLES: &[&str] =
    &["ACCORDING", "INCLUDING", "REGARDING", "CONCERNING", "FOLLOWING", "PENDING", "BARRING", "EXCLUDING"];
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
        out.push(W { w: String::new(), punct, cap, hyph, poss: false, tok });
    }
    let w = &mut out[*n];
    *n += 1;
    w.w.clear();
    (w.punct, w.cap, w.hyph, w.poss, w.tok) = (punct, cap, hyph, false, tok);
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
                x.poss = true;
            } else if w.ends_with("S'") {
                w.pop();
                x.poss = true;
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

impl Dicts {
    /// Builds the quick-reject sets; call after loading the dictionaries.
    pub fn finish(&mut self) {
        self.actors.finish();
        self.agents.finish();
        for d in [&self.actors, &self.agents] {
            let words = d.by_first.keys().chain(&d.pair_first);
            self.start_prefixes.extend(words);
            self.starts.extend(d.by_first.keys().chain(&d.pair_first).map(|w| super::dict::word_hash(w)));
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
                || (PREP_PARTICIPLES.contains(&form) && !AUX.contains(&prev))
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
                    )
                    // `There were 10 Russian soldiers killed in Ukraine`: after an existential
                    // `there were`, the participle is the passive verb of the noun phrase (as
                    // PETRARCH2 reshapes the clause), not a reduced relative. Checked last, so
                    // only for the few words that reach it (a sentence is at most 250 words).
                    && !(1..i).any(|k| ws[k - 1].w == "THERE" && PASSIVE_AUX.contains(&ws[k].w.as_str())));
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
        let mut passives = vec![false; verbs.len()];
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
            // `were injured and taken to hospitals`, `was shot and killed`: a participle joined by
            // `and` to a passive one shares its auxiliary, so it is passive too (PETRARCH2's
            // `check_passive` finds the `be` verb above the coordinated verb phrases).
            let coordinated_passive =
                vi > 0 && i > 0 && ws[i - 1].w == "AND" && verbs[vi - 1].ve + 1 == i && passives[vi - 1];
            let passive = i > 0
                && participle
                && ((i.saturating_sub(2)..i).any(|k| PASSIVE_AUX.contains(&ws[k].w.as_str()))
                    || existential
                    || coordinated_passive);
            passives[vi] = passive;
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
            let mut by_agent = if passive {
                group_after_word(ws, actors, ve, &["BY", "FROM"], &is_verb)
            } else {
                Vec::new()
            };
            // A passive without an agent is coded from where it happened (`was shot dead in
            // Osgiliath`): PETRARCH2 takes a passive's source from its BY, FROM and IN phrases
            // (an AT phrase names a target, not a source).
            if passive && by_agent.is_empty() && ws.get(ve).is_none_or(|w| w.w != "TO") {
                by_agent = group_after_word(ws, actors, ve, &["IN"], &is_verb);
            }
            let (sources, targets) = if passive && !by_agent.is_empty() {
                (by_agent.clone(), before.clone())
            } else if passive {
                // No source phrase: the subject is what was acted on, never the actor, so the
                // verb codes no event of its own (PETRARCH2 leaves its source empty and
                // `require_dyad` drops it).
                (Vec::new(), before.clone())
            } else {
                let after = group_after(ws, actors, ve, &is_verb);
                (before.clone(), after.into_iter().filter(|t| !by_agent.contains(t)).collect())
            };
            // `Obama is scheduled to attend`: the subject of an agentless passive is the subject
            // of the verbs chained to it.
            prev_sources = if passive && sources.is_empty() { before.clone() } else { sources.clone() };
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
            } else if srcs.len() >= 2
                && fwd.as_deref().is_some_and(|f| matches!(f.get(..2), Some("03" | "04" | "05" | "06")))
            {
                // Several sources and no target: each toward the others, only for cooperation
                // (roots 03–06), as PETRARCH2's `get_events` does (`X and Y clashed` is no event).
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
