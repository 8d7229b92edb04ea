//! Debug aid: `scores <page.html[.gz]>` prints the best-scoring candidate containers (score
//! after link density and the headline boost) with their text length.
use newsloom_extract::html::{content, dom};

fn main() {
    let Some(path) = std::env::args().nth(1) else { return eprintln!("usage: scores <page.html[.gz]>") };
    let bytes = newsloom_extract::eval::read_page(std::path::Path::new(&path)).unwrap_or_default();
    let (html, _) = newsloom_extract::eval::decode_html_bytes(&bytes);
    let d = dom::parse(&html);
    let st = content::stats(&d);
    let sc = content::candidate_scores(&d, &st);
    let mut v: Vec<(usize, f32)> = sc
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.is_nan())
        .map(|(i, &s)| (i, s * (1.0 - st.link_density(i))))
        .collect();
    v.sort_by(|a, b| b.1.total_cmp(&a.1));
    for (i, s) in v.into_iter().take(15) {
        let a = &d.nodes[i].attrs;
        println!(
            "#{i:<6} {s:>7.1} len {:>6} ld {:.2} {:?}.{}",
            st.text_len[i],
            st.link_density(i),
            d.nodes[i].tag,
            a.class_id
        );
    }
}
