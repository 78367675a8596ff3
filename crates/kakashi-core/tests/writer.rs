use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use kakashi_core::{Batch, BatchBuilder, Destination, Layout, OnFull, Producer, Submitted};

fn temp_path(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kakashi-core-{}-{}", std::process::id(), name));
    let _ = std::fs::remove_dir_all(&dir);
    dir.join("out.log")
}

fn file(path: &std::path::Path) -> Destination {
    Destination::Path { path: path.to_path_buf(), mkdir: true, append: true, rotate: None }
}

fn batch(first: u32, records: u32, pad: usize) -> Batch {
    let mut b = BatchBuilder::default();
    let padding = "x".repeat(pad);
    b.bindings(r#","pid":1"#);
    for i in first..first + records {
        b.record(30, None).key("i").num(i as f64).key("pad").str(&padding).msg("hello").end();
    }
    b.build()
}

fn line_numbers(text: &str) -> Vec<u32> {
    text.lines()
        .map(|l| {
            assert!(l.starts_with("{\"level\":30,\"pid\":1,\"i\":") && l.ends_with("\"msg\":\"hello\"}"), "torn line: {l}");
            let rest = &l["{\"level\":30,\"pid\":1,\"i\":".len()..];
            rest[..rest.find(',').unwrap()].parse().unwrap()
        })
        .collect()
}

#[test]
fn writes_every_record_in_order_and_counts_them() {
    let path = temp_path("order");
    let p = Producer::open(&file(&path), 1 << 20, OnFull::Block, Layout::default()).unwrap();
    for k in 0..100 {
        assert_eq!(p.submit(batch(k * 100, 100, 10)), Submitted::Queued);
    }
    p.sink().flush_sync();
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(line_numbers(&text), (0..10_000).collect::<Vec<_>>());
    let s = p.stats();
    assert_eq!((s.written, s.dropped, s.errors, s.queued_bytes), (10_000, 0, 0, 0));
    assert_eq!(s.bytes_written, text.len() as u64);
}

#[test]
fn loggers_of_one_file_share_one_writer_and_never_tear_lines() {
    let path = temp_path("shared");
    let producers: Vec<Arc<Producer>> =
        (0..4).map(|_| Arc::new(Producer::open(&file(&path), 1 << 20, OnFull::Block, Layout::default()).unwrap())).collect();
    assert!(std::ptr::eq(producers[0].sink(), producers[3].sink()));
    let threads: Vec<_> = producers
        .iter()
        .enumerate()
        .map(|(t, p)| {
            let p = p.clone();
            std::thread::spawn(move || {
                for k in 0..50 {
                    p.submit(batch((t as u32) * 1_000_000 + k * 50, 50, 3000));
                }
            })
        })
        .collect();
    threads.into_iter().for_each(|t| t.join().unwrap());
    producers[0].sink().flush_sync();
    let nums = line_numbers(&std::fs::read_to_string(&path).unwrap());
    assert_eq!(nums.len(), 4 * 2500);
    for t in 0..4u32 {
        let mine: Vec<u32> = nums.iter().copied().filter(|n| n / 1_000_000 == t).collect();
        assert_eq!(mine, (0..2500).map(|i| t * 1_000_000 + i).collect::<Vec<_>>(), "thread {t} order");
    }
}

#[cfg(unix)]
fn pipe() -> (std::fs::File, i32) {
    use std::os::fd::FromRawFd;
    let mut fds = [0; 2];
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
    (unsafe { std::fs::File::from_raw_fd(fds[0]) }, fds[1])
}

#[cfg(unix)]
#[test]
fn a_full_queue_drops_and_counts_under_the_drop_policy() {
    let (mut reader, write_fd) = pipe();
    let p = Producer::open(&Destination::Fd(write_fd), 64 * 1024, OnFull::Drop, Layout::default()).unwrap();
    // Nobody reads: the pipe (64 KiB) and then the queue (64 KiB) fill up.
    let (mut queued, mut dropped) = (0u32, 0u32);
    let mut queued_before_first_drop = None;
    let started = Instant::now();
    let mut next = 0;
    while dropped == 0 || queued < 20 {
        match p.submit(batch(next, 10, 500)) {
            Submitted::Queued => queued += 10,
            Submitted::Dropped(n) => {
                queued_before_first_drop.get_or_insert(queued);
                dropped += n
            }
        }
        next += 10;
        assert!(p.stats().queued_bytes <= 64 * 1024 + batch(0, 10, 500).cost() as u64);
        assert!(started.elapsed() < Duration::from_secs(10), "submit must never wait under Drop");
    }
    // Drain the pipe so the writer catches up, then close it to end the read.
    let reading = std::thread::spawn(move || {
        let mut text = String::new();
        reader.read_to_string(&mut text).unwrap();
        text
    });
    p.sink().flush_sync();
    assert_eq!(p.stats().dropped, u64::from(dropped));
    assert_eq!(p.stats().written, u64::from(queued));
    // The destination has room again: a batch after a gap is preceded by a notice of the loss.
    assert_eq!(p.submit(batch(next, 10, 500)), Submitted::Queued);
    p.sink().flush_sync();
    drop(p);
    unsafe { libc::close(write_fd) };
    let text = reading.join().unwrap();
    let notices: Vec<&str> = text.lines().filter(|l| l.contains("\"dropped\":")).collect();
    assert!(!notices.is_empty());
    let reported: u64 = notices
        .iter()
        .map(|n| {
            assert!(n.starts_with("{\"level\":40,\"time\":"), "{n}");
            let rest = &n[n.find("\"dropped\":").unwrap() + 10..];
            rest[..rest.find(',').unwrap()].parse::<u64>().unwrap()
        })
        .sum();
    assert_eq!(reported, u64::from(dropped), "the notices add up to the loss");
    let records: String = text.lines().filter(|l| !l.contains("\"dropped\":")).map(|l| format!("{l}\n")).collect();
    let arrived = line_numbers(&records);
    assert_eq!(arrived.len() as u32, queued + 10);
    assert!(arrived.windows(2).all(|w| w[0] < w[1]));
    let notice_at = text.lines().position(|l| l.contains("\"dropped\":")).unwrap();
    assert_eq!(Some(notice_at as u32), queued_before_first_drop, "the first notice comes right after the gap");
}

#[cfg(unix)]
#[test]
fn a_full_queue_blocks_until_the_writer_drains_under_the_block_policy() {
    let (mut reader, write_fd) = pipe();
    let limit = 32 * 1024;
    let p = Producer::open(&Destination::Fd(write_fd), limit, OnFull::Block, Layout::default()).unwrap();
    let reading = std::thread::spawn(move || {
        let mut text = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            std::thread::sleep(Duration::from_micros(200));
            match reader.read(&mut chunk) {
                Ok(0) | Err(_) => break,
                Ok(n) => text.extend_from_slice(&chunk[..n]),
            }
        }
        String::from_utf8(text).unwrap()
    });
    let one = batch(0, 10, 200).cost() as u64;
    for k in 0..300 {
        assert_eq!(p.submit(batch(k * 10, 10, 200)), Submitted::Queued);
        assert!(p.stats().queued_bytes <= limit as u64 + one, "queue exceeded its bound");
    }
    p.sink().flush_sync();
    let s = p.stats();
    assert_eq!((s.written, s.dropped), (3000, 0));
    drop(p);
    unsafe { libc::close(write_fd) };
    assert_eq!(line_numbers(&reading.join().unwrap()), (0..3000).collect::<Vec<_>>());
}

#[cfg(target_os = "linux")]
#[test]
fn write_errors_are_counted_not_fatal() {
    let p = Producer::open(&Destination::Path { path: "/dev/full".into(), mkdir: false, append: true, rotate: None }, 1 << 20, OnFull::Block, Layout::default()).unwrap();
    p.submit(batch(0, 10, 0));
    p.submit(batch(10, 5, 0));
    p.sink().flush_sync();
    let s = p.stats();
    assert_eq!(s.written, 0);
    assert_eq!(s.dropped, 15);
    assert!(s.errors >= 1);
    assert_eq!(s.queued_bytes, 0);
}

#[test]
fn bad_destinations_fail_at_open_with_the_os_reason() {
    let dir = temp_path("dir");
    std::fs::create_dir_all(dir.parent().unwrap()).unwrap();
    let as_dir = Destination::Path { path: dir.parent().unwrap().to_path_buf(), mkdir: false, append: true, rotate: None };
    assert!(Producer::open(&as_dir, 1 << 20, OnFull::Block, Layout::default()).is_err());
    let missing = Destination::Path { path: "/nonexistent-kakashi/x/y.log".into(), mkdir: false, append: true, rotate: None };
    assert_eq!(Producer::open(&missing, 1 << 20, OnFull::Block, Layout::default()).err().unwrap().kind(), std::io::ErrorKind::NotFound);
    #[cfg(unix)]
    assert!(Producer::open(&Destination::Fd(987_654), 1 << 20, OnFull::Block, Layout::default()).is_err());
}

#[test]
fn reopen_after_a_move_continues_in_a_new_file_and_loses_nothing() {
    let path = temp_path("reopen");
    let p = Producer::open(&file(&path), 1 << 20, OnFull::Block, Layout::default()).unwrap();
    p.submit(batch(0, 100, 10));
    let rotated = path.with_extension("log.1");
    std::fs::rename(&path, &rotated).unwrap();
    // Queued before the reopen: still written to the file that was moved.
    p.submit(batch(100, 100, 10));
    p.sink().reopen().unwrap();
    p.submit(batch(200, 100, 10));
    p.sink().flush_sync();
    assert_eq!(line_numbers(&std::fs::read_to_string(&rotated).unwrap()), (0..200).collect::<Vec<_>>());
    assert_eq!(line_numbers(&std::fs::read_to_string(&path).unwrap()), (200..300).collect::<Vec<_>>());
}

/// The current file and every rotated one (decompressed), oldest first, as text.
fn all_files(path: &PathBuf) -> (Vec<String>, String) {
    let dir = path.parent().unwrap();
    let mut names: Vec<String> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    let mut text = String::new();
    for name in names.iter().filter(|n| *n != "out.log") {
        let bytes = std::fs::read(dir.join(name)).unwrap();
        if name.ends_with(".gz") {
            flate2::read::GzDecoder::new(&bytes[..]).read_to_string(&mut text).unwrap();
        } else {
            text.push_str(std::str::from_utf8(&bytes).unwrap());
        }
    }
    text.push_str(&std::fs::read_to_string(path).unwrap_or_default());
    (names, text)
}

#[test]
fn rotation_by_size_keeps_every_line_whole_and_in_order() {
    let path = temp_path("rotate-size");
    let rule = kakashi_core::Rotate { size: Some(10_000), interval_ms: None, keep: 1000, compress: false };
    let dest = Destination::Path { path: path.clone(), mkdir: true, append: true, rotate: Some(rule) };
    let p = Producer::open(&dest, 1 << 20, OnFull::Block, Layout::default()).unwrap();
    for k in 0..50 {
        p.submit(batch(k * 100, 100, 20));
    }
    p.sink().flush_sync();
    let (names, text) = all_files(&path);
    assert!(line_numbers(&text) == (0..5_000).collect::<Vec<_>>(), "lines missing or out of order");
    assert!(names.len() > 30, "{} files", names.len());
    for name in &names {
        let len = std::fs::metadata(path.parent().unwrap().join(name)).unwrap().len();
        assert!(len <= 10_000, "{name} is {len} bytes");
        assert!(name == "out.log" || name.starts_with("out.log.20"), "{name}");
    }
}

#[test]
fn rotated_files_are_gzipped_off_the_writer_and_pruned_past_keep() {
    let path = temp_path("rotate-gzip");
    let rule = kakashi_core::Rotate { size: Some(50_000), interval_ms: None, keep: 3, compress: true };
    let dest = Destination::Path { path: path.clone(), mkdir: true, append: true, rotate: Some(rule) };
    {
        let p = Producer::open(&dest, 1 << 20, OnFull::Block, Layout::default()).unwrap();
        for k in 0..100 {
            p.submit(batch(k * 100, 100, 20));
        }
        p.sink().flush_sync();
    } // the last producer gone: the writer ends after its compressions
    let (names, text) = all_files(&path);
    assert_eq!(names.len(), 4, "{names:?}");
    assert!(names.iter().filter(|n| *n != "out.log").all(|n| n.ends_with(".gz")), "{names:?}");
    let numbers = line_numbers(&text);
    assert_eq!(numbers.last(), Some(&9_999));
    assert!(numbers.windows(2).all(|w| w[1] == w[0] + 1), "the kept files hold one unbroken run of lines");
}

#[test]
fn rotation_by_interval_starts_a_new_file_each_period() {
    let path = temp_path("rotate-interval");
    let rule = kakashi_core::Rotate { size: None, interval_ms: Some(100), keep: 1000, compress: false };
    let dest = Destination::Path { path: path.clone(), mkdir: true, append: true, rotate: Some(rule) };
    let p = Producer::open(&dest, 1 << 20, OnFull::Block, Layout::default()).unwrap();
    for k in 0..8 {
        p.submit(batch(k * 10, 10, 0));
        p.sink().flush_sync();
        std::thread::sleep(Duration::from_millis(60));
    }
    let (names, text) = all_files(&path);
    assert!(line_numbers(&text) == (0..80).collect::<Vec<_>>(), "lines missing or out of order");
    assert!((3..=9).contains(&names.len()), "{names:?}");
}
