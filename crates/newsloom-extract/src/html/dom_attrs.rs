//! Element attributes kept for extraction (kept apart to keep `dom.rs` short).

/// Attributes kept for extraction (the rest are dropped at parse time).
#[derive(Debug, Default, Clone)]
pub struct Attrs {
    /// `class` and `id`, lowercased, space-separated.
    pub class_id: String,
    /// `itemprop`, `role`, `datetime` and `rel`: few elements have one, so they sit behind one
    /// pointer (a node is moved into the arena and dropped with it; 144 → 48 bytes here).
    rare: Option<Box<Rare>>,
    pub hidden: bool,
    /// Where an `<a>` points: 0 no `href` or a relative one (this site), 1 `mailto:`/`tel:`,
    /// else the [`super::site_hash`] of its host.
    pub href: u64,
}

#[derive(Debug, Default, Clone)]
pub(super) struct Rare {
    pub(super) itemprop: Option<String>,
    pub(super) role: Option<String>,
    pub(super) datetime: Option<String>,
    pub(super) rel: Option<String>,
}

impl Attrs {
    /// `itemprop`, lowercased.
    pub fn itemprop(&self) -> Option<&str> {
        self.rare.as_ref()?.itemprop.as_deref()
    }

    /// `role`, lowercased.
    pub fn role(&self) -> Option<&str> {
        self.rare.as_ref()?.role.as_deref()
    }

    /// `datetime`, else `content`.
    pub fn datetime(&self) -> Option<&str> {
        self.rare.as_ref()?.datetime.as_deref()
    }

    /// `rel`, lowercased.
    pub fn rel(&self) -> Option<&str> {
        self.rare.as_ref()?.rel.as_deref()
    }

    pub(super) fn rare_mut(&mut self) -> &mut Rare {
        self.rare.get_or_insert_with(Default::default)
    }
}
