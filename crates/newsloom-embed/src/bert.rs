//! A BERT encoder forward pass in candle (CPU): the shape shared by multilingual-e5-small
//! (XLM-R) and all-MiniLM-L6-v2. Written out here rather than taken from
//! candle-transformers so the large word-embedding table can stay in f16 (250k × 384 rows
//! would take 384 MB as f32) while the layers compute in f32.

use std::collections::HashMap;
use std::path::Path;

use candle_core::{DType, Device, Tensor};
use candle_nn::{LayerNorm, Linear, Module};
use serde_json::Value;
use tokenizers::Tokenizer;

/// Texts run through the encoder together (padded to the longest of the batch).
const BATCH: usize = 16;

struct Layer {
    q: Linear,
    k: Linear,
    v: Linear,
    ao: Linear,
    aln: LayerNorm,
    fi: Linear,
    fo: Linear,
    oln: LayerNorm,
}

pub struct Model {
    word: Tensor,
    pos: Tensor,
    typ: Tensor,
    eln: LayerNorm,
    layers: Vec<Layer>,
    heads: usize,
    hidden: usize,
    max_pos: usize,
    max_tokens: usize,
    prefix: String,
    tok: Tokenizer,
    dev: Device,
}

fn err<E: std::fmt::Display>(ctx: &str) -> impl Fn(E) -> String + '_ {
    move |e| format!("{ctx}: {e}")
}

impl Model {
    pub fn load(dir: &Path) -> Result<Model, String> {
        let path = |f: &str| dir.join(f);
        let ctx = dir.display().to_string();
        let cfg: Value = serde_json::from_str(
            &std::fs::read_to_string(path("config.json")).map_err(err(&format!("{ctx}/config.json")))?,
        )
        .map_err(err(&format!("{ctx}/config.json")))?;
        let num = |k: &str| cfg.get(k).and_then(Value::as_u64).map(|v| v as usize);
        let need = |k: &str| num(k).ok_or_else(|| format!("{ctx}/config.json: no {k}"));
        let hidden = need("hidden_size")?;
        let heads = need("num_attention_heads")?;
        let n_layers = need("num_hidden_layers")?;
        if heads == 0 || hidden % heads != 0 {
            return Err(format!("{ctx}/config.json: {hidden} hidden units in {heads} heads"));
        }
        let eps = cfg.get("layer_norm_eps").and_then(Value::as_f64).unwrap_or(1e-12);
        let prefix = cfg.get("newsloom_prefix").and_then(Value::as_str).unwrap_or("").to_string();
        let dev = Device::Cpu;
        let raw = candle_core::safetensors::load(path("model.safetensors"), &dev)
            .map_err(err(&format!("{ctx}/model.safetensors")))?;
        // Checkpoints name tensors with or without a `bert.` prefix.
        let ts: HashMap<String, Tensor> =
            raw.into_iter().map(|(k, v)| (k.strip_prefix("bert.").unwrap_or(&k).to_string(), v)).collect();
        let get = |name: &str| -> Result<Tensor, String> {
            ts.get(name).cloned().ok_or_else(|| format!("{ctx}/model.safetensors: no tensor {name}"))
        };
        let f32t =
            |name: &str| -> Result<Tensor, String> { get(name)?.to_dtype(DType::F32).map_err(err(name)) };
        let linear = |p: &str| -> Result<Linear, String> {
            Ok(Linear::new(f32t(&format!("{p}.weight"))?, Some(f32t(&format!("{p}.bias"))?)))
        };
        let norm = |p: &str| -> Result<LayerNorm, String> {
            let w = f32t(&format!("{p}.weight")).or_else(|_| f32t(&format!("{p}.gamma")))?;
            let b = f32t(&format!("{p}.bias")).or_else(|_| f32t(&format!("{p}.beta")))?;
            Ok(LayerNorm::new(w, b, eps))
        };
        let mut layers = Vec::with_capacity(n_layers);
        for l in 0..n_layers {
            let p = format!("encoder.layer.{l}");
            layers.push(Layer {
                q: linear(&format!("{p}.attention.self.query"))?,
                k: linear(&format!("{p}.attention.self.key"))?,
                v: linear(&format!("{p}.attention.self.value"))?,
                ao: linear(&format!("{p}.attention.output.dense"))?,
                aln: norm(&format!("{p}.attention.output.LayerNorm"))?,
                fi: linear(&format!("{p}.intermediate.dense"))?,
                fo: linear(&format!("{p}.output.dense"))?,
                oln: norm(&format!("{p}.output.LayerNorm"))?,
            });
        }
        let word = get("embeddings.word_embeddings.weight")?;
        let pos = f32t("embeddings.position_embeddings.weight")?;
        let max_pos = pos.dims().first().copied().unwrap_or(0);
        let typ = f32t("embeddings.token_type_embeddings.weight")?
            .get(0)
            .map_err(err("embeddings.token_type_embeddings"))?;
        let eln = norm("embeddings.LayerNorm")?;
        if word.dims() != [word.dims()[0], hidden] || pos.dims() != [max_pos, hidden] {
            return Err(format!(
                "{ctx}: embedding shapes {:?} / {:?} ≠ hidden {hidden}",
                word.dims(),
                pos.dims()
            ));
        }
        let mut tok =
            Tokenizer::from_file(path("tokenizer.json")).map_err(err(&format!("{ctx}/tokenizer.json")))?;
        // Some shipped tokenizers pad every text to a fixed length: batches are padded here,
        // with a mask, instead.
        tok.with_padding(None);
        tok.with_truncation(None).map_err(err(&format!("{ctx}/tokenizer.json")))?;
        Ok(Model {
            word,
            pos,
            typ,
            eln,
            layers,
            heads,
            hidden,
            max_pos,
            max_tokens: 128.min(max_pos),
            prefix,
            tok,
            dev,
        })
    }

    pub fn dim(&self) -> usize {
        self.hidden
    }

    pub fn set_max_tokens(&mut self, n: usize) {
        self.max_tokens = n.clamp(3, self.max_pos.max(3));
    }

    /// Token ids with the model's special tokens, cut to `max_tokens` (the closing special
    /// token kept).
    fn ids(&self, text: &str) -> Result<Vec<u32>, String> {
        // Tokenising a whole long page would be wasted: only the head is read.
        let head = &text[..text.floor_char_boundary((self.max_tokens * 12).min(text.len()))];
        let input = format!("{}{}", self.prefix, head.trim());
        let enc = self.tok.encode(input.as_str(), true).map_err(|e| format!("tokenizer: {e}"))?;
        let mut ids: Vec<u32> = enc
            .get_ids()
            .iter()
            .zip(enc.get_attention_mask())
            .filter(|&(_, &m)| m != 0)
            .map(|(&id, _)| id)
            .collect();
        if ids.len() > self.max_tokens {
            let last = *ids.last().unwrap_or(&0);
            ids.truncate(self.max_tokens - 1);
            ids.push(last);
        }
        Ok(ids)
    }

    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, String> {
        let mut out = vec![Vec::new(); texts.len()];
        let mut jobs: Vec<(usize, Vec<u32>)> = Vec::new();
        for (i, t) in texts.iter().enumerate() {
            if t.trim().is_empty() {
                out[i] = vec![0.0; self.hidden];
            } else {
                jobs.push((i, self.ids(t)?));
            }
        }
        // Similar lengths together: less padding.
        jobs.sort_by_key(|(_, ids)| ids.len());
        for chunk in jobs.chunks(BATCH) {
            let vecs = self.forward(chunk).map_err(|e| format!("encoder: {e}"))?;
            for ((i, _), v) in chunk.iter().zip(vecs) {
                out[*i] = v;
            }
        }
        Ok(out)
    }

    fn forward(&self, batch: &[(usize, Vec<u32>)]) -> candle_core::Result<Vec<Vec<f32>>> {
        let b = batch.len();
        let len = batch.iter().map(|(_, ids)| ids.len()).max().unwrap_or(1);
        let (h, nh) = (self.hidden, self.heads);
        let hd = h / nh;
        let mut ids = vec![0u32; b * len];
        let mut mask = vec![0f32; b * len];
        for (r, (_, t)) in batch.iter().enumerate() {
            ids[r * len..r * len + t.len()].copy_from_slice(t);
            mask[r * len..r * len + t.len()].iter_mut().for_each(|m| *m = 1.0);
        }
        let ids = Tensor::from_vec(ids, b * len, &self.dev)?;
        let mask = Tensor::from_vec(mask, (b, len), &self.dev)?;
        let x = self.word.index_select(&ids, 0)?.to_dtype(DType::F32)?.reshape((b, len, h))?;
        let pos = self.pos.narrow(0, 0, len)?;
        let x = x.broadcast_add(&pos)?.broadcast_add(&self.typ)?;
        let mut x = self.eln.forward(&x)?;
        // Padding keys get a large negative score before the softmax.
        let bias = ((mask.clone() - 1.0)? * 1e9)?.reshape((b, 1, 1, len))?;
        let scale = 1.0 / (hd as f64).sqrt();
        for l in &self.layers {
            let split = |t: Tensor| t.reshape((b, len, nh, hd))?.transpose(1, 2)?.contiguous();
            let q = split(l.q.forward(&x)?)?;
            let k = split(l.k.forward(&x)?)?;
            let v = split(l.v.forward(&x)?)?;
            let att = (q.matmul(&k.t()?)? * scale)?.broadcast_add(&bias)?;
            let att = candle_nn::ops::softmax_last_dim(&att)?;
            let ctx = att.matmul(&v)?.transpose(1, 2)?.contiguous()?.reshape((b, len, h))?;
            let a = l.aln.forward(&(l.ao.forward(&ctx)? + &x)?)?;
            let f = l.fo.forward(&l.fi.forward(&a)?.gelu_erf()?)?;
            x = l.oln.forward(&(f + a)?)?;
        }
        // Mean over real tokens, then unit length.
        let m = mask.unsqueeze(2)?;
        let sum = x.broadcast_mul(&m)?.sum(1)?;
        let n = m.sum(1)?.clamp(1.0, f64::MAX)?;
        let mean = sum.broadcast_div(&n)?;
        let norm = mean.sqr()?.sum_keepdim(1)?.sqrt()?.clamp(1e-12, f64::MAX)?;
        mean.broadcast_div(&norm)?.to_vec2::<f32>()
    }
}
