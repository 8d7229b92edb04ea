//! This process's memory and CPU as Linux reports them, for the benchmarks' and evals'
//! figures. `None` where `/proc` does not say (other systems).

/// A `kB` field of `/proc/self/status` (`VmRSS:`, `VmHWM:`, …) in kB.
pub fn status_kb(key: &str) -> Option<f64> {
    field_kb(&std::fs::read_to_string("/proc/self/status").ok()?, key)
}

/// A `kB` field of a `/proc/<pid>/status` text.
fn field_kb(status: &str, key: &str) -> Option<f64> {
    status.lines().find(|l| l.starts_with(key))?.split_whitespace().nth(1)?.parse().ok()
}

/// Resident memory now, in MB.
pub fn rss_mb() -> Option<f64> {
    Some(status_kb("VmRSS:")? / 1024.0)
}

/// Anonymous resident memory now (heap and stacks, without mapped files), in MB: what the
/// process itself holds. `VmRSS` also counts pages of memory-mapped files (the search index),
/// which the kernel reclaims under pressure.
pub fn rss_anon_mb() -> Option<f64> {
    Some(status_kb("RssAnon:")? / 1024.0)
}

/// Peak resident memory so far, in MB.
pub fn peak_rss_mb() -> Option<f64> {
    Some(status_kb("VmHWM:")? / 1024.0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn linux_reports_resident_memory_and_its_peak() {
        if !std::path::Path::new("/proc/self/status").exists() {
            return;
        }
        assert!(super::rss_mb().unwrap() > 0.0 && super::peak_rss_mb().unwrap() > 0.0);
        assert!(super::rss_anon_mb().unwrap() > 0.0);
        // Both from one read of the file: the kernel raises VmHWM lazily, so a VmRSS read a
        // moment earlier, before other threads freed memory, can exceed a later VmHWM.
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        let (now, peak) =
            (super::field_kb(&status, "VmRSS:").unwrap(), super::field_kb(&status, "VmHWM:").unwrap());
        assert!(now > 0.0 && peak >= now, "{now} {peak}");
        assert!(super::status_kb("NoSuchField:").is_none());
    }
}
