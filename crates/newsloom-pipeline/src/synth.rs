//! A generator of realistic synthetic news for benchmarks and crash tests: articles grouped
//! into stories, with outlets, dates, titles and bodies of news-like length.
//!
//! Deterministic for a given seed, so runs are comparable.

const ACTORS: &[&str] = &[
    "Russia",
    "NATO",
    "Ukraine",
    "the European Union",
    "China",
    "the United States",
    "Germany",
    "France",
    "Turkey",
    "Iran",
    "Japan",
    "India",
    "Brazil",
    "the United Nations",
    "Poland",
    "Britain",
];
const ACTIONS: &[&str] = &[
    "accused",
    "met with",
    "signed an agreement with",
    "criticised",
    "called for talks with",
    "warned",
    "imposed sanctions on",
    "offered aid to",
    "praised",
    "threatened",
    "hosted",
    "rejected a proposal from",
];
const TOPICS: &[&str] = &[
    "energy",
    "trade",
    "security",
    "border",
    "elections",
    "climate",
    "sanctions",
    "migration",
    "defence",
    "health",
    "technology",
    "finance",
    "agriculture",
    "transport",
];
const OUTLETS: &[&str] = &[
    "Daily Ledger",
    "Morning Wire",
    "The Courier",
    "Global Dispatch",
    "Evening Standard Post",
    "Metro Times",
    "Harbor Herald",
    "Capital Report",
    "North Star News",
    "Valley Gazette",
];
const FILLER: &[&str] = &[
    "officials",
    "said",
    "on",
    "the",
    "meeting",
    "statement",
    "government",
    "ministry",
    "week",
    "talks",
    "according",
    "to",
    "sources",
    "familiar",
    "with",
    "matter",
    "spokesman",
    "added",
    "that",
    "country",
    "would",
    "continue",
    "its",
    "policy",
    "despite",
    "pressure",
    "from",
    "partners",
    "analysts",
    "expect",
    "further",
    "steps",
    "in",
    "coming",
    "months",
    "agreement",
    "negotiations",
    "summit",
    "leaders",
    "region",
];

/// A small deterministic PRNG (xorshift64*): enough for test data, no dependency.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// The `i`-th synthetic article as one JSONL line (no trailing newline). About 8 articles per
/// story; dates advance with `i`, so the stream is in rough publication order.
pub fn article_jsonl(i: u64, seed: u64) -> String {
    let story = i / 8;
    let mut srng = Rng::new(seed ^ story.wrapping_mul(7919));
    let (a, action, b, topic) = (srng.pick(ACTORS), srng.pick(ACTIONS), srng.pick(ACTORS), srng.pick(TOPICS));
    let mut rng = Rng::new(seed ^ i.wrapping_mul(104_729) ^ 0xA5A5);
    let outlet = rng.pick(OUTLETS);
    let day = story / 40 + rng.below(3) as u64;
    let (year, month, dom) = (2015 + day / 336, 1 + (day / 28) % 12, 1 + day % 28);
    let title = format!("{a} {action} {b} over {topic} (story {story})");
    let mut body = format!("{a} {action} {b} on {topic} on Tuesday, {outlet} reported.");
    for p in 0..5 {
        body.push_str("\n\n");
        let words = 40 + rng.below(30);
        for w in 0..words {
            if w > 0 {
                body.push(' ');
            }
            body.push_str(if w % 11 == 5 { topic } else { rng.pick(FILLER) });
        }
        body.push_str(&format!(" {b} ({p}) responded to the {topic} issue in article {i}."));
    }
    serde_json::json!({
        "url": format!("https://{}.example/{year}/{month:02}/{i}", outlet.to_lowercase().replace(' ', "-")),
        "title": title,
        "text": body,
        "date": format!("{year:04}-{month:02}-{dom:02}"),
        "source": outlet,
        "lang": "en",
    })
    .to_string()
}

/// A real article to replay: its title, body and language.
#[derive(Debug, Clone)]
pub struct RealText {
    pub title: String,
    pub text: String,
    pub lang: String,
}

/// Reads `title`/`text`(/`lang`) objects from JSONL; lines without both are skipped.
pub fn real_texts_from_jsonl(jsonl: &str) -> Vec<RealText> {
    jsonl
        .lines()
        .filter_map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).ok()?;
            let get = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
            let (title, text) = (get("title")?, get("text")?);
            let lang = get("lang").or_else(|| get("language")).unwrap_or_else(|| "en".into());
            (!title.is_empty() && text.len() > 200).then_some(RealText { title, text, lang })
        })
        .collect()
}

/// The real text shipped in the repository (the Wikinews sample, CC BY; see NOTICE).
pub fn shipped_real_texts() -> Vec<RealText> {
    real_texts_from_jsonl(crate::BACKGROUND)
}

/// A realistic ingest stream for the 1M-article benchmark: mostly generated news, a share of
/// real article text replayed with shifted dates (each replay keeps a different half of the
/// original's sentences, so replays are related reports rather than byte copies), and a share
/// of near-duplicates of recent items (a syndicated copy: another outlet, one edited sentence).
pub struct Mix {
    real: Vec<RealText>,
    seed: u64,
    /// Percent of items replayed from real text and percent near-duplicates.
    pub real_pct: u64,
    pub dup_pct: u64,
    /// The last items emitted, for near-duplicates to copy from.
    recent: std::collections::VecDeque<serde_json::Value>,
}

/// What [`Mix::item`] produced, for the benchmark's report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MixKind {
    Generated,
    Real,
    NearDuplicate,
}

impl Mix {
    pub fn new(real: Vec<RealText>, seed: u64) -> Self {
        let real_pct = if real.is_empty() { 0 } else { 20 };
        Self { real, seed, real_pct, dup_pct: 5, recent: Default::default() }
    }

    /// The `i`-th item of the stream as one JSONL line (call with `i` = 0, 1, 2, … in order).
    pub fn item(&mut self, i: u64) -> (String, MixKind) {
        let mut rng = Rng::new(self.seed ^ i.wrapping_mul(0x9E37_79B9) ^ 0x5EED);
        let roll = rng.below(100) as u64;
        let (value, kind) = if roll < self.dup_pct && !self.recent.is_empty() {
            let original = &self.recent[rng.below(self.recent.len())];
            (near_duplicate(original, i, &mut rng), MixKind::NearDuplicate)
        } else if roll < self.dup_pct + self.real_pct && !self.real.is_empty() {
            (self.replay(i, &mut rng), MixKind::Real)
        } else {
            (serde_json::from_str(&article_jsonl(i, self.seed)).expect("generated JSON"), MixKind::Generated)
        };
        if kind != MixKind::NearDuplicate {
            if self.recent.len() == 256 {
                self.recent.pop_front();
            }
            self.recent.push_back(value.clone());
        }
        (value.to_string(), kind)
    }

    fn replay(&self, i: u64, rng: &mut Rng) -> serde_json::Value {
        let real = &self.real[rng.below(self.real.len())];
        let mut body = String::with_capacity(real.text.len());
        for paragraph in real.text.split('\n').filter(|p| !p.trim().is_empty()) {
            let kept: Vec<&str> =
                paragraph.split_inclusive(". ").filter(|_| rng.below(2) == 0).collect::<Vec<_>>();
            if kept.is_empty() {
                continue;
            }
            if !body.is_empty() {
                body.push_str("\n\n");
            }
            body.push_str(kept.concat().trim());
        }
        if body.len() < 200 {
            body = real.text.clone();
        }
        // Dates advance with the stream as the generated news does (about 320 items a day).
        let day = i / 320 + rng.below(3) as u64;
        let (year, month, dom) = (2015 + day / 336, 1 + (day / 28) % 12, 1 + day % 28);
        let outlet = OUTLETS[rng.below(OUTLETS.len())];
        serde_json::json!({
            "url": format!("https://{}.example/replay/{year}/{month:02}/{i}", slug(outlet)),
            "title": real.title,
            "text": body,
            "date": format!("{year:04}-{month:02}-{dom:02}"),
            "source": outlet,
            "lang": real.lang,
        })
    }
}

fn slug(outlet: &str) -> String {
    outlet.to_lowercase().replace(' ', "-")
}

/// A syndicated copy of `original`: another outlet and URL, one sentence changed.
fn near_duplicate(original: &serde_json::Value, i: u64, rng: &mut Rng) -> serde_json::Value {
    let mut copy = original.clone();
    let outlet = OUTLETS[rng.below(OUTLETS.len())];
    copy["source"] = outlet.into();
    copy["url"] = format!("https://{}.example/wire/{i}", slug(outlet)).into();
    let text = copy["text"].as_str().unwrap_or_default();
    copy["text"] = format!("{text}\n\nThis report was distributed by {outlet} (item {i}).").into();
    copy
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_distinct() {
        assert_eq!(article_jsonl(5, 1), article_jsonl(5, 1));
        assert_ne!(article_jsonl(5, 1), article_jsonl(6, 1));
        let v: serde_json::Value = serde_json::from_str(&article_jsonl(123, 9)).unwrap();
        assert!(v["text"].as_str().unwrap().len() > 1000);
        assert_eq!(v["date"].as_str().unwrap().len(), 10);
    }

    #[test]
    fn the_mix_has_its_shares_and_replays_differ() {
        let real = shipped_real_texts();
        assert!(real.len() > 100, "{}", real.len());
        let mut mix = Mix::new(real, 7);
        let mut counts = [0usize; 3];
        let mut replays = std::collections::HashMap::<String, Vec<String>>::new();
        for i in 0..4000 {
            let (line, kind) = mix.item(i);
            let v: serde_json::Value = serde_json::from_str(&line).unwrap();
            counts[kind as usize] += 1;
            if kind == MixKind::Real {
                let title = v["title"].as_str().unwrap().to_string();
                replays.entry(title).or_default().push(v["text"].as_str().unwrap().to_string());
            }
        }
        // 75% generated, 20% real, 5% near-duplicates, give or take sampling.
        assert!((2800..3200).contains(&counts[0]), "{counts:?}");
        assert!((650..950).contains(&counts[1]), "{counts:?}");
        assert!((120..280).contains(&counts[2]), "{counts:?}");
        // A text replayed twice keeps different sentences each time.
        let twice = replays.values().find(|v| v.len() >= 2).expect("a replayed title");
        assert_ne!(twice[0], twice[1]);
        // Deterministic for a seed.
        let mut again = Mix::new(shipped_real_texts(), 7);
        let mut first = Mix::new(shipped_real_texts(), 7);
        assert_eq!(first.item(0).0, again.item(0).0);
    }
}
