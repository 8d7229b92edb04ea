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

/// Whether `dir`'s disk is full now: a small file cannot be written there. Used when tantivy's
/// indexing thread died and only "an index writer was killed" reached us, the I/O error lost.
fn disk_is_full(dir: &Path) -> bool {
    use std::io::Write;
    let probe = dir.join(".space-probe");
    let full = std::fs::File::create(&probe)
        .and_then(|mut f| f.write_all(&[0u8; 64 * 1024]).and_then(|()| f.sync_all()))
        .is_err_and(|e| e.kind() == std::io::ErrorKind::StorageFull || e.raw_os_error() == Some(28));
    let _ = std::fs::remove_file(&probe);
    full
}

/// The error for a failed index write under `dir`.
pub(crate) fn write_error(dir: &Path, e: tantivy::TantivyError) -> SearchError {
    let thread_died = matches!(e, tantivy::TantivyError::ErrorInThread(_));
    // tantivy's own words are kept when they are the I/O error; when the thread died, they say
    // only "killed ... or panicked", which would mislead once we know the disk is full.
    let cause = if is_out_of_space(&e) {
        format!(" ({e})")
    } else if thread_died && disk_is_full(dir) {
        String::new()
    } else {
        return e.into();
    };
    SearchError(format!(
        "no space left on device: cannot write the search index in {}; the store is intact and the \
         index is rebuilt from it up to date at the next start. Free some space and run the same \
         command again{cause}",
        dir.display()
    ))
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

    #[test]
    fn a_dead_indexing_thread_is_called_a_full_disk_only_when_the_disk_is_full() {
        let dir = tempfile::tempdir().unwrap();
        let killed = || tantivy::TantivyError::ErrorInThread("An index writer was killed.".into());
        let msg = write_error(dir.path(), killed()).0;
        assert!(!msg.starts_with("no space left on device"), "{msg}");
        assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none(), "the probe file was left");
    }
}
