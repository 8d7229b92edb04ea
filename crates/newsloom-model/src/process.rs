//! This process's memory and CPU as Linux reports them, for the benchmarks' and evals'
//! figures. `None` where `/proc` does not say (other systems).

/// A `kB` field of `/proc/self/status` (`VmRSS:`, `VmHWM:`, …) in kB.
pub fn status_kb(key: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find(|l| l.starts_with(key))?.split_whitespace().nth(1)?.parse().ok()
}

/// Resident memory now, in MB.
pub fn rss_mb() -> Option<f64> {
    Some(status_kb("VmRSS:")? / 1024.0)
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
        let (now, peak) = (super::rss_mb().unwrap(), super::peak_rss_mb().unwrap());
        assert!(now > 0.0 && peak >= now, "{now} {peak}");
        assert!(super::status_kb("NoSuchField:").is_none());
    }
}
