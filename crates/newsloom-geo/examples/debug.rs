//! `cargo run -p newsloom-geo --example debug -- "TEXT"`: the entity stage's mentions and the
//! geoparser's toponyms for one text.

use newsloom_analyse::ner::EntityRecognizer;

fn main() {
    let text = std::env::args().nth(1).unwrap_or_default();
    let (_, mentions) = EntityRecognizer::new().recognise("x", &text);
    for m in &mentions {
        println!("mention {:?} {:?} {}..{}", m.kind, m.text, m.span.start, m.span.end);
    }
    for p in newsloom_geo::Geoparser::new().parse("x", &text, &mentions, &Default::default()) {
        let place = p
            .place
            .map(|g| format!("{} {} {} {:?} {}", g.geonameid, g.name, g.country, g.admin1, g.feature_code));
        println!("place {:?} {}..{} literal={} {:?}", p.text, p.span.start, p.span.end, p.literal, place);
    }
}
