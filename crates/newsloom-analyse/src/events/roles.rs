//! Who did what to whom: actor groups before and after a verb (compounds, passive agents),
//! and the intent frames (`wants to`, `a desire to`) that turn an action into an intention.

use super::coder::{Actor, W};

/// Verbs and nouns that turn the next verb into an intention (`wants to`, `a desire to`).
const INTENT_WORDS: &[&str] = &[
    "WANT",
    "WANTS",
    "WANTED",
    "PLAN",
    "PLANS",
    "PLANNED",
    "INTEND",
    "INTENDS",
    "INTENDED",
    "SEEK",
    "SEEKS",
    "SEEKING",
    "SOUGHT",
    "AIM",
    "AIMS",
    "AIMED",
    "HOPE",
    "HOPES",
    "HOPED",
    "READY",
    "WILLING",
    "PREPARED",
    "VOW",
    "VOWS",
    "VOWED",
    "PLEDGE",
    "PLEDGES",
    "PLEDGED",
    "PROMISE",
    "PROMISES",
    "PROMISED",
    "OFFER",
    "OFFERS",
    "OFFERED",
    "DESIRE",
    "WISH",
    "WILLINGNESS",
    "READINESS",
    "INTENTION",
    "DETERMINATION",
    "COMMITMENT",
    "THREATENED",
    "THREATENS",
    "EAGER",
    "KEEN",
];

/// An actor code with an agent code added, as PETRARCH2 mixes them: an agent the code
/// already holds anywhere is not added again (`USAGOVLEG` + `GOV` stays `USAGOVLEG`). An
/// agent written `CODE~` (`NGO~`, `IGO~`) goes before the actor code, as the agents file
/// defines it (`Gondor human rights body` → `NGOGON`).
pub(super) fn join_codes(country: &str, agent: &str) -> String {
    if let Some(org) = agent.strip_suffix('~') {
        return if country.contains(org) { country.to_string() } else { format!("{org}{country}") };
    }
    if country.contains(agent) { country.to_string() } else { format!("{country}{agent}") }
}

/// Words between two actors of one compound (`Mordor, the awful Fornost, and Gondor`).
pub(super) fn joins(between: &[W], is_verb: &[bool], offset: usize) -> bool {
    !between.is_empty()
        && between.len() <= 5
        && between.iter().any(|w| matches!(w.w.as_str(), "AND" | "," | "&" | "NOR"))
        && between.iter().enumerate().all(|(k, w)| {
            !is_verb[offset + k]
                && !w.cap
                && !matches!(
                    w.w.as_str(),
                    ";" | ":"
                        | "BUT"
                        | "WHICH"
                        | "WHO"
                        | "THAT"
                        | "("
                        | ")"
                        | "ON"
                        | "IN"
                        | "AT"
                        | "FOR"
                        | "FROM"
                        | "TO"
                        | "WITH"
                        | "BY"
                        | "OF"
                        | "AFTER"
                        | "BEFORE"
                        | "DURING"
                        | "SINCE"
                        | "OVER"
                )
        })
}

/// The actor group nearest before word `i` (`Brazil and the United States`), in the clause.
pub(super) fn group_before(ws: &[W], actors: &[Actor], i: usize, lo: usize, is_verb: &[bool]) -> Vec<String> {
    let lo = (lo..i)
        .rev()
        .find(|&k| matches!(ws[k].w.as_str(), ";" | ":" | "WHICH" | "WHO" | "THAT"))
        .map_or(lo, |k| k + 1);
    let Some(last) = actors.iter().rposition(|a| a.e <= i && a.s >= lo) else { return Vec::new() };
    // `… with Lorien almost five years after crowds burned`: a subordinate clause starts
    // between the actor and the verb, so the actor is not its subject.
    if ws.get(actors[last].e..i).unwrap_or(&[]).iter().any(|w| {
        matches!(
            w.w.as_str(),
            "AFTER" | "BEFORE" | "WHEN" | "WHILE" | "SINCE" | "BECAUSE" | "ALTHOUGH" | "UNTIL" | "IF"
        )
    }) {
        return Vec::new();
    }
    let mut group = vec![last];
    let mut k = last;
    while k > 0 {
        let (prev, cur) = (&actors[k - 1], &actors[k]);
        let between = ws.get(prev.e..cur.s).unwrap_or(&[]);
        if prev.s >= lo && joins(between, is_verb, prev.e) {
            group.push(k - 1);
            k -= 1;
        } else {
            break;
        }
    }
    group.reverse();
    let mut codes: Vec<String> = Vec::new();
    for g in group {
        push_codes(&mut codes, &actors[g].code);
    }
    drop_generic_people(&mut codes);
    codes
}

/// `Four children and a man`: the generic people agent gives way to a more specific agent in
/// the same group, as PETRARCH2 drops `~PPL` when a noun phrase has another agent.
fn drop_generic_people(codes: &mut Vec<String>) {
    // `---PPL` beside `---CVL`, and `PSEPPL` beside `PSECVL` once the agents are placed.
    let generic = |c: &str| c.strip_suffix("PPL").filter(|p| p.len() >= 3).map(str::to_string);
    let drop: Vec<String> = codes
        .iter()
        .filter(|c| {
            generic(c)
                .is_some_and(|p| codes.iter().any(|d| d != *c && d.len() > p.len() && d.starts_with(&p)))
        })
        .cloned()
        .collect();
    codes.retain(|c| !drop.contains(c));
}

/// Adds an actor's code, splitting dictionary codes that name several actors (`FRO/BIL/SAM`).
pub(super) fn push_codes(codes: &mut Vec<String>, code: &str) {
    for c in code.split('/').filter(|c| !c.is_empty()) {
        if !codes.iter().any(|x| x == c) {
            codes.push(c.to_string());
        }
    }
}

/// The first actor group after word `from`.
pub(super) fn group_after(ws: &[W], actors: &[Actor], from: usize, is_verb: &[bool]) -> Vec<String> {
    let Some(mut first) = actors.iter().position(|a| a.s >= from) else { return Vec::new() };
    // `celebrated Eid at Osgiliath with Gondor`: a place after AT/IN gives way to a partner
    // after WITH/TO/AGAINST later in the clause.
    let locative = |a: &Actor| a.s > 0 && matches!(ws[a.s - 1].w.as_str(), "AT" | "IN" | "NEAR");
    if locative(&actors[first])
        && let Some(k) = (first + 1..actors.len()).find(|&k| {
            let a = &actors[k];
            a.s > 1
                && (matches!(ws[a.s - 1].w.as_str(), "WITH" | "TO" | "AGAINST")
                    || (ws[a.s - 1].w == "THE"
                        && matches!(ws[a.s - 2].w.as_str(), "WITH" | "TO" | "AGAINST")))
                && !ws[actors[first].e..a.s]
                    .iter()
                    .any(|w| matches!(w.w.as_str(), ";" | "," | "AFTER" | "BEFORE"))
        })
    {
        first = k;
    }
    // Stop at a clause boundary before the actor. A comma between two modifiers of one noun
    // (`restore complete, full diplomatic ties with`) is not one: lower-case words that are
    // not verbs on both sides, and no determiner, conjunction or wh-word after it.
    let inner_comma = |k: usize| {
        let plain = |j: usize| {
            ws.get(j).is_some_and(|w| !w.punct && !w.cap && !is_verb.get(j).copied().unwrap_or(false))
        };
        k > from
            && plain(k - 1)
            && plain(k + 1)
            && !matches!(
                ws[k + 1].w.as_str(),
                "A" | "AN"
                    | "THE"
                    | "AND"
                    | "OR"
                    | "BUT"
                    | "WHICH"
                    | "WHO"
                    | "THAT"
                    | "WHILE"
                    | "WHEN"
                    | "AS"
                    | "IT"
                    | "HE"
                    | "SHE"
                    | "THEY"
            )
            && !ws[k + 1].w.ends_with("ING")
    };
    if (from..actors[first].s).any(|k| {
        matches!(ws[k].w.as_str(), ";" | ":" | "WHICH" | "WHO" | "BUT") || (ws[k].w == "," && !inner_comma(k))
    }) {
        return Vec::new();
    }
    let mut codes = Vec::new();
    push_codes(&mut codes, &actors[first].code);
    let mut k = first;
    while k + 1 < actors.len() {
        let between = ws.get(actors[k].e..actors[k + 1].s).unwrap_or(&[]);
        // Targets join on `and` only: `between Calenardhon and Gondor, and Gondor and Dagolath`.
        if joins(between, is_verb, actors[k].e) && !between.iter().any(|w| w.w == ",") {
            push_codes(&mut codes, &actors[k + 1].code);
            k += 1;
        } else {
            break;
        }
    }
    drop_generic_people(&mut codes);
    codes
}

/// Words that open a phrase or clause of their own after a verb: a prepositional phrase they
/// head (`after a shooting in Providence`) or a clause (`when police in Gondor …`) is not a
/// phrase of the verb.
const SCOPE_ENDS: &[&str] = &[
    "AFTER",
    "BEFORE",
    "WHEN",
    "WHILE",
    "SINCE",
    "UNTIL",
    "BECAUSE",
    "AS",
    "THAT",
    "WHICH",
    "WHO",
    "WHERE",
    "FOLLOWING",
    "DURING",
    "AMID",
    "IF",
    "THOUGH",
    "ALTHOUGH",
];

/// Prepositions whose phrase holds the phrases after it (see [`group_after_word`]).
const NESTING_PREPS: &[&str] = &[
    "TO", "AT", "NEAR", "OUTSIDE", "INSIDE", "ON", "INTO", "ONTO", "ACROSS", "ALONG", "OVER", "UNDER",
    "TOWARD", "TOWARDS", "BEHIND", "AROUND", "THROUGH", "BETWEEN", "WITH", "FOR", "OF", "OFF",
];

fn is_time_word(w: &str) -> bool {
    newsloom_model::calendar::WEEKDAYS
        .iter()
        .chain(newsloom_model::calendar::MONTHS.iter())
        .any(|d| d.eq_ignore_ascii_case(w))
        || matches!(w, "ABOUT" | "AROUND" | "LEAST" | "NIGHT")
        || w.bytes().next().is_some_and(|b| b.is_ascii_digit())
}

/// The actor group right after one of `words` (the agent of a passive: `by X`). Only the
/// verb's own prepositional phrases count, as PETRARCH2 reads a passive's source from the
/// PPs under its verb phrase: the search stops at a comma or semicolon, at another verb and
/// at a word that opens a phrase or clause of its own ([`SCOPE_ENDS`]).
pub(super) fn group_after_word(
    ws: &[W],
    actors: &[Actor],
    from: usize,
    words: &[&str],
    is_verb: &[bool],
) -> Vec<String> {
    let end = (from..ws.len())
        .find(|&k| {
            matches!(ws[k].w.as_str(), ";" | "," | ":")
                || is_verb.get(k).copied().unwrap_or(false)
                || SCOPE_ENDS.contains(&ws[k].w.as_str())
        })
        .unwrap_or(ws.len());
    // A place (IN) is nested even in the phrase right after the verb (`was treated at a
    // hospital in Kabul`); an agent (BY, FROM) after such a phrase is the verb's own
    // (`was sent to Ukraine by Russia`).
    let nest_from = if words.contains(&"IN") { from } else { from + 1 };
    for k in from..end {
        // `taken to Riley Hospital at IU Health in Indianapolis`: a phrase after one headed by
        // another preposition is nested in it (PETRARCH2 reads only the verb's own PPs); a
        // time phrase (`on Friday`) does not nest.
        if k >= nest_from
            && NESTING_PREPS.contains(&ws[k].w.as_str())
            && !ws.get(k + 1).is_some_and(|w| is_time_word(&w.w))
        {
            break;
        }
        if words.contains(&ws[k].w.as_str()) {
            let s = if ws.get(k + 1).is_some_and(|w| w.w == "THE") { k + 2 } else { k + 1 };
            if let Some(a) = actors.iter().find(|a| a.s >= s && a.s <= s + 2) {
                return group_after(ws, actors, a.s, &vec![false; ws.len()]);
            }
        }
    }
    Vec::new()
}

/// `wants to attack`, `expressed a desire to restore`: an intent word shortly before `to VERB`.
pub(super) fn intent_before(ws: &[W], i: usize) -> bool {
    if i == 0 || ws[i - 1].w != "TO" {
        return false;
    }
    (i.saturating_sub(5)..i - 1).any(|k| INTENT_WORDS.contains(&ws[k].w.as_str()))
}

/// The verb only introduces an intention (`expressed a desire to …`): it is not an event itself.
pub(super) fn intent_frame_after(ws: &[W], ve: usize) -> bool {
    let mut k = ve;
    while k < ws.len()
        && k < ve + 3
        && matches!(ws[k].w.as_str(), "A" | "AN" | "ITS" | "THEIR" | "HIS" | "HER" | "STRONG")
    {
        k += 1;
    }
    k + 1 < ws.len() && INTENT_WORDS.contains(&ws[k].w.as_str()) && ws[k + 1].w == "TO" && k > ve
}

/// The CAMEO "express intent" code for an action code: cooperation → 03x, force → 138.
pub(super) fn to_intent(code: &str) -> String {
    let root = code.get(..2).unwrap_or("");
    match root {
        "04" => "036",
        "05" => "032",
        "06" => "031",
        "07" => "033",
        "08" => "035",
        "01" | "02" => "030",
        "15" | "17" | "18" | "19" | "20" => "138",
        "16" => "131",
        _ => return code.to_string(),
    }
    .to_string()
}

/// The first actor group of the sentence, before word `i`.
pub(super) fn first_group(ws: &[W], actors: &[Actor], i: usize) -> Vec<String> {
    match actors.iter().find(|a| a.e <= i) {
        Some(a) => group_after(ws, actors, a.s, &vec![false; ws.len()]),
        None => Vec::new(),
    }
}
