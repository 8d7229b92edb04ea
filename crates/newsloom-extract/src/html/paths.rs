//! DOM paths of blocks for template learning ([`crate::templates`]): tag and class/id tokens of
//! a block's element and up to five ancestors, hashed with the function whose values the learnt
//! state keeps.

use super::dom::Dom;

/// A block's DOM path for template learning: tag and class/id tokens (without per-item digits)
/// of the element and up to five ancestors, `div.share-box>p`.
pub fn path_key(dom: &Dom, mut i: usize) -> String {
    let mut parts = Vec::new();
    for _ in 0..6 {
        if i == 0 {
            break;
        }
        let node = &dom.nodes[i];
        let mut part = format!("{:?}", node.tag);
        for t in node.attrs.class_id.split_whitespace().filter(|t| !t.bytes().any(|b| b.is_ascii_digit())) {
            part.push('.');
            part.push_str(t);
        }
        parts.push(part);
        i = node.parent as usize;
    }
    parts.reverse();
    parts.join(">")
}

/// [`path_key`]s hashed without building the strings (it runs for every block when learning):
/// SipHash (`DefaultHasher`, whose values the learnt state keeps) over the bytes the `Hash`
/// impls of the tags and class/id tokens write, gathered and hashed in one `write` (one per
/// token cost more than the hashing itself). Each node's part is cut once per page: blocks
/// share most of their ancestors. Tokens are cut as `split_whitespace` does.
pub struct PathHasher {
    /// Per node: its part's range in `parts` (`u32::MAX`: not cut yet).
    seen: Vec<(u32, u32)>,
    parts: Vec<u8>,
    buf: Vec<u8>,
}

impl PathHasher {
    pub fn new(dom: &Dom) -> Self {
        Self { seen: vec![(u32::MAX, 0); dom.nodes.len()], parts: Vec::new(), buf: Vec::new() }
    }

    /// The path hash of node `i` and up to five ancestors.
    pub fn hash(&mut self, dom: &Dom, mut i: usize) -> u64 {
        use std::hash::Hasher;
        self.buf.clear();
        for _ in 0..6 {
            if i == 0 {
                break;
            }
            if self.seen[i].0 == u32::MAX {
                let start = self.parts.len();
                node_part(dom, i, &mut self.parts);
                self.seen[i] = (start as u32, (self.parts.len() - start) as u32);
            }
            let (s, l) = self.seen[i];
            self.buf.extend_from_slice(&self.parts[s as usize..(s + l) as usize]);
            i = dom.nodes[i].parent as usize;
        }
        let mut h = std::hash::DefaultHasher::new();
        h.write(&self.buf);
        h.finish()
    }
}

/// What hashing node `i`'s level of a path writes: its tag, its class/id tokens without digits
/// (each a `str`: its bytes and 0xff), and 0xff between levels.
fn node_part(dom: &Dom, i: usize, out: &mut Vec<u8>) {
    use std::hash::{Hash, Hasher};
    /// Records what a `Hash` impl writes (SipHash reads its input as one byte stream).
    struct Record<'a>(&'a mut Vec<u8>);
    impl Hasher for Record<'_> {
        fn write(&mut self, bytes: &[u8]) {
            self.0.extend_from_slice(bytes);
        }
        fn finish(&self) -> u64 {
            0
        }
    }
    let node = &dom.nodes[i];
    node.tag.hash(&mut Record(out));
    let b = node.attrs.class_id.as_bytes();
    let mut k = 0;
    while k < b.len() {
        let l = crate::text::ws_len(b, k);
        if l > 0 {
            k += l;
            continue;
        }
        let start = k;
        let mut digit = false;
        while k < b.len() && crate::text::ws_len(b, k) == 0 {
            digit |= b[k].is_ascii_digit();
            k += 1;
        }
        if !digit {
            out.extend_from_slice(&b[start..k]);
            out.push(0xff);
        }
    }
    out.push(0xff);
}

/// One [`PathHasher::hash`] on its own.
pub fn path_hash(dom: &Dom, i: usize) -> u64 {
    PathHasher::new(dom).hash(dom, i)
}
