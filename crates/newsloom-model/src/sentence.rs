//! The sentence around a fact's span: what a page shows as the fact's context.

use serde::{Deserialize, Serialize};

/// A sentence of a body with the char range (within it) of the span it was taken for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpanSentence {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// The sentence holding chars `start..end` of a body (bounded to ~400 chars each side), with
/// the range's position inside it.
pub fn sentence_around(body: &str, start: usize, end: usize) -> Option<SpanSentence> {
    const REACH: usize = 400;
    // Only chars within REACH of the span are looked at: decode that window, not the body. A
    // window cut short ends where the body does; a full one reaches REACH past `end`, as far
    // as the search below may look, so either way its end serves as the body's length.
    let from = start.saturating_sub(REACH);
    let chars: Vec<char> = body.chars().skip(from).take(end.saturating_sub(from) + REACH).collect();
    let len = from + chars.len();
    if start > end || end > len {
        return None;
    }
    let at = |i: usize| chars[i - from];
    let is_end = |c: char| matches!(c, '.' | '!' | '?' | '\n');
    let mut s = start;
    while s > 0 && start - s < REACH && !(is_end(at(s - 1)) && (s == start || at(s).is_whitespace())) {
        s -= 1;
    }
    let mut e = end;
    while e < len && e - end < REACH && !(e > start && is_end(at(e - 1))) {
        e += 1;
    }
    let raw: String = chars[s - from..e - from].iter().collect();
    let lead = raw.chars().take_while(|c| c.is_whitespace()).count();
    let text: String = raw.trim().to_string();
    let rel_start = (start - s).saturating_sub(lead).min(text.chars().count());
    let rel_end = (end - s).saturating_sub(lead).min(text.chars().count());
    Some(SpanSentence { text, start: rel_start, end: rel_end })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_sentence_around_a_span() {
        let body = "First one. Russia warned NATO today. Last «one».";
        let start = body.find("NATO").unwrap();
        let s = sentence_around(body, start, start + 4).unwrap();
        assert_eq!(s.text, "Russia warned NATO today.");
        assert_eq!(s.text.chars().skip(s.start).take(s.end - s.start).collect::<String>(), "NATO");
        assert!(sentence_around(body, 5, 500).is_none());
        assert!(sentence_around(body, 5, 2).is_none());
        // Far into a long body (only a window around the span is decoded), after non-ASCII.
        let long = format!("{}. Россия warned NATO today. {}", "é".repeat(1000), "z".repeat(900));
        let start = long.chars().position(|c| c == 'N').unwrap();
        let s = sentence_around(&long, start, start + 4).unwrap();
        assert_eq!(s.text, "Россия warned NATO today.");
        assert_eq!(s.text.chars().skip(s.start).take(s.end - s.start).collect::<String>(), "NATO");
        let n = long.chars().count();
        assert!(sentence_around(&long, n - 3, n).is_some());
        assert!(sentence_around(&long, n - 3, n + 1).is_none());
    }
}
