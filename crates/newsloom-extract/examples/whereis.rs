//! Debug aid: `whereis <gold.jsonl>` reports, for each missed `with` snippet, why: the node
//! holding it was pruned (and by which ancestor), lies outside the chosen content, or was
//! filtered on serialisation.
use std::io::Read;

use newsloom_extract::html::{content, dom};

fn main() {
    let gold = std::env::args().nth(1).expect("gold");
    let base = std::path::Path::new(&gold).parent().unwrap().to_path_buf();
    let (mut pruned, mut outside, mut filtered, mut notfound, mut ok) = (0, 0, 0, 0, 0);
    for line in std::fs::read_to_string(&gold).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let Some(with) = v["with"].as_array() else { continue };
        let bytes = std::fs::read(base.join(v["html_file"].as_str().unwrap())).unwrap();
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&bytes[..]).read_to_end(&mut out).unwrap();
        let html = newsloom_extract::eval::decode_html_bytes(&out).0;
        let d = dom::parse(&html);
        let st = content::stats(&d);
        let (roots, _) = content::content_roots(&d, &st);
        let body: String = content::serialise(&d, &st, &roots).iter().map(|b| b.text.clone() + " ").collect();
        for w in with {
            let w = content::normalise(w.as_str().unwrap_or(""));
            if body.contains(&w) {
                ok += 1;
                continue;
            }
            let probe: String = w.chars().take(25).collect();
            let Some(i) = (1..d.nodes.len()).find(|&i| {
                d.nodes[i].tag == dom::Tag::Text && content::normalise(d.text(i)).contains(&probe)
            }) else {
                notfound += 1;
                continue;
            };
            let mut a = i;
            let mut in_root = false;
            let mut top_pruned = None;
            while a != 0 {
                if roots.contains(&a) {
                    in_root = true;
                }
                if st.pruned[a] && !st.pruned[d.nodes[a].parent as usize] {
                    top_pruned = Some(a);
                }
                a = d.nodes[a].parent as usize;
            }
            let why = if let Some(p) = top_pruned {
                pruned += 1;
                format!(
                    "PRUNED by {:?} {:?} role {:?}",
                    d.nodes[p].tag,
                    d.nodes[p].attrs.class_id,
                    d.nodes[p].attrs.role()
                )
            } else if !in_root {
                outside += 1;
                let path = |mut n: usize| {
                    let mut p = Vec::new();
                    while n != 0 {
                        p.push(format!(
                            "{:?}#{n}.{}",
                            d.nodes[n].tag,
                            d.nodes[n].attrs.class_id.split(' ').next().unwrap_or("")
                        ));
                        n = d.nodes[n].parent as usize;
                    }
                    p.reverse();
                    p.join(">")
                };
                format!(
                    "OUTSIDE\n     snippet {}\n     root    {}",
                    path(d.nodes[i].parent as usize),
                    roots.iter().map(|&r| path(r)).collect::<Vec<_>>().join(" + ")
                )
            } else {
                filtered += 1;
                "FILTERED".to_string()
            };
            println!(
                "{:60} {why}  «{}»",
                v["id"].as_str().unwrap_or("").chars().take(60).collect::<String>(),
                probe
            );
        }
    }
    println!("ok {ok} pruned {pruned} outside {outside} filtered {filtered} notfound {notfound}");
}
