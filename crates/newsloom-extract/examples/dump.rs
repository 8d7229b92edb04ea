//! Debug aid: `dump <page.html[.gz]> [url]` prints what the extractor makes of one page.
use newsloom_extract::html::{content, dom};
use newsloom_extract::{Extractor, NewsExtractor};
use newsloom_model::{InputFormat, RawRecord};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else { return eprintln!("usage: dump <page.html[.gz]> [url]") };
    let bytes = newsloom_extract::eval::read_page(std::path::Path::new(path)).unwrap_or_default();
    let (html, _) = newsloom_extract::eval::decode_html_bytes(&bytes);
    let d = dom::parse(&html);
    let st = content::stats(&d);
    let (roots, score) = content::content_roots(&d, &st);
    println!("nodes {} text {} roots (score {score:.1}):", d.nodes.len(), st.text_len[0]);
    let roots0 = roots.first().copied().unwrap_or(0);
    for r in roots {
        let mut path = Vec::new();
        let mut i = r;
        while i != 0 {
            path.push(format!(
                "{:?}.{}",
                d.nodes[i].tag,
                d.nodes[i].attrs.class_id.split(' ').next().unwrap_or("")
            ));
            i = d.nodes[i].parent as usize;
        }
        path.reverse();
        println!("  #{r} len {} {}", st.text_len[r], path.join(" > "));
    }
    if std::env::var("DUMP_CLIMB").is_ok() {
        let mut a = roots0;
        while a != 0 {
            println!(
                "  up #{a} {:?}.{} text {} links {} ld {:.2}",
                d.nodes[a].tag,
                d.nodes[a].attrs.class_id.split(' ').next().unwrap_or(""),
                st.text_len[a],
                st.link_len[a],
                st.link_density(a)
            );
            a = d.nodes[a].parent as usize;
        }
    }
    for i in 1..d.nodes.len() {
        let p = d.nodes[i].parent as usize;
        if st.pruned[i] && !st.pruned[p] && st.raw_len[i] > 300 {
            let a = &d.nodes[i].attrs;
            println!(
                "  pruned #{i} {:?} raw {} class {:?} role {:?} hidden {}",
                d.nodes[i].tag,
                st.raw_len[i],
                a.class_id,
                a.role(),
                a.hidden
            );
        }
    }
    let mut meta = serde_json::Map::new();
    if let Some(u) = args.get(1) {
        meta.insert("url".into(), u.clone().into());
    }
    let raw = RawRecord {
        id: "x".into(),
        origin: path.clone(),
        format: InputFormat::Html,
        content: html,
        meta,
        warnings: vec![],
    };
    match NewsExtractor::new().extract(&raw) {
        Ok(mut a) => {
            a.raw.clear();
            println!("{}", serde_json::to_string_pretty(&a).unwrap_or_default());
        }
        Err(e) => println!("error: {e}"),
    }
}
