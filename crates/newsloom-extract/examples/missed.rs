//! Which gold content the extractor drops, and where it sits in the page.
//!
//! `cargo run --release -p newsloom-extract --example missed -- <ground-truth.jsonl> [--list] [--fp]`
//! (`--fp`: the `without` snippets found in the body, with where they sit and the root holding them)
//!
//! Runs the real extractor (through `eval::run_with`, so the bodies are exactly the ones the
//! eval scores), then, for every `with` snippet missing from a body (or every body-gold
//! sentence, for the AEB set's `body` gold), finds the text node it starts in and reports:
//! * the DOM context: list item, table cell, heading, `<br>`-separated text, text in a `<div>`
//!   without `<p>`, `<p>`, blockquote, caption, link text…;
//! * why it was lost: PRUNED (an ancestor was dropped as chrome; its tag and class are
//!   listed), OUTSIDE (not under the chosen content roots), SERIALISE (under the roots but
//!   dropped when blocks were written: link-heavy boxes), FILTERED (written but removed by the
//!   body filters), ALTERED (its start is in the body but not the whole: split or cut), or
//!   NOTFOUND (no text node holds it: script-rendered or spread over many nodes).
//!
//! It prints counts by context × reason, by site (`folds::page_site`), and with `--list` one
//! line per missed snippet.
use std::collections::BTreeMap;

use newsloom_extract::eval::{decode_html_bytes, read_page};
use newsloom_extract::folds::page_site;
use newsloom_extract::html::dom::{Dom, Tag};
use newsloom_extract::html::{content, dom};
use serde_json::Value;

fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn has_br(d: &Dom, i: usize) -> bool {
    d.children(i).iter().any(|&c| d.nodes[c as usize].tag == Tag::Br)
}

/// The context of text node `t`: the nearest telling ancestor.
fn context(d: &Dom, t: usize) -> String {
    let mut link = false;
    let mut a = d.nodes[t].parent as usize;
    while a != 0 {
        let tag = d.nodes[a].tag;
        let name = match tag {
            Tag::A => {
                link = true;
                None
            }
            Tag::Li | Tag::Dd | Tag::Dt => Some("list item"),
            Tag::Td | Tag::Th => Some("table cell"),
            Tag::H(_) => Some("heading"),
            Tag::Blockquote => Some("blockquote"),
            Tag::Figcaption | Tag::Caption | Tag::Figure => Some("caption"),
            Tag::Pre | Tag::Code => Some("pre/code"),
            Tag::P if has_br(d, a) => Some("<p> with <br>"),
            Tag::P => Some("<p>"),
            t if !t.is_inline() => {
                Some(if has_br(d, a) { "div text with <br>" } else { "div text (no <p>)" })
            }
            _ => None,
        };
        if let Some(n) = name {
            return if link { format!("{n}, link") } else { n.to_string() };
        }
        a = d.nodes[a].parent as usize;
    }
    "top level".into()
}

fn describe(d: &Dom, i: usize) -> String {
    let class = d.nodes[i].attrs.class_id.split(' ').take(2).collect::<Vec<_>>().join(".");
    format!("{:?}.{class}", d.nodes[i].tag)
}

/// For content outside the roots: how far up the nearest root and the missed text meet, and
/// the box holding the missed text just below that meeting point (tag, text, link density).
fn outside_detail(d: &Dom, st: &content::Stats, roots: &[usize], t: usize) -> String {
    let chain = |mut i: usize| {
        let mut v = vec![i];
        while i != 0 {
            i = d.nodes[i].parent as usize;
            v.push(i);
        }
        v
    };
    let tc = chain(t);
    let mut best: Option<(usize, usize, usize, usize)> = None;
    for &r in roots {
        let rc = chain(r);
        if let Some((ti, ri)) =
            tc.iter().enumerate().find_map(|(ti, a)| rc.iter().position(|b| b == a).map(|ri| (ti, ri)))
            && best.is_none_or(|b| ti + ri < b.0 + b.1)
        {
            best = Some((ti, ri, tc[ti], r));
        }
    }
    let Some((ti, ri, lca, r)) = best else { return String::new() };
    let b = tc[ti.saturating_sub(1)];
    format!(
        "up{ri}/{ti} lca {} box {} len {} ld {:.2} {}root {}",
        describe(d, lca),
        describe(d, b),
        st.text_len[b],
        st.link_density(b),
        if b < r { "before " } else { "after " },
        describe(d, r)
    )
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(gold) = args.first().map(std::path::PathBuf::from) else {
        eprintln!("usage: missed <ground-truth.jsonl> [--list] [--fp]");
        std::process::exit(2);
    };
    let list = args.iter().any(|a| a == "--list");
    let fp = args.iter().any(|a| a == "--fp");
    let tmp = std::env::temp_dir().join(format!("newsloom-missed-{}.jsonl", std::process::id()));
    if let Err(e) = newsloom_extract::eval::run_with(&gold, Some(&tmp)) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
    let preds: Vec<Value> = std::fs::read_to_string(&tmp)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let _ = std::fs::remove_file(&tmp);
    let base = gold.parent().unwrap_or(std::path::Path::new(".")).to_path_buf();
    let text = std::fs::read_to_string(&gold).expect("gold");
    let recs: Vec<Value> =
        text.lines().filter(|l| !l.trim().is_empty()).filter_map(|l| serde_json::from_str(l).ok()).collect();

    let mut matrix: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut by_site: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let (mut total, mut missed_n) = (0usize, 0usize);
    for (r, p) in recs.iter().zip(&preds) {
        let body = norm(p["body"].as_str().unwrap_or(""));
        // Gold pieces: `with` snippets, or the AEB body's lines.
        let pieces: Vec<String> = match r.get("with").and_then(Value::as_array) {
            Some(w) => w.iter().filter_map(Value::as_str).map(norm).collect(),
            None => r["body"].as_str().unwrap_or("").lines().map(norm).filter(|l| l.len() >= 20).collect(),
        };
        let site = page_site(r);
        // With `--fp`: the `without` snippets found in the body instead (false positives).
        let unwanted: Vec<String> = r
            .get("without")
            .and_then(Value::as_array)
            .map(|w| w.iter().filter_map(Value::as_str).map(norm).collect())
            .unwrap_or_default();
        let missed: Vec<&String> = if fp {
            unwanted.iter().filter(|w| body.contains(w.as_str())).collect()
        } else {
            pieces.iter().filter(|w| !body.contains(w.as_str())).collect()
        };
        total += pieces.len();
        let e = by_site.entry(site.clone()).or_default();
        e.0 += pieces.len();
        e.1 += missed.len();
        if missed.is_empty() {
            continue;
        }
        missed_n += missed.len();
        let Some(file) = r["html_file"].as_str() else { continue };
        let Ok(bytes) = read_page(&base.join(file)) else { continue };
        let html = decode_html_bytes(&bytes).0;
        let d = dom::parse(&html);
        let st = content::stats(&d);
        let (roots, _) = content::content_roots(&d, &st);
        let serialised: String =
            content::serialise(&d, &st, &roots).iter().map(|b| b.text.clone() + " ").collect::<String>();
        let serialised = norm(&serialised);
        for w in missed {
            let probe: String = w.chars().take(25).collect();
            let tail: String = {
                let c: Vec<char> = w.chars().collect();
                c[c.len().saturating_sub(25)..].iter().collect()
            };
            let node = [&probe, &tail].iter().find_map(|pr| {
                (1..d.nodes.len())
                    .find(|&i| d.nodes[i].tag == Tag::Text && norm(d.text(i)).contains(pr.as_str()))
            });
            let (ctx, why) = match node {
                None => ("?".to_string(), "NOTFOUND".to_string()),
                Some(t) => {
                    let mut a = t;
                    let mut in_root = false;
                    let mut top_pruned = None;
                    while a != 0 {
                        in_root |= roots.contains(&a);
                        if st.pruned[a] && !st.pruned[d.nodes[a].parent as usize] {
                            top_pruned = Some(a);
                        }
                        a = d.nodes[a].parent as usize;
                    }
                    let why = if let Some(pn) = top_pruned {
                        format!("PRUNED {}", describe(&d, pn))
                    } else if !in_root {
                        format!("OUTSIDE {}", outside_detail(&d, &st, &roots, t))
                    } else if body.contains(probe.as_str()) {
                        "ALTERED".into()
                    } else if !serialised.contains(probe.as_str()) {
                        "SERIALISE".into()
                    } else {
                        "FILTERED".into()
                    };
                    (context(&d, t), why)
                }
            };
            let short = if w.chars().count() < 80 { " (short)" } else { "" };
            let why = if fp {
                // Where in the body it sits (share of the body before it) and the root holding it.
                let at = body.find(w.as_str()).unwrap_or(0) as f32 / body.len().max(1) as f32;
                let root = node.and_then(|t| {
                    let mut a = t;
                    while a != 0 && !roots.contains(&a) {
                        a = d.nodes[a].parent as usize;
                    }
                    (a != 0).then_some(a)
                });
                let ri = root.and_then(|r| roots.iter().position(|&x| x == r));
                format!(
                    "FP at {at:.2} root {}/{} {}",
                    ri.map_or(-1, |i| i as i64),
                    roots.len(),
                    root.map_or("-".into(), |r| describe(&d, r))
                )
            } else {
                why
            };
            let reason = why.split(' ').next().unwrap_or("").to_string();
            *matrix.entry((format!("{ctx}{short}"), reason)).or_default() += 1;
            if list {
                println!("{site:<28} {:<26} «{probe}» {why}", format!("{ctx}{short}"));
            }
        }
    }
    println!("missed {missed_n} of {total} gold pieces");
    let reasons = ["PRUNED", "OUTSIDE", "SERIALISE", "FILTERED", "ALTERED", "NOTFOUND", "FP"];
    print!("{:<34}", "context \\ reason");
    reasons.iter().for_each(|r| print!(" {r:>9}"));
    println!(" {:>9}", "all");
    let mut contexts: Vec<&String> = matrix.keys().map(|(c, _)| c).collect();
    contexts.dedup();
    let mut rows: Vec<(usize, &String)> = contexts
        .into_iter()
        .map(|c| {
            (reasons.iter().map(|r| matrix.get(&(c.clone(), r.to_string())).copied().unwrap_or(0)).sum(), c)
        })
        .collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.0));
    for (n, c) in rows {
        print!("{c:<34}");
        for r in reasons {
            print!(" {:>9}", matrix.get(&(c.clone(), r.to_string())).copied().unwrap_or(0));
        }
        println!(" {n:>9}");
    }
    let mut sites: Vec<(&String, &(usize, usize))> = by_site.iter().filter(|(_, v)| v.1 > 0).collect();
    sites.sort_by_key(|s| std::cmp::Reverse(s.1.1));
    println!("sites with misses: {} of {}; most missed:", sites.len(), by_site.len());
    for (s, (n, m)) in sites.iter().take(25) {
        println!("  {s:<36} {m:>3} of {n:>3}");
    }
}
