//! Toponym resolution: which GeoNames entry each toponym of an article refers to.
//!
//! All toponyms with the same name in one article are one place. Each name's candidates are
//! scored on their own (population, feature type, how the name reaches them), then again with
//! the article as context, twice over: the countries, ADM1 and ADM2 regions the other names
//! currently resolve to, nearness to the other places, a qualifier after a comma ("Alexandria,
//! Va."), the dateline's place and the outlet's country. A name that is a place in a region the
//! article names, or near the other places it names, wins over a bigger namesake elsewhere.

use rustc_hash::FxHashMap;
use std::collections::HashMap;

use crate::detect::{Found, Toponym, looks_adjectival};
use crate::gazetteer::{Entry, Gazetteer, Level, NameKind, distance_km};

/// Scoring weights (log-population units: +2.3 is ten times the population).
#[derive(Debug, Clone, Copy)]
pub struct ResolveParams {
    pub country_prior: f64,
    pub adm1_prior: f64,
    pub adm2_prior: f64,
    pub capital_prior: f64,
    pub alternate_penalty: f64,
    pub adjective_penalty: f64,
    /// Candidate inside the region a qualifier names ("Paris, Texas").
    pub qualifier: f64,
    /// Candidate in a country another toponym of the article resolves to or lies in.
    pub same_country: f64,
    /// Candidate in an ADM1 region another toponym resolves to or lies in.
    pub same_admin1: f64,
    /// Candidate in an ADM2 region another toponym resolves to or lies in.
    pub same_admin2: f64,
    /// Candidate within `near_km` of another resolved place (towns and counties).
    pub near: f64,
    pub near_km: f64,
    /// Candidate in the dateline place's country / ADM1.
    pub dateline: f64,
    /// Candidate in the outlet's country (from a country-code domain).
    pub home_country: f64,
    /// Candidate in the outlet's home ADM1 region (learnt from its other articles).
    pub home_admin1: f64,
    /// Candidates kept per name (largest population first), to bound the work on common names.
    pub max_candidates: usize,
    /// A name the outlet is named after ("parisnews.com", "middletownpress.com") is the
    /// paper's own town, which is seldom the biggest of its namesakes: its candidates' size is
    /// counted only up to this population (no country, region or capital bonus), so the
    /// article's other places pick which one. 0 turns it off.
    pub domain_town_cap: f64,
    /// A country's variant name (not an adjective) is a candidate beside towns that have it as
    /// their own name when all those towns are smaller than this.
    pub variant_over_town: u64,
    /// Candidate in an ADM1 region where another name has a close runner-up (within
    /// `alt_margin` of its best prior) though its current choice lies elsewhere: "Paris" and
    /// "Henry County" both have a Tennessee reading, which neither reaches alone.
    pub alt_admin1: f64,
    pub alt_margin: f64,
    /// A toponym the gazetteer has no entry for (a street, road, river, park, building) takes
    /// the place nearest it in the text (see [`local_anchors`]); 0 turns it off.
    pub local_fallback: f64,
    /// Country candidate within `near_country_km` of a country another name resolves to.
    pub near_country: f64,
    pub near_country_km: f64,
}

impl Default for ResolveParams {
    fn default() -> Self {
        Self {
            country_prior: 3.0,
            adm1_prior: 2.0,
            adm2_prior: 0.0,
            capital_prior: 2.0,
            alternate_penalty: 2.5,
            adjective_penalty: 2.0,
            qualifier: 12.0,
            same_country: 2.5,
            same_admin1: 4.0,
            same_admin2: 2.0,
            near: 2.0,
            near_km: 100.0,
            dateline: 2.0,
            home_country: 2.0,
            home_admin1: 5.0,
            max_candidates: 60,
            domain_town_cap: 20_000.0,
            variant_over_town: 50_000,
            alt_admin1: 2.0,
            alt_margin: 1.5,
            local_fallback: 1.0,
            near_country: 3.0,
            near_country_km: 1500.0,
        }
    }
}

impl ResolveParams {
    /// Sets one weight by name (for tuning runs: `--set qualifier=10`).
    pub fn set(&mut self, name: &str, value: f64) -> Result<(), String> {
        let slot = match name {
            "country_prior" => &mut self.country_prior,
            "adm1_prior" => &mut self.adm1_prior,
            "adm2_prior" => &mut self.adm2_prior,
            "capital_prior" => &mut self.capital_prior,
            "alternate_penalty" => &mut self.alternate_penalty,
            "adjective_penalty" => &mut self.adjective_penalty,
            "qualifier" => &mut self.qualifier,
            "same_country" => &mut self.same_country,
            "same_admin1" => &mut self.same_admin1,
            "same_admin2" => &mut self.same_admin2,
            "near" => &mut self.near,
            "near_km" => &mut self.near_km,
            "dateline" => &mut self.dateline,
            "home_country" => &mut self.home_country,
            "home_admin1" => &mut self.home_admin1,
            "domain_town_cap" => &mut self.domain_town_cap,
            "alt_admin1" => &mut self.alt_admin1,
            "alt_margin" => &mut self.alt_margin,
            "local_fallback" => &mut self.local_fallback,
            "near_country" => &mut self.near_country,
            "near_country_km" => &mut self.near_country_km,
            _ => return Err(format!("unknown weight {name}")),
        };
        *slot = value;
        Ok(())
    }
}

/// What the article says about where it comes from.
#[derive(Debug, Clone, Default)]
pub struct Hints<'a> {
    /// The dateline's place (`MOSCOW`).
    pub dateline: Option<&'a str>,
    /// The outlet's domain or URL host (`thetowntalk.com`, `www.bbc.co.uk`).
    pub domain: Option<&'a str>,
    /// The outlet's home: the country (ISO2) and ADM1 code its articles name most.
    pub home: Option<(String, Option<String>)>,
}

/// The outcome for one toponym.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Resolution {
    pub entry: Option<u32>,
    /// False for adjectives/demonyms and places acting ("Turkey said").
    pub literal: bool,
    /// Margin of the winner over the runner-up, squashed to 0..1.
    pub confidence: f32,
}

struct Group {
    members: Vec<usize>,
    cands: Vec<(u32, NameKind)>,
    base: Vec<f64>,
    best: Option<usize>,
    /// Groups this one qualifies, and groups qualifying it.
    qualifies: Vec<usize>,
    qualified_by: Vec<usize>,
}

/// Country of a country-code top-level domain (`co.uk` → GB), none for generic ones.
fn domain_country(domain: &str) -> Option<String> {
    let host = domain.split("//").last()?.split('/').next()?;
    let tld = host.rsplit('.').next()?.to_ascii_uppercase();
    if tld.len() != 2 {
        return None;
    }
    Some(if tld == "UK" { "GB".into() } else { tld })
}

/// The outlet's name in its domain: the host's first label other than `www`, without a
/// leading "the" (`www.theparisnews.com` → `parisnews`).
fn outlet_label(domain: &str) -> Option<String> {
    let host = domain.split("//").last()?.split('/').next()?;
    let label = host.split('.').find(|l| *l != "www" && *l != "m")?.to_ascii_lowercase();
    let label = label.replace('-', "");
    Some(label.strip_prefix("the").map_or(label.clone(), str::to_string))
}

/// Whether the outlet is named after the place with this key (at least 4 letters, at the
/// start of its label: `middletownpress` names "Middletown").
fn names_outlet(label: &str, key: &str) -> bool {
    let mut n = 0;
    let mut rest = label;
    for c in key.chars().filter(|c| *c != ' ') {
        if !c.is_ascii_alphabetic() {
            return false;
        }
        let Some(r) = rest.strip_prefix(c) else { return false };
        rest = r;
        n += 1;
    }
    n >= 4
}

fn inside(e: &Entry, region: &Entry) -> bool {
    match region.level {
        Level::Country => e.country == region.country && e.geonameid != region.geonameid,
        Level::Adm1 => *e.admin1 == *region.admin1 && e.geonameid != region.geonameid,
        Level::Adm2 | Level::Adm3 => {
            !region.admin2.is_empty() && *e.admin2 == *region.admin2 && e.geonameid != region.geonameid
        }
        _ => false,
    }
}

/// Resolves `tops` (one article's toponyms, from [`crate::detect::detect`]).
pub fn resolve(gaz: &Gazetteer, tops: &[Toponym], hints: &Hints, p: &ResolveParams) -> Vec<Resolution> {
    let mut groups: Vec<Group> = Vec::new();
    let mut by_key: HashMap<&str, usize> = HashMap::new();
    let mut group_of = vec![0; tops.len()];
    for (i, t) in tops.iter().enumerate() {
        let g = *by_key.entry(t.key.as_str()).or_insert_with(|| {
            groups.push(Group {
                members: Vec::new(),
                cands: Vec::new(),
                base: Vec::new(),
                best: None,
                qualifies: Vec::new(),
                qualified_by: Vec::new(),
            });
            groups.len() - 1
        });
        groups[g].members.push(i);
        group_of[i] = g;
    }
    for (i, t) in tops.iter().enumerate() {
        if let Some(q) = t.qualifies {
            let (a, b) = (group_of[i], group_of[q]);
            if a != b {
                groups[a].qualifies.push(b);
                groups[b].qualified_by.push(a);
            }
        }
    }
    let outlet = hints.domain.and_then(outlet_label);
    for g in &mut groups {
        let t = &tops[g.members[0]];
        let is_qualifier =
            g.members.iter().any(|&m| tops[m].found == Found::Qualifier || tops[m].qualifies.is_some());
        let abbreviation_ok = is_qualifier || (t.text.ends_with('.') && t.text.len() >= 3);
        let mut cands = gaz.lookup_key(&t.key);
        let named = cands.iter().any(|c| matches!(c.kind, NameKind::Primary | NameKind::Alternate));
        // "US", "U.S.", "UK": a country's code in capitals is its name, not the French village Us.
        let letters: String = t.text.chars().filter(|c| c.is_alphabetic()).collect();
        let code_like = (2..=3).contains(&letters.len()) && letters.chars().all(char::is_uppercase);
        for c in &mut cands {
            if code_like && c.kind == NameKind::Adjective && gaz.entry(c.entry).level == Level::Country {
                c.kind = NameKind::Primary;
            }
        }
        let country_code = code_like && cands.iter().any(|c| gaz.entry(c.entry).level == Level::Country);
        // A country's variant name that is no adjective ("America") still counts when the
        // entries with it as their own name are only small towns.
        let variant_ok = named
            && !looks_adjectival(&t.text)
            && cands.iter().all(|c| {
                let e = gaz.entry(c.entry);
                c.kind == NameKind::Adjective
                    || (e.level == Level::City && e.population < p.variant_over_town)
            });
        // An adjective the tagger called MISC wherever it stands ("Spanish") keeps its
        // country beside the towns named so (Spanish, Ontario).
        let demonym = named
            && looks_adjectival(&t.text)
            && g.members.iter().all(|&m| tops[m].found == Found::Retyped && !tops[m].as_actor);
        cands.retain(|c| match c.kind {
            NameKind::Primary | NameKind::Alternate => {
                !country_code || gaz.entry(c.entry).level == Level::Country
            }
            NameKind::Adjective => {
                !named
                    || ((variant_ok || demonym)
                        && matches!(gaz.entry(c.entry).level, Level::Country | Level::Continent))
            }
            NameKind::Abbreviation => abbreviation_ok,
        });
        cands.sort_by_key(|c| std::cmp::Reverse(gaz.entry(c.entry).population));
        cands.truncate(p.max_candidates);
        g.cands = cands.iter().map(|c| (c.entry, c.kind)).collect();
        let outlet_town =
            p.domain_town_cap > 0.0 && outlet.as_deref().is_some_and(|o| names_outlet(o, &t.key));
        let prior = if outlet_town { outlet_town_score } else { base_score };
        g.base = g.cands.iter().map(|&(e, k)| prior(gaz.entry(e), k, p)).collect();
        // A national capital outranks a first-level region of its own country with the same
        // name ("Washington", "Buenos Aires"): news means the capital unless context says else.
        let mut capitals: Vec<[u8; 2]> = Vec::new();
        let mut cap_best = f64::MIN;
        for (&(e, _), &b) in g.cands.iter().zip(&g.base) {
            let e = gaz.entry(e);
            if &*e.feature_code == "PPLC" {
                capitals.push(e.country);
                cap_best = cap_best.max(b);
            }
        }
        if !capitals.is_empty() {
            for (c, b) in g.cands.iter().zip(g.base.iter_mut()) {
                let e = gaz.entry(c.0);
                if e.level == Level::Adm1 && capitals.contains(&e.country) {
                    *b = b.min(cap_best - 0.5);
                }
            }
        }
    }

    // Hints, resolved on their own.
    let dateline = hints.dateline.and_then(|d| {
        let cands = gaz.lookup(d);
        cands.iter().filter(|c| c.kind != NameKind::Abbreviation).map(|c| gaz.entry(c.entry)).max_by(
            |a, b| base_score(a, NameKind::Primary, p).total_cmp(&base_score(b, NameKind::Primary, p)),
        )
    });
    let home = hints.home.as_ref().map(|h| h.0.clone()).or_else(|| hints.domain.and_then(domain_country));
    let home_admin1 = hints.home.as_ref().and_then(|h| h.1.as_deref());

    // Each name's plausible regions: the ADM1 codes of its candidates near its best prior, as
    // region → the names having it.
    let mut alts: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    if p.alt_admin1 != 0.0 && groups.len() > 1 {
        for (gi, g) in groups.iter().enumerate() {
            let top = g.base.iter().copied().fold(f64::MIN, f64::max);
            for (&(e, _), &b) in g.cands.iter().zip(&g.base) {
                let a = &*gaz.entry(e).admin1;
                if b >= top - p.alt_margin && !a.is_empty() {
                    let v = alts.entry(a).or_default();
                    if v.last() != Some(&gi) {
                        v.push(gi);
                    }
                }
            }
        }
    }
    for round in 0..3 {
        let bests: Vec<Option<&Entry>> =
            groups.iter().map(|g| g.best.map(|b| gaz.entry(g.cands[b].0))).collect();
        let mut next = Vec::with_capacity(groups.len());
        for (gi, g) in groups.iter().enumerate() {
            let mut top: Option<(usize, f64)> = None;
            for (ci, &(e, _)) in g.cands.iter().enumerate() {
                let c = gaz.entry(e);
                let mut s = g.base[ci];
                if round > 0 {
                    s += context_score(gaz, c, gi, g, &groups, &bests, p);
                    if !c.admin1.is_empty()
                        && alts.get(&*c.admin1).is_some_and(|v| {
                            v.iter().any(|&oi| oi != gi && bests[oi].is_some_and(|b| b.admin1 != c.admin1))
                        })
                    {
                        s += p.alt_admin1;
                    }
                }
                if let Some(d) = dateline {
                    if c.country == d.country {
                        s += p.dateline * 0.5;
                    }
                    if !d.admin1.is_empty() && c.admin1 == d.admin1 {
                        s += p.dateline * 0.5;
                    }
                }
                if home.as_deref().is_some_and(|h| h == c.country_code()) {
                    s += p.home_country;
                }
                if home_admin1.is_some_and(|h| !c.admin1.is_empty() && h == &*c.admin1) {
                    s += p.home_admin1;
                }
                if top.is_none_or(|(_, t)| s > t) {
                    top = Some((ci, s));
                }
            }
            next.push(top.map(|(ci, _)| ci));
        }
        for (g, b) in groups.iter_mut().zip(next) {
            g.best = b;
        }
    }

    let lacking = |g: &Group| g.cands.is_empty() && p.local_fallback > 0.0;
    let anchors = match groups.iter().any(lacking) {
        true => {
            let entries: Vec<Option<u32>> =
                group_of.iter().map(|&g| groups[g].best.map(|b| groups[g].cands[b].0)).collect();
            local_anchors(gaz, tops, &entries)
        }
        false => Vec::new(),
    };
    tops.iter()
        .enumerate()
        .map(|(i, t)| {
            let g = &groups[group_of[i]];
            let kind = g.best.map(|b| g.cands[b].1);
            let adjective = kind == Some(NameKind::Adjective) && looks_adjectival(&t.text);
            let entry = match g.best {
                Some(b) => Some(g.cands[b].0),
                None if lacking(g) => anchors[i],
                None => None,
            };
            Resolution {
                entry,
                literal: !adjective && !t.as_actor,
                confidence: if g.best.is_none() {
                    0.3
                } else if g.cands.len() == 1 {
                    0.9
                } else {
                    0.7
                },
            }
        })
        .collect()
}

fn base_score(e: &Entry, kind: NameKind, p: &ResolveParams) -> f64 {
    let mut s = (1.0 + e.population as f64).ln();
    s += match e.level {
        Level::Continent | Level::Country => p.country_prior,
        Level::Adm1 => p.adm1_prior,
        Level::Adm2 | Level::Adm3 => p.adm2_prior,
        Level::City => 0.0,
    };
    if &*e.feature_code == "PPLC" {
        s += p.capital_prior;
    }
    s - match kind {
        NameKind::Primary => 0.0,
        NameKind::Alternate | NameKind::Abbreviation => p.alternate_penalty,
        NameKind::Adjective => p.adjective_penalty,
    }
}

/// [`base_score`] for a name the outlet is named after ([`ResolveParams::domain_town_cap`]):
/// size counts only up to the cap, with no country, region or capital bonus.
fn outlet_town_score(e: &Entry, kind: NameKind, p: &ResolveParams) -> f64 {
    let pop = (e.population as f64).min(p.domain_town_cap);
    (1.0 + pop).ln() - if kind == NameKind::Primary { 0.0 } else { p.alternate_penalty }
}

/// The article's other places as context for candidate `c` of group `gi`.
fn context_score(
    gaz: &Gazetteer,
    c: &Entry,
    gi: usize,
    g: &Group,
    groups: &[Group],
    bests: &[Option<&Entry>],
    p: &ResolveParams,
) -> f64 {
    let (mut country, mut admin1, mut admin2, mut near) = (false, false, false, false);
    let mut near_country = false;
    for (oi, b) in bests.iter().enumerate() {
        let Some(b) = b else { continue };
        if oi == gi || b.geonameid == c.geonameid {
            continue;
        }
        country |= b.country == c.country && c.country != [b' ', b' '];
        admin1 |= !c.admin1.is_empty() && b.admin1 == c.admin1;
        admin2 |= !c.admin2.is_empty() && b.admin2 == c.admin2;
        if !near
            && matches!(b.level, Level::City | Level::Adm2)
            && matches!(c.level, Level::City | Level::Adm2)
        {
            near = distance_km(f64::from(c.lat), f64::from(c.lon), f64::from(b.lat), f64::from(b.lon))
                < p.near_km;
        }
        if !near_country && p.near_country != 0.0 && c.level == Level::Country && b.level == Level::Country {
            near_country =
                distance_km(f64::from(c.lat), f64::from(c.lon), f64::from(b.lat), f64::from(b.lon))
                    < p.near_country_km;
        }
    }
    let mut s = 0.0;
    if country {
        s += p.same_country;
    }
    if admin1 {
        s += p.same_admin1;
    }
    if admin2 {
        s += p.same_admin2;
    }
    if near {
        s += p.near;
    }
    if near_country {
        s += p.near_country;
    }
    // A qualifier ("…, Va.") narrows the place it follows; the qualifier in turn is the region
    // that has a candidate of that place inside it.
    for &q in &g.qualified_by {
        if let Some(region) = bests[q]
            && inside(c, region)
        {
            s += p.qualifier;
        }
    }
    for &t in &g.qualifies {
        if groups[t].cands.iter().any(|&(e, _)| inside(gaz.entry(e), c)) {
            s += p.qualifier;
        }
    }
    s
}

/// For each toponym, the place it most likely lies in if the gazetteer lacks it (a street,
/// road, river, park or building): the town, county or district resolved nearest to it in the
/// text, else the nearest first-level region. A street or a river in a news story is nearly
/// always in or by the town the story is about, and that town's point is a better answer than
/// none. (Tried on the dev sets' folds: the nearest place before it only, or the article's most
/// named town, were within 0.2 points of this.) One pass each way per tier: linear in the
/// article's toponyms, however many streets it names.
fn local_anchors(gaz: &Gazetteer, tops: &[Toponym], entries: &[Option<u32>]) -> Vec<Option<u32>> {
    let mut out = vec![None; tops.len()];
    for levels in [&[Level::City, Level::Adm2, Level::Adm3][..], &[Level::Adm1][..]] {
        let of = |j: usize| entries[j].filter(|&e| levels.contains(&gaz.entry(e).level));
        // The nearest such place before each toponym: (its end, entry).
        let mut before: Vec<Option<(usize, u32)>> = Vec::with_capacity(tops.len());
        let mut last = None;
        for (j, t) in tops.iter().enumerate() {
            before.push(last);
            if let Some(e) = of(j) {
                last = Some((t.end, e));
            }
        }
        let mut next: Option<(usize, u32)> = None;
        for j in (0..tops.len()).rev() {
            if out[j].is_none() {
                let b = before[j].map(|(end, e)| (tops[j].start.saturating_sub(end), e));
                let a = next.map(|(start, e)| (start.saturating_sub(tops[j].end), e));
                out[j] = match (b, a) {
                    (Some(b), Some(a)) => Some(if a.0 < b.0 { a.1 } else { b.1 }),
                    (b, a) => b.or(a).map(|x| x.1),
                };
            }
            if let Some(e) = of(j) {
                next = Some((tops[j].start, e));
            }
        }
    }
    out
}
