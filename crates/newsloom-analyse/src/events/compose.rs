//! Nested events, as PETRARCH2 reads them: a verb that governs another event (`X said Y
//! attacked Z`, `X wants Y to attack Z`, `X asked Y to help Z`) gives one event made of the
//! two. First the verb dictionary's transformation rules (`~ a (b . ATTACK) WANT = a b 021`)
//! are tried; else the two codes combine by PETRARCH2's verb-interaction rule: a "frame" verb
//! (appeal, intend, demand, say, …) wrapping an action (cooperation, aid, yielding, force)
//! gives the frame's sub-code for that action (`ask` + `help` → 023, appeal for aid), and a
//! combination CAMEO has no code for gives no event.

use super::coder::{Actor, Dicts, VerbHit, W};
use super::dict::{CodePair, Sig, VerbDict};
use super::roles::group_after;

/// (source, target, code) of a composed event.
pub(crate) type Composed = (String, String, String);

/// One `~` line: `~ OUTER (INNER_SRC INNER_TGT INNER_VERB) UPPER_VERB = SRC TGT CODE`.
/// Slots are variables (`a`, `b`), `_` (no actor) or `.` (any actor); `Q` stands for the
/// inner event's code.
#[derive(Debug, Clone)]
pub(crate) struct Transform {
    outer: String,
    inner_src: String,
    inner_tgt: String,
    inner_verb: String,
    upper_verb: String,
    out: [String; 3],
    /// The verb names resolved to their dictionary codes (None: a verb without a code).
    inner_code: Option<String>,
    upper_code: Option<String>,
}

impl Transform {
    pub fn parse(line: &str) -> Option<Transform> {
        let body = line.strip_prefix('~')?;
        let (lhs, rhs) = body.split_once('=')?;
        let l: Vec<String> = lhs.replace(['(', ')'], " ").split_whitespace().map(str::to_string).collect();
        let r: Vec<String> = rhs.split_whitespace().map(str::to_string).collect();
        let [outer, inner_src, inner_tgt, inner_verb, upper_verb] = <[String; 5]>::try_from(l).ok()?;
        let [s, t, c] = <[String; 3]>::try_from(r).ok()?;
        Some(Transform {
            outer,
            inner_src,
            inner_tgt,
            inner_verb: inner_verb.to_uppercase(),
            upper_verb: upper_verb.to_uppercase(),
            out: [s, t, c],
            inner_code: None,
            upper_code: None,
        })
    }

    /// Resolves the verb names to codes once the dictionary is loaded.
    pub fn resolve(&mut self, verbs: &VerbDict) {
        self.inner_code = verbs.code_of(&self.inner_verb);
        self.upper_code = verbs.code_of(&self.upper_verb);
    }
}

/// How well a rule's code names a code: 2 the same code, 1 the same root (a rule code at root
/// level, `190`, covers all 19x codes as PETRARCH2's masks do), 0 no match.
fn code_fit(rule: Option<&str>, code: Option<&str>) -> u8 {
    match (rule, code) {
        (None, None) => 2,
        (Some(r), Some(c)) if r == c => 2,
        (Some(r), Some(c)) if c.starts_with(r) => 1,
        (Some(r), Some(c)) if r.len() == 3 && r.ends_with('0') && c.get(..2) == r.get(..2) => 1,
        _ => 0,
    }
}

/// The event a nested pair gives by the transformation rules: outer source `a` and verb code
/// `upper`, inner event (`src`, `tgt`, `q`). Returns (source, target, code).
pub(crate) fn transform(
    rules: &[Transform],
    upper: Option<&str>,
    a: &str,
    src: Option<&str>,
    tgt: Option<&str>,
    q: &str,
) -> Option<Composed> {
    let mut best: Option<((u8, u8), Composed)> = None;
    for t in rules {
        if code_fit(t.upper_code.as_deref(), upper) == 0 {
            continue;
        }
        let code_score = if t.inner_verb == "Q" { 0 } else { code_fit(t.inner_code.as_deref(), Some(q)) };
        if t.inner_verb != "Q" && code_score == 0 {
            continue;
        }
        let mut vars: Vec<(&str, &str)> = vec![(t.outer.as_str(), a)];
        let mut actor_score = 0;
        let mut ok = true;
        for (slot, actor) in [(&t.inner_src, src), (&t.inner_tgt, tgt)] {
            match (slot.as_str(), actor) {
                (".", _) => {}
                ("_", None) => actor_score += 1,
                ("_", Some(_)) => ok = false,
                (_, None) => ok = false,
                (v, Some(x)) => match vars.iter().find(|(n, _)| *n == v) {
                    Some((_, bound)) if *bound == x => actor_score += 2,
                    Some(_) => ok = false,
                    // A fresh variable names another actor than those bound.
                    None if vars.iter().any(|(_, b)| *b == x) => ok = false,
                    None => {
                        vars.push((v, x));
                        actor_score += 1;
                    }
                },
            }
        }
        let get = |v: &str| vars.iter().find(|(n, _)| *n == v).map(|(_, x)| x.to_string());
        let (Some(s), Some(g)) = (get(&t.out[0]), get(&t.out[1])) else { continue };
        if !ok {
            continue;
        }
        let code = if t.out[2] == "Q" { q.to_string() } else { t.out[2].clone() };
        let score = (code_score, actor_score);
        if best.as_ref().is_none_or(|(b, _)| score > *b) {
            best = Some((score, (s, g, code)));
        }
    }
    best.map(|(_, e)| e)
}

/// The sub-code a frame root (02 appeal, 03 intend, 10 demand) takes for an action: CAMEO
/// numbers their sub-codes alike (x1 material cooperation, x2 diplomatic cooperation, x3 aid,
/// x4 political reform, x5 yielding), with the action's own detail where CAMEO has one.
fn topic(action: &str) -> Option<&'static str> {
    Some(match action {
        "061" => "11",
        "062" => "12",
        "063" => "13",
        "064" => "14",
        "071" => "31",
        "072" => "32",
        "073" => "33",
        "074" => "34",
        "0831" => "41",
        "0832" => "42",
        "0833" => "43",
        "0834" => "44",
        "081" => "51",
        "082" => "52",
        "085" => "54",
        "086" => "55",
        _ => match action.get(..2)? {
            "06" => "1",
            "05" => "2",
            "07" => "3",
            _ if action.starts_with("083") => "4",
            "08" => "5",
            _ => return None,
        },
    })
}

/// Roots of "action" codes, which a frame verb can wrap; the rest are frames themselves.
fn is_action(code: &str) -> bool {
    matches!(code.get(..2), Some("05" | "06" | "07" | "08" | "16" | "18" | "19" | "20"))
}

/// Whether `code` is an action (not a frame): only actions combine with a verb above them
/// when the inner event has its own actor (`asked Y to help Z` → X appeals to Y for aid).
pub(crate) fn wraps(code: &str) -> bool {
    is_action(code)
}

/// The code of frame `upper` wrapping `lower`; None when CAMEO has no code for the pair.
pub(crate) fn combine(upper: Option<&str>, lower: &str) -> Option<String> {
    let Some(up) = upper else { return Some(lower.to_string()) };
    if up.starts_with("12") || lower.starts_with("12") {
        return Some(lower.to_string());
    }
    if !is_action(lower) || is_action(up) {
        // Two frames: the inner one is what happened; two actions: the inner one, as well.
        return Some(lower.to_string());
    }
    let root = &up[..2];
    let force = lower.starts_with("19");
    Some(match root {
        "02" | "03" | "10" if topic(lower).is_some() => format!("{}{}", &up[..2], topic(lower)?),
        "03" | "13" if force => "138".into(),
        "13" if lower == "160" || lower == "16" => "131".into(),
        "13" if lower == "163" => "132".into(),
        "11" if force => "112".into(),
        "01" if force => "015".into(),
        "14" if force => "145".into(),
        "17" if lower == "163" => "172".into(),
        _ => return None,
    })
}

impl Dicts {
    /// `asking Obama to help Iran`, `wants Putin to attack`, `wants to attack`: verb `vi` governs
    /// the infinitive right after it, and the two make one event — (index of the governed
    /// verb, events as (source, target, code)). None when there is no such pair or the inner
    /// verb has no code. `code` is (the verb's code, from a pattern, pattern end).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn nested(
        &self,
        ws: &[W],
        actors: &[Actor],
        verbs: &[VerbHit],
        vi: usize,
        code: (Option<&CodePair>, bool, usize),
        (sources, targets): (&[String], &[String]),
        is_verb: &[bool],
        truncs: &Sig,
    ) -> Option<(usize, Vec<Composed>)> {
        let (v, nx) = (&verbs[vi], verbs.get(vi + 1)?);
        let near = nx.i > v.ve && nx.i - v.ve <= 6 && ws[nx.i - 1].w == "TO";
        if !near
            || ws[v.ve..nx.i].iter().any(|w| matches!(w.w.as_str(), "," | ";" | ":"))
            || (code.1 && code.2 > nx.i)
        {
            return None;
        }
        let q = self.pick_code(ws, nx.i, nx.ve, &nx.cands, truncs, (false, false, None)).0?.fwd?;
        // Only an infinitive that is the verb's complement nests (`asking Obama to help`,
        // `wants to attack`): with other words between (`meet in Zurich to discuss`, `faces
        // pressure from Congress to`) the verb has its own object and the clause is apart.
        let in_actor = |k: usize| actors.iter().any(|a| a.s <= k && k < a.e);
        if !(v.ve..nx.i - 1).all(|k| in_actor(k) || matches!(ws[k].w.as_str(), "THE" | "AND")) {
            return None;
        }
        // The inner event's own actor: the object of the governing verb (`asking Obama to`).
        let obj: Vec<&String> = if nx.i - 1 > v.ve { targets.iter().collect() } else { Vec::new() };
        let inner_tgts = group_after(ws, actors, nx.ve, is_verb);
        let p = code.0.and_then(|c| c.fwd.as_deref());
        let mut out = Vec::new();
        let bs: Vec<Option<&str>> =
            if obj.is_empty() { vec![None] } else { obj.iter().map(|b| Some(b.as_str())).collect() };
        // `Brazil and the United States are seeking to deepen a partnership`: with no target, the
        // sources act toward each other.
        let cs: Vec<Option<&str>> = if inner_tgts.is_empty() && obj.is_empty() && sources.len() > 1 {
            sources.iter().map(|c| Some(c.as_str())).collect()
        } else if inner_tgts.is_empty() {
            vec![None]
        } else {
            inner_tgts.iter().map(|c| Some(c.as_str())).collect()
        };
        for a in sources {
            for b in &bs {
                for c in &cs {
                    let hit = transform(&self.verbs.transforms, p, a, *b, *c, &q).or_else(|| {
                        // Without a rule: the frame's code for the action, toward the inner
                        // actor, or toward the inner target when the subject acts itself.
                        let code = match b {
                            Some(_) if p.is_some() && wraps(&q) => combine(p, &q),
                            Some(_) => None,
                            None => combine(p, &q),
                        }?;
                        Some((a.clone(), b.or(*c)?.to_string(), code))
                    });
                    if let Some(e) = hit.filter(|e| e.0 != e.1)
                        && !out.contains(&e)
                    {
                        out.push(e);
                    }
                }
            }
        }
        // Nothing coded: the two verbs are read apart, as before.
        (!out.is_empty()).then_some((vi + 1, out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_wrap_actions() {
        assert_eq!(combine(Some("020"), "070").as_deref(), Some("023"));
        assert_eq!(combine(Some("030"), "190").as_deref(), Some("138"));
        assert_eq!(combine(Some("100"), "0831").as_deref(), Some("1041"));
        assert_eq!(combine(Some("050"), "085").as_deref(), Some("085"));
        assert_eq!(combine(Some("020"), "190"), None);
        assert_eq!(combine(None, "042").as_deref(), Some("042"));
    }

    #[test]
    fn transformation_rules_bind_actors() {
        let mut v = VerbDict::default();
        v.load(
            "--- SAY [010] ---\nSAY\n--- WANT [030] ---\nWANT\n--- ATTACK [190] ---\nATTACK\n\
             ~ a (a b ATTACK) SAY = a b 015\n~ a (b . ATTACK) SAY = a b 112\n~ a (a b Q) SAY = a b Q\n\
             ~ a (_ b ATTACK) WANT = a b 138\n~ a (b . ATTACK ) WANT = a b 021\n",
        );
        let r = &v.transforms;
        assert_eq!(r.len(), 5);
        let t = |up, a, s, g, q| transform(r, Some(up), a, s, g, q);
        assert_eq!(t("010", "X", Some("X"), Some("Y"), "193"), Some(("X".into(), "Y".into(), "015".into())));
        assert_eq!(t("010", "X", Some("Y"), Some("Z"), "190"), Some(("X".into(), "Y".into(), "112".into())));
        assert_eq!(t("010", "X", Some("X"), Some("Y"), "042"), Some(("X".into(), "Y".into(), "042".into())));
        assert_eq!(t("010", "X", Some("Y"), Some("Z"), "042"), None);
        assert_eq!(t("030", "X", None, Some("Z"), "190"), Some(("X".into(), "Z".into(), "138".into())));
        assert_eq!(t("030", "X", Some("Y"), Some("Z"), "190"), Some(("X".into(), "Y".into(), "021".into())));
    }
}
