//! X-Frame-Options processing on arbitrary header lines (LF-separated): no panic, bounded
//! diagnostics, strict parsing agrees with the browser model, and the equivalent valid value
//! keeps the meaning.
#![no_main]

use frame_options::{FrameOptions, process_lines, process_value};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let lines: Vec<&[u8]> = data.split(|b| *b == b'\n').take(64).collect();
    let report = process_lines(lines.iter().copied());
    assert_eq!(report.line_count(), lines.len());
    assert!(report.diagnostics().len() <= frame_options::MAX_DIAGNOSTICS);

    // Lines joined with ", " (Fetch "get") are processed to the same disposition.
    let joined = lines.join(&b", "[..]);
    if !lines.is_empty() {
        assert_eq!(
            process_lines([joined.as_slice()]).disposition(),
            report.disposition()
        );
    }

    if let Some(equivalent) = report.frame_options() {
        let again = process_value(equivalent.as_str());
        assert!(again.is_canonical());
        assert_eq!(again.disposition(), report.disposition());
    }

    for line in &lines {
        if let Ok(value) = FrameOptions::parse_bytes(line) {
            let single = process_lines([*line]);
            assert!(single.is_canonical());
            assert_eq!(single.disposition(), value.disposition());
        }
    }
});
