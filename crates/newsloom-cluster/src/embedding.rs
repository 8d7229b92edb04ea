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
    let out = embed_memoised(model, &texts)?;
    if let Some(p) = cache {
        let bytes: Vec<u8> = out.iter().flatten().flat_map(|x| x.to_le_bytes()).collect();
        // A cache that cannot be written only costs time on the next run.
        let _ = std::fs::write(p, bytes);
    }
    Ok(out)
}

/// Texts already encoded in this process, by model and text: `eval --folds` encodes each
/// fold's texts and then the other folds' (to fit on them), the same texts again and again.
#[cfg(feature = "embed")]
static MEMO: std::sync::LazyLock<std::sync::Mutex<Memo>> = std::sync::LazyLock::new(Default::default);

/// Vectors by model directory, then by text.
#[cfg(feature = "embed")]
type Memo = std::collections::HashMap<std::path::PathBuf, std::collections::HashMap<String, Vec<f32>>>;

/// Encodes the texts not in [`MEMO`], in batches of 64, and returns all in order.
#[cfg(feature = "embed")]
fn embed_memoised(model: &Path, texts: &[String]) -> Result<Vec<Vec<f32>>, String> {
    let mut memo = MEMO.lock().map_err(|e| e.to_string())?;
    let known = memo.entry(model.to_path_buf()).or_default();
    let mut seen = std::collections::HashSet::new();
    let missing: Vec<&str> =
        texts.iter().map(String::as_str).filter(|t| !known.contains_key(*t) && seen.insert(*t)).collect();
    if !missing.is_empty() {
        let e = newsloom_embed::Embedder::load(model)?;
        for chunk in missing.chunks(64) {
            for (t, v) in chunk.iter().zip(e.embed(chunk)?) {
                known.insert(t.to_string(), v);
            }
        }
    }
    Ok(texts.iter().map(|t| known[t.as_str()].clone()).collect())
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
