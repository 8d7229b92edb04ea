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
}
