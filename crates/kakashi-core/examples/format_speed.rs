//! How fast one writer thread is alone: records per second for the benchmark's `fields` record,
//! formatted, and formatted then written to /dev/null (one write per batch of 292, as the
//! writer writes). Prints one JSON line: `{"format", "formatNs", "writeNs", "bytesPerLine"}`.
//!   cargo run --release -p kakashi-core --example format_speed [json|logfmt|pretty]
use std::io::Write;
use std::time::Instant;

use kakashi_core::format::{format, Format, Layout};
use kakashi_core::BatchBuilder;

#[allow(clippy::approx_constant)] // 3.14 is the benchmark record's value, not an approximation of pi
fn main() {
    let mut b = BatchBuilder::default();
    b.bindings(r#","pid":12345,"hostname":"bench-host""#);
    for i in 0..292 {
        b.record(30, Some(1_700_000_000_000.0 + i as f64))
            .key("a").num(i as f64)
            .key("b").str("two")
            .key("c").bool(true)
            .key("d").num(3.14)
            .msg("hello world")
            .end();
    }
    let batch = b.build();
    let mut out = Vec::with_capacity(1 << 20);
    let rounds: usize = std::env::var("ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(20_000);
    let layout = Layout::default().with_format(match std::env::args().nth(1).as_deref() {
        Some("logfmt") => Format::Logfmt,
        Some("pretty") => Format::Pretty,
        _ => Format::Json,
    });
    let mut per_record = |write: bool| {
        let mut null = std::fs::OpenOptions::new().write(true).open("/dev/null").expect("/dev/null");
        let start = Instant::now();
        for _ in 0..rounds {
            out.clear();
            let f = format(&batch, &layout, &mut out);
            assert_eq!(f.records, 292);
            if write {
                null.write_all(&out).expect("write");
            }
        }
        start.elapsed().as_nanos() as f64 / (rounds as f64 * 292.0)
    };
    let (format_ns, write_ns) = (per_record(false), per_record(true));
    println!(
        "{{\"format\":{:?},\"formatNs\":{format_ns:.1},\"writeNs\":{write_ns:.1},\"bytesPerLine\":{}}}",
        std::env::args().nth(1).unwrap_or_else(|| "json".into()),
        out.len() / 292
    );
}
