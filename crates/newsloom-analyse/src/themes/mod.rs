//! Themes: IPTC Media Topics (top level, 17 subjects) and GDELT-like theme keywords per article,
//! each with a confidence.
//!
//! * A softmax regression over words ([`TopicModel`]) gives the IPTC subject of the five BBC
//!   News sections it was learnt from (economy, arts/entertainment, politics, science and
//!   technology, sport). Its weights ship in `models/themes-lr.bin.gz`, learnt from the BBC
//!   News dataset dev half (D. Greene and P. Cunningham, ICML 2006; no text is shipped);
//!   [`train`] rebuilds them.
//! * Keyword dictionaries (`models/themes.tsv`, [`dict`]) add the other twelve IPTC subjects
//!   (crime, disaster, health, conflict, …) and GDELT-like themes (`ELECTION`, `PROTEST`,
//!   `SANCTIONS`, …). A dictionary's confidence grows with its hits per 100 words.
//!
//! The first label is the article's main IPTC subject: the model's best class, unless a
//! dictionary-only subject has a higher confidence.
//!
//! ```
//! use newsloom_analyse::themes::ThemeClassifier;
//! let labels = ThemeClassifier::shared().classify("Striker scores twice as United win the cup final");
//! assert_eq!(labels[0].code, "medtop:15000000"); // sport
//! ```

pub mod dict;
mod eval;
pub mod iptc;
mod model;
#[cfg(test)]
mod tests;

pub use eval::{eval, train};
pub use iptc::{IPTC_TOP, iptc_label};
pub use model::{TopicModel, words};

use dict::Dictionaries;
use newsloom_model::ThemeLabel;
use std::sync::LazyLock;

const SHIPPED_MODEL: &[u8] = include_bytes!("../../models/themes-lr.bin.gz");
/// Labels below this confidence are not reported.
const MIN_CONFIDENCE: f32 = 0.3;
/// Hits per 100 words at which a dictionary's confidence reaches 1 - 1/e.
const DICT_SCALE: f32 = 2.0;
/// The confidence a dictionary-only IPTC subject needs to lead over the learnt model's best
/// (about 6 keyword hits per 100 words); on BBC dev such subjects lead in few articles.
const DICT_LEAD: f32 = 0.95;

/// The shipped theme classifier.
pub struct ThemeClassifier {
    model: Result<TopicModel, String>,
    dicts: Dictionaries,
}

impl ThemeClassifier {
    pub fn shared() -> &'static ThemeClassifier {
        static SHARED: LazyLock<ThemeClassifier> =
            LazyLock::new(|| ThemeClassifier::with_model(TopicModel::from_bytes(SHIPPED_MODEL)));
        &SHARED
    }

    pub fn with_model(model: Result<TopicModel, String>) -> Self {
        Self { model, dicts: Dictionaries::shipped() }
    }

    fn learnt(&self, code: &str) -> bool {
        self.model.as_ref().is_ok_and(|m| m.classes.iter().any(|c| c == code))
    }

    /// Why the learnt model could not be loaded (then only dictionaries label).
    pub fn model_error(&self) -> Option<&str> {
        self.model.as_ref().err().map(String::as_str)
    }

    /// Labels of an article from its title and body.
    pub fn classify_article(&self, title: &str, body: &str) -> Vec<ThemeLabel> {
        if body.starts_with(title) {
            return self.classify(body);
        }
        self.classify(&format!("{title}\n\n{body}"))
    }

    /// Labels of a text (title and body), best IPTC subject first, then other IPTC subjects and
    /// themes by confidence.
    pub fn classify(&self, text: &str) -> Vec<ThemeLabel> {
        let owned = words(text);
        let ws: Vec<&str> = owned.iter().map(|w| w.as_ref()).collect();
        let mut iptc: Vec<ThemeLabel> = Vec::new();
        if let Ok(m) = &self.model {
            for (c, p) in m.classes.iter().zip(m.posterior(&ws)) {
                iptc.push(label("iptc", c, p));
            }
        }
        let hits = self.dicts.count(&ws);
        let per100 = 100.0 / ws.len().max(50) as f32;
        let mut themes = Vec::new();
        for (d, &h) in self.dicts.dicts.iter().zip(&hits) {
            if h == 0 {
                continue;
            }
            let conf = 1.0 - (-(h as f32 * per100) / DICT_SCALE).exp();
            if d.kind == "iptc" {
                match iptc.iter_mut().find(|l| l.code == d.code) {
                    Some(l) => l.confidence = l.confidence.max(conf),
                    None => iptc.push(label("iptc", &d.code, conf)),
                }
            } else {
                themes.push(label("theme", &d.code, conf));
            }
        }
        iptc.sort_by(|a, b| b.confidence.total_cmp(&a.confidence));
        // A dictionary-only subject leads only on strong keyword evidence.
        let best_learnt = iptc.iter().position(|l| self.learnt(&l.code));
        if let Some(b) = best_learnt.filter(|&b| b > 0 && iptc[0].confidence < DICT_LEAD) {
            let l = iptc.remove(b);
            iptc.insert(0, l);
        }
        themes.sort_by(|a, b| b.confidence.total_cmp(&a.confidence));
        // The main subject is always reported, the rest only when confident enough.
        let mut out: Vec<ThemeLabel> = Vec::new();
        for (i, l) in iptc.into_iter().enumerate() {
            if i == 0 || l.confidence >= MIN_CONFIDENCE {
                out.push(l);
            }
        }
        out.extend(themes.into_iter().filter(|l| l.confidence >= MIN_CONFIDENCE));
        out
    }
}

fn label(kind: &str, code: &str, confidence: f32) -> ThemeLabel {
    let text = if kind == "iptc" { iptc_label(code).unwrap_or(code) } else { code };
    ThemeLabel { code: code.to_string(), label: text.to_string(), kind: kind.to_string(), confidence }
}
