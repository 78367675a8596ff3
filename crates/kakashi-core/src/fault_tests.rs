//! Fault injection into the writer, as the trusted systems test theirs: an output that returns
//! short writes, `EINTR`, `EAGAIN`, `EIO` and `ENOSPC` in random sequences. Every record must
//! arrive whole and once, or be counted lost (and noticed); a line may be cut only where a write
//! failed, and is then ended, never glued to the next; nothing is duplicated.

use std::collections::HashSet;
use std::io;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use proptest::prelude::*;

use crate::batch::BatchBuilder;
use crate::channel::{Account, Budget, Msg};
use crate::format::Layout;
use crate::sinks::{Destination, Output};
use crate::writer::Writer;

#[derive(Debug, Clone, Copy)]
enum Outcome {
    All,
    /// Only this many bytes (at least one).
    Short(usize),
    Interrupted,
    WouldBlock,
    Eio,
    Enospc,
}

fn outcome() -> impl Strategy<Value = Outcome> {
    prop_oneof![
        4 => Just(Outcome::All),
        3 => (1usize..200).prop_map(Outcome::Short),
        1 => Just(Outcome::Interrupted),
        1 => Just(Outcome::WouldBlock),
        1 => Just(Outcome::Eio),
        1 => Just(Outcome::Enospc),
    ]
}

/// How a drop notice line starts (level 40, then its time).
const NOTICE: &str = "{\"level\":40,\"time\":";

fn line(i: u32) -> String {
    format!("{{\"level\":30,\"i\":{i},\"pad\":\"{}\",\"msg\":\"record\"}}", "p".repeat((i % 7) as usize * 10))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn every_record_arrives_whole_once_or_is_counted_lost(script in prop::collection::vec(outcome(), 1..60), batches in prop::collection::vec(1u32..40, 1..25)) {
        let file = Arc::new(Mutex::new(Vec::<u8>::new()));
        let path = std::env::temp_dir().join(format!("kakashi-faults-{}.log", std::process::id()));
        let mut output = Output::open(&Destination::Path { path: path.clone(), mkdir: false, append: true, rotate: None }).unwrap();
        let (sink_file, mut steps) = (file.clone(), script.into_iter());
        output.fault = Some(Box::new(move |buf: &[u8]| {
            let n = match steps.next().unwrap_or(Outcome::All) {
                Outcome::All => buf.len(),
                Outcome::Short(k) => k.min(buf.len()),
                Outcome::Interrupted => return Err(io::ErrorKind::Interrupted.into()),
                Outcome::WouldBlock => return Err(io::ErrorKind::WouldBlock.into()),
                Outcome::Eio => return Err(io::Error::from_raw_os_error(5)),
                Outcome::Enospc => return Err(io::Error::from_raw_os_error(28)),
            };
            sink_file.lock().unwrap().extend_from_slice(&buf[..n]);
            Ok(n)
        }));
        let budget = Arc::new(Budget::new());
        budget.allow(1 << 30);
        let mut writer = Writer::new(output, Destination::Stdout, budget.clone());
        writer.warned = true; // the failures are the point: no warning on stderr

        let account = Arc::new(Account::new(Layout::default()));
        let mut next = 0u32;
        for records in batches {
            // What Producer::submit does: a notice of what was lost goes before the next batch.
            let lost = account.stats.take_unreported();
            if lost > 0 {
                writer.handle(Msg::Notice(lost, account.clone()));
            }
            let mut b = BatchBuilder::default();
            for _ in 0..records {
                b.record(30, None).key("i").num(f64::from(next)).key("pad").str(&"p".repeat((next % 7) as usize * 10)).msg("record").end();
                next += 1;
            }
            let batch = Arc::new(b.build());
            budget.take(batch.cost());
            writer.handle(Msg::Batch(batch, account.clone()));
            writer.write_out();
        }
        let _ = std::fs::remove_file(&path);
        let text = String::from_utf8(file.lock().unwrap().clone()).unwrap();
        prop_assert!(text.is_empty() || text.ends_with('\n') || budget.queued() == 0);
        let expected: Vec<String> = (0..next).map(line).collect();
        let (mut seen, mut fragments) = (HashSet::new(), 0u64);
        for l in text.split('\n').filter(|l| !l.is_empty()) {
            if let Some(i) = expected.iter().position(|e| e == l) {
                prop_assert!(seen.insert(i), "record {} twice", i);
            } else if l.contains("\"dropped\":") && l.contains("records were dropped") {
                // a notice
            } else if NOTICE.starts_with(l) || (l.starts_with(NOTICE) && !l.ends_with('}')) {
                // A notice cut where a write failed: its count is noticed again.
            } else {
                // Cut where a write failed: a proper prefix of one record's line, never two glued.
                prop_assert!(expected.iter().any(|e| e.starts_with(l) && e.len() > l.len()), "torn or merged line: {}", l);
                fragments += 1;
            }
        }
        let s = &account.stats;
        prop_assert_eq!(s.written.load(Ordering::Relaxed), seen.len() as u64);
        prop_assert_eq!(s.written.load(Ordering::Relaxed) + s.dropped.load(Ordering::Relaxed), u64::from(next));
        prop_assert!(fragments <= s.dropped.load(Ordering::Relaxed));
        prop_assert_eq!(budget.queued(), 0);
    }
}

fn faulty(fault: crate::sinks::Fault) -> Output {
    let path = std::env::temp_dir().join(format!("kakashi-faulty-{}-{:?}.log", std::process::id(), std::thread::current().id()));
    let mut output = Output::open(&Destination::Path { path, mkdir: false, append: true, rotate: None }).unwrap();
    output.fault = Some(fault);
    output
}

fn batch_of(records: u32, pad: usize) -> crate::Batch {
    let mut b = BatchBuilder::default();
    for i in 0..records {
        b.record(30, None).key("i").num(f64::from(i)).key("pad").str(&"p".repeat(pad)).end();
    }
    b.build()
}

#[test]
fn a_writer_that_dies_turns_into_counted_drops_never_a_hung_producer() {
    use crate::producer::{OnFull, Producer, Submitted};
    use crate::writer::Sink;
    let sink = Sink::start(faulty(Box::new(|_: &[u8]| panic!("the writer dies"))), Destination::Stdout).unwrap();
    let producer = Producer::on(sink, 4096, OnFull::Block, Layout::default());
    let started = std::time::Instant::now();
    let mut dropped = 0;
    for _ in 0..20 {
        if let Submitted::Dropped(n) = producer.submit(batch_of(50, 100)) {
            dropped += n;
        }
    }
    assert!(started.elapsed() < std::time::Duration::from_secs(10), "the producer did not hang");
    assert!(dropped >= 950, "dropped {dropped}");
    assert_eq!(producer.stats().dropped, u64::from(dropped));
}

#[test]
fn loggers_of_one_destination_share_its_byte_budget() {
    use crate::producer::{OnFull, Producer, Submitted};
    use crate::writer::Sink;
    use std::sync::atomic::AtomicBool;
    // A destination that takes nothing until released: the queue fills.
    let release = Arc::new(AtomicBool::new(false));
    let gate = release.clone();
    let sink = Sink::start(
        faulty(Box::new(move |buf: &[u8]| {
            while !gate.load(Ordering::Acquire) {
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            Ok(buf.len())
        })),
        Destination::Stdout,
    )
    .unwrap();
    let producers: Vec<Producer> = (0..4).map(|_| Producer::on(sink.clone(), 64 * 1024, OnFull::Drop, Layout::default())).collect();
    let batch = Arc::new(batch_of(10, 100));
    for _ in 0..200 {
        for p in &producers {
            let _ = p.submit(batch.clone());
        }
    }
    // One batch may be with the writer already; the rest wait within the one budget.
    assert!(sink.budget().queued() <= 64 * 1024, "queued {} bytes", sink.budget().queued());
    assert!(producers.iter().all(|p| p.stats().dropped > 0));
    release.store(true, Ordering::Release);
    sink.flush_sync();
    let queued: u64 = producers.iter().map(|p| p.stats().written + p.stats().dropped).sum();
    assert_eq!(queued, 4 * 200 * 10);
    let _ = Submitted::Queued;
}
