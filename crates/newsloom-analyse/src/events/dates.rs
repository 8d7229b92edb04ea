//! Event dates stated in a sentence (`in 2014`, `In November`, `in April 2016`,
//! `on Wednesday`, `on March 3`), resolved against the article date.

use newsloom_model::calendar::{MONTHS, WEEKDAYS};

/// `YYYY-MM-DD…` → (year, month, day).
pub(crate) fn parse_day(s: &str) -> Option<(i32, u32, u32)> {
    let b = s.get(..10)?;
    let y = b.get(..4)?.parse().ok()?;
    let m = b.get(5..7)?.parse().ok()?;
    let d = b.get(8..10)?.parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d))
}

fn month_of(w: &str) -> Option<u32> {
    let l = w.to_lowercase();
    let l = l.trim_end_matches('.');
    MONTHS
        .iter()
        .position(|m| {
            *m == l || (l.len() >= 3 && m.starts_with(l) && l != "may" && l != "mar" && l.len() <= 4)
        })
        .map(|i| i as u32 + 1)
        .or_else(|| (l == "may").then_some(5))
}

/// `w.to_lowercase() == lower`, without allocating for ASCII words.
fn lower_eq(w: &str, lower: &str) -> bool {
    if w.is_ascii() { w.eq_ignore_ascii_case(lower) } else { w.to_lowercase() == lower }
}

/// Days since 1970-01-01 (proleptic Gregorian), for weekday arithmetic.
fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y } as i64;
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    ((if m <= 2 { y + 1 } else { y }) as i32, m, d)
}

/// The first date the sentence states, as ISO (`2014`, `2016-04`, `2016-11-30`).
pub(crate) fn event_date(sentence: &str, article: Option<(i32, u32, u32)>) -> Option<String> {
    let ws: Vec<&str> = sentence
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')'))
        .filter(|w| !w.is_empty())
        .map(|w| w.trim_end_matches(['.', '’', '\'']))
        .collect();
    let year = |w: &str| w.parse::<i32>().ok().filter(|y| (1900..=2100).contains(y) && w.len() == 4);
    for (i, w) in ws.iter().enumerate() {
        let prev = if i > 0 { ws[i - 1] } else { "" };
        let prev_in = |list: &[&str]| list.iter().any(|x| lower_eq(prev, x));
        // (Testing the capital first spares most words the lowercasing in `month_of`.)
        if w.chars().next().is_some_and(char::is_uppercase)
            && let Some(m) = month_of(w)
        {
            // `May` as a verb: only after in/on/since/of/by or before a number.
            let next = ws.get(i + 1).copied().unwrap_or("");
            let day = next.parse::<u32>().ok().filter(|d| (1..=31).contains(d));
            let after_day = if day.is_some() { ws.get(i + 2).copied().unwrap_or("") } else { next };
            if m == 5 && day.is_none() && year(next).is_none() && !prev_in(&["in", "on", "since", "of", "by"])
            {
                continue;
            }
            let y = year(after_day).or_else(|| {
                let (ay, am, _) = article?;
                // A month later than the article's month is last year's.
                Some(if m > am { ay - 1 } else { ay })
            });
            return Some(match (y, day) {
                (Some(y), Some(d)) => format!("{y:04}-{m:02}-{d:02}"),
                (Some(y), None) => format!("{y:04}-{m:02}"),
                _ => return None,
            });
        }
        if let Some(y) = year(w)
            && prev_in(&["in", "since", "during", "of", "until", "by"])
        {
            return Some(format!("{y:04}"));
        }
        if let Some(wd) = WEEKDAYS.iter().position(|d| lower_eq(w, d))
            && let Some((ay, am, ad)) = article
        {
            // The last such weekday on or before the article date.
            let today = days_from_civil(ay, am, ad);
            let today_wd = (today + 3).rem_euclid(7); // 1970-01-01 was a Thursday (index 3)
            let back = (today_wd - wd as i64).rem_euclid(7);
            let (y, m, d) = civil_from_days(today - back);
            return Some(format!("{y:04}-{m:02}-{d:02}"));
        }
        if lower_eq(w, "yesterday")
            && let Some((ay, am, ad)) = article
        {
            let (y, m, d) = civil_from_days(days_from_civil(ay, am, ad) - 1);
            return Some(format!("{y:04}-{m:02}-{d:02}"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_relative_to_the_article() {
        let a = Some((2017, 1, 4)); // a Wednesday
        assert_eq!(event_date("In November, Shoigu accused NATO", a).as_deref(), Some("2016-11"));
        assert_eq!(event_date("NATO suspended cooperation in 2014 after", a).as_deref(), Some("2014"));
        assert_eq!(event_date("reopened lines in April 2016, holding", a).as_deref(), Some("2016-04"));
        assert_eq!(event_date("met on Monday", a).as_deref(), Some("2017-01-02"));
        assert_eq!(event_date("met on Wednesday", a).as_deref(), Some("2017-01-04"));
        assert_eq!(event_date("signed on March 3, 2015", a).as_deref(), Some("2015-03-03"));
        assert_eq!(event_date("He may go", a), None);
        assert_eq!(event_date("No date here", None), None);
        assert_eq!(civil_from_days(days_from_civil(2016, 2, 29)), (2016, 2, 29));
    }
}
