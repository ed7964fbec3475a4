//! X-Content-Type-Options processing on arbitrary header lines (LF-separated): no panic, the
//! bare rule and the report agree, strict parsing accepts only canonical values, and the
//! streaming get-decode-split equals splitting the lines joined with ", " (Fetch "get").
#![no_main]

use libfuzzer_sys::fuzz_target;
use nosniff::{NoSniff, determine_nosniff, get_decode_split, process_lines};

fuzz_target!(|data: &[u8]| {
    let lines: Vec<&[u8]> = data.split(|b| *b == b'\n').take(64).collect();
    let report = process_lines(lines.iter().copied());
    assert_eq!(
        report.is_nosniff(),
        determine_nosniff(lines.iter().copied())
    );
    assert_eq!(report.line_count(), lines.len());
    assert!(report.diagnostics().len() <= nosniff::MAX_DIAGNOSTICS);

    let joined = lines.join(&b", "[..]);
    assert_eq!(
        get_decode_split(lines.iter().copied()),
        get_decode_split([joined.as_slice()])
    );

    for line in &lines {
        if let Ok(value) = NoSniff::parse_bytes(line) {
            assert!(process_lines([*line]).is_canonical());
            assert_eq!(value.to_string().parse::<NoSniff>(), Ok(value));
        }
    }
});
