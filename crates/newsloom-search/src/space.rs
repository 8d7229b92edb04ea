//! A full disk while writing the index, told apart from other failures so the message says
//! what happened, where, and what to do.

use std::error::Error;
use std::path::Path;

use crate::SearchError;

/// Whether `e` (or anything it wraps) is the operating system saying the disk is full.
pub(crate) fn is_out_of_space(e: &tantivy::TantivyError) -> bool {
    let mut cause: Option<&(dyn Error + 'static)> = Some(e);
    while let Some(c) = cause {
        if let Some(io) = c.downcast_ref::<std::io::Error>()
            && (io.kind() == std::io::ErrorKind::StorageFull || io.raw_os_error() == Some(28))
        {
            return true;
        }
        cause = c.source();
    }
    // Some tantivy errors keep only the text of the I/O error they wrap.
    let text = e.to_string();
    text.contains("No space left on device") || text.contains("os error 28")
}

/// The error for a failed index write under `dir`.
pub(crate) fn write_error(dir: &Path, e: tantivy::TantivyError) -> SearchError {
    if is_out_of_space(&e) {
        return SearchError(format!(
            "no space left on device: cannot write the search index in {}; the store is intact and \
             the index is rebuilt from it up to date at the next start. Free some space and run the \
             same command again ({e})",
            dir.display()
        ));
    }
    e.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_disk_is_named_with_its_path() {
        let io = std::io::Error::from_raw_os_error(28);
        let e = tantivy::TantivyError::from(io);
        let msg = write_error(Path::new("/data/db/index"), e).to_string();
        assert!(msg.starts_with("no space left on device"), "{msg}");
        assert!(msg.contains("/data/db/index"), "{msg}");
        let other = tantivy::TantivyError::InvalidArgument("x".into());
        assert!(!write_error(Path::new("/d"), other).to_string().contains("no space"));
    }
}
