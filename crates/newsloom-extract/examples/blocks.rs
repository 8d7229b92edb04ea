//! Debug aid: `blocks <page.html[.gz]>` prints each serialised block of the chosen content with
//! its DOM path.
use newsloom_extract::html::{content, dom, paths};

fn main() {
    let Some(path) = std::env::args().nth(1) else { return eprintln!("usage: blocks <page.html[.gz]>") };
    let bytes = newsloom_extract::eval::read_page(std::path::Path::new(&path)).unwrap_or_default();
    let (html, _) = newsloom_extract::eval::decode_html_bytes(&bytes);
    let d = dom::parse(&html);
    let st = content::stats(&d);
    let (roots, _) = content::content_roots(&d, &st);
    for b in content::serialise(&d, &st, &roots) {
        let t: String = b.text.chars().take(70).collect();
        println!("{:<70} | {}", t, paths::path_key(&d, b.node));
    }
}
