//! Finding actors in a sentence: dictionary actors and agents, and country + agent
//! combinations (a child of the coder, so it reads the dictionaries' fields).

use super::{Actor, Dicts, W};
use crate::events::dict::{PhraseDict, code_on};
use crate::events::roles::join_codes;

/// Longest phrase match at word `i`: (end, entry index). Words match only as written, as
/// PETRARCH2 matches names (agents' plurals are made when the dictionary is read), except
/// the open last word of a longer agent phrase (`DEFENSE_MINIST`, see `PhraseDict::add_phrase`).
fn match_phrase(d: &PhraseDict, ws: &[W], i: usize) -> Option<(usize, usize)> {
    let w = &ws[i].w;
    use crate::events::dict::WordFlags as F;
    let flags = d.flags(w);
    let first_hit = if flags & F::BY_FIRST != 0 { d.by_first.get(w) } else { None };
    let in_pair_first = flags & F::PAIR_FIRST != 0 && d.pair_first.contains(w);
    // A name listed twice: the later entry wins, as when the dictionaries are loaded in order.
    let mut best: Option<(usize, usize)> = first_hit.and_then(|c| c.last()).map(|&(_, _, id)| (i + 1, id));
    // Longer phrases, by their first two words.
    if !in_pair_first {
        return best;
    }
    let Some(next) = ws.get(i + 1).filter(|x| !x.punct) else { return best };
    // A stem's ending: a few letters, not an adjective's (`DIPLOMAT` is not `DIPLOMATIC`).
    let ext_ok = |ext: &str| ext.len() <= 4 && !ext.starts_with("IC") && !ext.starts_with("AL");
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
    /// `Ithilen's awful and cool minister`: a possessive actor, then up to three lower-case
    /// modifiers (joined by `and` inside), then the agent: one noun phrase, whose actor and
    /// agent PETRARCH2 mixes into one code (ITHGOV).
    fn possessive_modifiers(&self, ws: &[W], e: usize, s2: usize) -> bool {
        let between = match ws.get(e..s2) {
            Some(b) if !b.is_empty() && b.len() <= 3 && ws[e - 1].poss => b,
            _ => return false,
        };
        let last = between.len() - 1;
        between.iter().enumerate().all(|(n, w)| {
            !w.punct
                && !w.cap
                && !w.poss
                && if w.w == "AND" {
                    n > 0 && n < last
                } else {
                    w.w.bytes().all(|b| b.is_ascii_alphabetic())
                        && !self.verbs.forms.contains_key(&w.w)
                        && !matches!(
                            w.w.as_str(),
                            "THE"
                                | "A"
                                | "AN"
                                | "OF"
                                | "IN"
                                | "ON"
                                | "AT"
                                | "TO"
                                | "FOR"
                                | "WITH"
                                | "BY"
                                | "FROM"
                                | "OR"
                        )
                }
        })
    }

    fn may_start(&self, w: &str) -> bool {
        if !self.start_prefixes.may_contain(w) {
            return false;
        }
        self.starts.contains(&crate::events::dict::word_hash(w))
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
            let a = match_phrase(&self.actors, ws, i);
            let g = match_phrase(&self.agents, ws, i);
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
                    && ((s2 <= e + 1
                        && !(s2 == e + 1 && ws[e].punct)
                        && !ws[e..s2].iter().any(|w| w.w == "AND" || w.w == "OR"))
                        || self.possessive_modifiers(ws, e, s2))
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
                // `NGO~`, `IGO~`: an organisation's code, whole without a country.
                let actor = match code.strip_suffix('~') {
                    Some(org) => Actor { s, e, code: org.to_string(), bare_agent: false },
                    None => Actor { s, e, code: format!("---{code}"), bare_agent: true },
                };
                out.push(actor);
            }
            k += 1;
        }
        // Apposition without a gap (`Prime Minister Telemar`, `leader Calimehtar`): one actor,
        // keeping the more specific code.
        let mut merged: Vec<Actor> = Vec::with_capacity(out.len());
        for a in out {
            if let Some(p) = merged.last_mut()
                && p.e == a.s
                && (p.bare_agent
                    || a.bare_agent
                    || p.code.get(..3) == a.code.get(..3)
                    // `Ithilen's minister Calimehtar`: a country's agent named right after it
                    // is that agent; the name's own actor gives way.
                    || (p.code.len() >= 6 && a.code.len() == 3 && !a.code.contains('/')))
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
}
