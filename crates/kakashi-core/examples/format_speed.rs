//! How fast one writer thread is alone: records per second for the benchmark's `fields` record
//! (or, with `request`, what Fastify logs for a request: a child with a `reqId`, `{ req }`, 4
//! fields, `{ res, responseTime }`), formatted, and formatted then written to /dev/null (one
//! write per batch, as the writer writes). Prints one JSON line: `{"format", "formatNs",
//! "writeNs", "bytesPerLine"}`.
//!   cargo run --release -p kakashi-core --example format_speed [json|logfmt|pretty] [request]
use std::io::Write;
use std::time::Instant;

use kakashi_core::format::{format, Format, Layout};
use kakashi_core::{Batch, BatchBuilder};

/// 292 `fields` records, as one batch.
#[allow(clippy::approx_constant)] // 3.14 is the benchmark record's value, not an approximation of pi
fn fields() -> Batch {
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
    b.build()
}

/// 100 requests as Fastify logs them (300 records): each a child's bound `reqId`, then its records.
#[allow(clippy::approx_constant)]
fn requests() -> Batch {
    let mut b = BatchBuilder::default();
    b.bindings(r#","pid":12345,"hostname":"bench-host""#);
    for i in 0..100 {
        let t = Some(1_700_000_000_000.0 + (i / 4) as f64);
        b.bound(1).key("reqId").str(&format!("req-{i}"));
        b.record(30, t).key("req").open_object()
            .key("method").str("GET")
            .key("url").str("/")
            .key("host").str("127.0.0.1:3000")
            .key("remoteAddress").str("127.0.0.1")
            .key("remotePort").num(f64::from(40_000 + i))
            .close().msg("incoming request").end();
        b.record(30, t).key("a").num(1.0).key("b").str("two").key("c").bool(true).key("d").num(3.14).msg("handled").end();
        b.record(30, t).key("res").open_object().key("statusCode").num(200.0).close()
            .key("responseTime").num(0.532).msg("request completed").end();
    }
    b.build()
}

fn main() {
    let request = std::env::args().nth(2).as_deref() == Some("request");
    let batch = if request { requests() } else { fields() };
    let n = batch.records as usize;
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
            assert_eq!(f.records as usize, n);
            if write {
                null.write_all(&out).expect("write");
            }
        }
        start.elapsed().as_nanos() as f64 / (rounds as f64 * n as f64)
    };
    let (format_ns, write_ns) = (per_record(false), per_record(true));
    println!(
        "{{\"format\":{:?},\"records\":{:?},\"formatNs\":{format_ns:.1},\"writeNs\":{write_ns:.1},\"bytesPerLine\":{}}}",
        std::env::args().nth(1).unwrap_or_else(|| "json".into()),
        if request { "request" } else { "fields" },
        out.len() / n
    );
}
