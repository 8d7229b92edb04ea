//! Computing sentence embeddings for a batch of articles (with the `embed` feature).

use std::path::Path;

use newsloom_model::Article;

/// Unit-length embeddings of the articles' headline and lead, in order, from the model in
/// `model` (see `newsloom-embed`).
///
/// With `NEWSLOOM_EMBED_CACHE=DIR` set, the vectors of one (model, texts) input are kept in a
/// file there and reused: an evaluation run then does not re-encode the same file.
#[cfg(feature = "embed")]
pub fn embed_articles(model: &Path, articles: &[&Article]) -> Result<Vec<Vec<f32>>, String> {
    let texts: Vec<String> = articles.iter().map(|a| crate::doc::embedding_text(a)).collect();
    let cache = std::env::var_os("NEWSLOOM_EMBED_CACHE").filter(|v| !v.is_empty()).map(|d| {
        let mut key = model.display().to_string().into_bytes();
        texts.iter().for_each(|t| {
            key.push(0);
            key.extend_from_slice(t.as_bytes())
        });
        Path::new(&d).join(format!("{}.f32", newsloom_model::content_id(&key)))
    });
    if let Some(v) = cache.as_deref().and_then(|p| read_cache(p, texts.len())) {
        return Ok(v);
    }
    let e = newsloom_embed::Embedder::load(model)?;
    let mut out = Vec::with_capacity(texts.len());
    for chunk in texts.chunks(64) {
        let refs: Vec<&str> = chunk.iter().map(String::as_str).collect();
        out.extend(e.embed(&refs)?);
    }
    if let Some(p) = cache {
        let bytes: Vec<u8> = out.iter().flatten().flat_map(|x| x.to_le_bytes()).collect();
        // A cache that cannot be written only costs time on the next run.
        let _ = std::fs::write(p, bytes);
    }
    Ok(out)
}

#[cfg(feature = "embed")]
fn read_cache(p: &Path, n: usize) -> Option<Vec<Vec<f32>>> {
    let b = std::fs::read(p).ok()?;
    if n == 0 || b.len() % (4 * n) != 0 {
        return None;
    }
    let dim = b.len() / 4 / n;
    let all: Vec<f32> = b.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
    Some(all.chunks(dim).map(<[f32]>::to_vec).collect())
}

/// Without the `embed` feature there is no encoder: says so.
#[cfg(not(feature = "embed"))]
pub fn embed_articles(model: &Path, _articles: &[&Article]) -> Result<Vec<Vec<f32>>, String> {
    Err(format!(
        "{}: newsloom-cluster was built without the `embed` feature (cargo build --features embed)",
        model.display()
    ))
}

/// The model directory to use: the given one, else `NEWSLOOM_EMBED_MODEL` when set and this
/// build can use it (an explicit path without the `embed` feature is an error later; a stray
/// environment variable is not).
pub fn model_dir(given: Option<&Path>) -> Option<std::path::PathBuf> {
    given.map(Path::to_path_buf).or_else(|| {
        if !cfg!(feature = "embed") {
            return None;
        }
        std::env::var_os("NEWSLOOM_EMBED_MODEL").filter(|v| !v.is_empty()).map(std::path::PathBuf::from)
    })
}
