//! Embeds each argument and prints the first dimensions and the pairwise cosines.
//!
//! `NEWSLOOM_EMBED_MODEL=DIR cargo run --release -p newsloom-embed --features candle --example embed -- TEXT...`
use newsloom_embed::{Embedder, cosine};

fn main() {
    let texts: Vec<String> = std::env::args().skip(1).collect();
    let m = match Embedder::from_env() {
        Some(Ok(m)) => m,
        Some(Err(e)) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
        None => {
            eprintln!("set {} to a model directory", newsloom_embed::ENV_VAR);
            std::process::exit(2);
        }
    };
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let t0 = std::time::Instant::now();
    let v = m.embed(&refs).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1)
    });
    eprintln!("{} texts in {:.3} s", refs.len(), t0.elapsed().as_secs_f64());
    for (t, e) in refs.iter().zip(&v) {
        let head: Vec<String> = e.iter().take(8).map(|x| format!("{x:.5}")).collect();
        println!("[{}] {t}", head.join(" "));
    }
    for i in 0..v.len() {
        for j in i + 1..v.len() {
            println!("cos({i},{j}) = {:.4}", cosine(&v[i], &v[j]));
        }
    }
}
