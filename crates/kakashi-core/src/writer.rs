//! The background writer: one thread per destination, shared by every logger of the process
//! that writes there (main thread and workers alike), so whole lines never interleave.
//! It drains the queue, formats batches into one buffer and writes it with as few syscalls as
//! the load allows: one write per drained queue, or per `WRITE_CHUNK` bytes under pressure.

use std::collections::HashMap;
use std::io;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::thread::JoinHandle;
use std::time::Duration;

pub use crate::channel::DROP_NOTICE;
use crate::channel::{drop_notice, Account, Budget, Msg};
use crate::format::{format, Layout};
use crate::sinks::{again, Destination, Output, Rotating, Rotation, SinkKey};

const WRITE_CHUNK: usize = 256 * 1024;

/// How long dropping the last handle on a writer waits for it to drain and end before leaving
/// it to finish on its own (a destination that takes no writes must not hang `close()`).
const DEFAULT_CLOSE_LIMIT: Duration = Duration::from_secs(2);

pub struct Sink {
    tx: Option<Sender<Msg>>,
    thread: Option<JoinHandle<()>>,
    /// Says when the writer thread has ended.
    ended: Mutex<Option<Receiver<()>>>,
    key: SinkKey,
    budget: Arc<Budget>,
    close_limit: Mutex<Duration>,
    warned_gone: AtomicBool,
}

fn registry() -> &'static Mutex<HashMap<SinkKey, Weak<Sink>>> {
    static SINKS: OnceLock<Mutex<HashMap<SinkKey, Weak<Sink>>>> = OnceLock::new();
    SINKS.get_or_init(Default::default)
}

impl Sink {
    /// Opens `dest`, or joins the writer already serving the same file or descriptor.
    pub fn open(dest: &Destination) -> io::Result<Arc<Sink>> {
        if let Some(route) = crate::ship::route(dest) {
            let route = route.map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
            let key = SinkKey::Url(route.key.clone());
            let mut sinks = registry().lock().unwrap_or_else(|p| p.into_inner());
            if let Some(existing) = sinks.get(&key).and_then(Weak::upgrade) {
                return Ok(existing);
            }
            let sink = Sink::spawn(key.clone(), "kakashi-shipper", move |rx, budget| crate::ship::run(rx, route, budget))?;
            sinks.insert(key, Arc::downgrade(&sink));
            return Ok(sink);
        }
        let mut output = Output::open(dest)?;
        let mut sinks = registry().lock().unwrap_or_else(|p| p.into_inner());
        if let Some(existing) = sinks.get(&output.key).and_then(Weak::upgrade) {
            // Another logger's writer has the file: share it, never truncate it under that writer.
            return Ok(existing);
        }
        if let Destination::Path { append: false, .. } = dest {
            output.truncate()?;
        }
        let key = output.key.clone();
        let sink = Sink::start(output, dest.clone())?;
        sinks.insert(key, Arc::downgrade(&sink));
        Ok(sink)
    }

    /// A writer thread for `output`, outside the registry (the registry's entries are made here too).
    pub(crate) fn start(output: Output, dest: Destination) -> io::Result<Arc<Sink>> {
        Sink::spawn(output.key.clone(), "kakashi-writer", move |rx, budget| run(rx, output, dest, budget))
    }

    /// A thread running `body` over the queue of a new sink.
    fn spawn(key: SinkKey, name: &str, body: impl FnOnce(Receiver<Msg>, Arc<Budget>) + Send + 'static) -> io::Result<Arc<Sink>> {
        let (tx, rx) = channel();
        let (ended_tx, ended) = channel();
        let budget = Arc::new(Budget::new());
        let for_writer = budget.clone();
        let thread = std::thread::Builder::new().name(name.into()).spawn(move || {
            // However the writer ends (a panic included), producers stop waiting for room.
            struct End(Arc<Budget>, Sender<()>);
            impl Drop for End {
                fn drop(&mut self) {
                    self.0.end();
                    let _ = self.1.send(());
                }
            }
            let _end = End(for_writer.clone(), ended_tx);
            body(rx, for_writer);
        })?;
        Ok(Arc::new(Sink {
            tx: Some(tx),
            thread: Some(thread),
            ended: Mutex::new(Some(ended)),
            key,
            budget,
            close_limit: Mutex::new(DEFAULT_CLOSE_LIMIT),
            warned_gone: AtomicBool::new(false),
        }))
    }

    pub(crate) fn budget(&self) -> &Budget {
        &self.budget
    }

    pub(crate) fn budget_handle(&self) -> Arc<Budget> {
        self.budget.clone()
    }

    /// The longest dropping the last handle waits for the writer to drain and end.
    pub fn set_close_limit(&self, limit: Duration) {
        *self.close_limit.lock().unwrap_or_else(|p| p.into_inner()) = limit;
    }

    /// One line on stderr when the writer thread is found gone: what is logged to it is counted lost.
    pub(crate) fn warn_gone(&self) {
        if !self.warned_gone.swap(true, Ordering::Relaxed) {
            let line = "kakashi: the writer thread is gone; records logged to it are dropped and counted in getStats().dropped\n";
            let _ = io::Write::write_all(&mut io::stderr(), line.as_bytes());
        }
    }

    /// Queues `msg`; hands it back if the writer is gone.
    pub(crate) fn send(&self, msg: Msg) -> Result<(), Msg> {
        match &self.tx {
            Some(tx) => tx.send(msg).map_err(|e| e.0),
            None => Err(msg),
        }
    }

    /// Wakes a napping writer: what was just queued should not wait for its next look.
    pub(crate) fn wake(&self) {
        if self.budget.napping() {
            if let Some(thread) = &self.thread {
                thread.thread().unpark();
            }
        }
    }

    /// Calls `done` once every batch queued so far has been written (or has failed).
    /// If the writer is gone, `done` runs at once.
    pub fn flush_then(&self, done: Box<dyn FnOnce() + Send>) {
        match self.send(Msg::Flush(done)) {
            Ok(()) => self.wake(),
            Err(Msg::Flush(done)) => done(),
            Err(_) => {}
        }
    }

    /// Writes everything queued so far to the current file, then opens the destination's path
    /// again, so a file moved away by logrotate is replaced by a new one. Descriptors and
    /// stdout/stderr have nothing to reopen: for them this is a flush.
    pub fn reopen(&self) -> io::Result<()> {
        let (tx, rx) = channel();
        let report = Box::new(move |result: io::Result<()>| {
            let _ = tx.send(result);
        });
        match self.send(Msg::Reopen(report)) {
            Ok(()) => {
                self.wake();
                rx.recv().unwrap_or_else(|_| Err(io::Error::other("the writer thread is gone")))
            }
            Err(_) => Err(io::Error::other("the writer thread is gone")),
        }
    }

    /// Blocks until every batch queued so far has been written.
    pub fn flush_sync(&self) {
        self.flush_sync_within(None);
    }

    /// Blocks until every batch queued so far has been written, or `limit` has passed (a
    /// destination that takes no writes must not hang an exit); returns whether it was written.
    pub fn flush_sync_within(&self, limit: Option<Duration>) -> bool {
        let (tx, rx) = channel::<()>();
        self.flush_then(Box::new(move || {
            let _ = tx.send(());
        }));
        match limit {
            None => rx.recv().is_ok(),
            Some(limit) => match rx.recv_timeout(limit) {
                Ok(()) => true,
                // The writer is gone: nothing more will be written, nothing is waiting.
                Err(RecvTimeoutError::Disconnected) => true,
                Err(RecvTimeoutError::Timeout) => false,
            },
        }
    }
}

impl Drop for Sink {
    /// The last logger using this destination is gone: the writer drains what is queued,
    /// closes the file and ends; we wait for that so no descriptor or thread outlives us.
    fn drop(&mut self) {
        {
            let mut sinks = registry().lock().unwrap_or_else(|p| p.into_inner());
            if sinks.get(&self.key).is_some_and(|w| w.strong_count() == 0) {
                sinks.remove(&self.key);
            }
        }
        drop(self.tx.take());
        // A napping writer would find the queue closed at its next look; now is sooner.
        self.wake();
        if let Some(thread) = self.thread.take() {
            if thread.thread().id() != std::thread::current().id() {
                let limit = *self.close_limit.lock().unwrap_or_else(|p| p.into_inner());
                // Joined once it has ended; left to finish on its own if it cannot within the limit.
                let ended = self.ended.lock().unwrap_or_else(|p| p.into_inner()).take();
                if ended.is_some_and(|ended| ended.recv_timeout(limit).is_ok()) {
                    let _ = thread.join();
                }
            }
        }
    }
}

/// The drop-notice record, a warning in the producer's own layout, whatever the target's level:
/// a reader must learn of the gap.
pub fn write_drop_notice(out: &mut Vec<u8>, lost: u64, layout: &Layout) {
    format(&drop_notice(lost), &layout.clone().with_min_level(0).with_below_level(u32::MAX), out);
}

struct Written {
    account: Arc<Account>,
    records: u32,
    bytes: usize,
    cost: usize,
    /// Dropped records this batch's notice line reports.
    notice: u64,
}

pub(crate) struct Writer {
    output: Output,
    dest: Destination,
    rotation: Option<Rotation>,
    budget: Arc<Budget>,
    out: Vec<u8>,
    pending: Vec<Written>,
    /// The last write stopped inside a line: the next starts with a newline, so no record is
    /// glued to a torn one.
    torn: bool,
    pub(crate) warned: bool,
}

/// While batches keep coming, the writer naps this long when it finds the queue empty and then
/// looks again by itself, instead of sleeping until a batch wakes it: waking a sleeping thread
/// costs the logging thread a futex call and, on a VM, an inter-processor interrupt (~12 µs
/// here, ~30 ns a record at ~400-record batches). A flush, a reopen, a close or a queue past
/// half its bytes wakes it at once (`Sink::wake`).
const NAP: Duration = Duration::from_millis(1);

/// Naps in a row that found nothing before the writer sleeps until woken: an idle logger's
/// writer costs nothing.
const NAPS: u32 = 5;

fn run(rx: Receiver<Msg>, output: Output, dest: Destination, budget: Arc<Budget>) {
    let mut w = Writer::new(output, dest, budget.clone());
    let mut naps = NAPS;
    loop {
        let msg = match rx.try_recv() {
            Ok(msg) => msg,
            Err(TryRecvError::Disconnected) => break,
            Err(TryRecvError::Empty) => {
                // The queue is drained: what it held goes out in one write.
                w.write_out();
                if naps < NAPS {
                    naps += 1;
                    budget.set_napping(true);
                    std::thread::park_timeout(NAP);
                    budget.set_napping(false);
                    continue;
                }
                // Idle: the spare batch buffers go back too.
                crate::spare::release();
                match rx.recv() {
                    Ok(msg) => msg,
                    Err(_) => break,
                }
            }
        };
        naps = 0;
        w.handle(msg);
    }
    w.write_out();
    if let Some(r) = &mut w.rotation {
        r.finish();
    }
}

impl Writer {
    pub(crate) fn new(output: Output, dest: Destination, budget: Arc<Budget>) -> Writer {
        let rotation = match &dest {
            Destination::Path { path, rotate: Some(rule), .. } => Some(Rotation::new(rule.clone(), path, output.file_len())),
            _ => None,
        };
        Writer { output, dest, rotation, budget, out: Vec::with_capacity(WRITE_CHUNK + 64 * 1024), pending: Vec::new(), torn: false, warned: false }
    }

    pub(crate) fn handle(&mut self, msg: Msg) {
        match msg {
            Msg::Batch(batch, account) => {
                if self.out.is_empty() && self.torn {
                    self.out.push(b'\n');
                }
                let before = self.out.len();
                let cost = batch.cost();
                let formatted = catch_unwind(AssertUnwindSafe(|| format(&batch, &account.layout, &mut self.out)));
                let (records, skipped, failed) = match formatted {
                    Ok(f) => (f.records, f.skipped, f.error.is_some()),
                    Err(_) => {
                        self.out.truncate(before);
                        (0, 0, true)
                    }
                };
                account.stats.filtered.fetch_add(u64::from(skipped), Ordering::Relaxed);
                if failed {
                    // A malformed batch is a facade bug: count it, keep what formatted, carry on.
                    account.stats.errors.fetch_add(1, Ordering::Relaxed);
                    account.stats.lose(u64::from(batch.records.saturating_sub(records + skipped)));
                    self.warn(&format!("a batch could not be decoded after {records} records"));
                }
                crate::spare::keep(batch);
                self.pending.push(Written { account, records, bytes: self.out.len() - before, cost, notice: 0 });
                if self.out.len() >= WRITE_CHUNK {
                    self.write_out();
                }
            }
            Msg::Notice(lost, account) => {
                if self.out.is_empty() && self.torn {
                    self.out.push(b'\n');
                }
                let before = self.out.len();
                write_drop_notice(&mut self.out, lost, &account.layout);
                self.pending.push(Written { account, records: 0, bytes: self.out.len() - before, cost: 0, notice: lost });
            }
            Msg::Flush(done) => {
                self.write_out();
                done();
            }
            Msg::Reopen(report) => {
                self.write_out();
                let result = match &self.dest {
                    // The file was moved away: append to whatever is at the path now.
                    Destination::Path { .. } => again(&self.dest).map(|fresh| {
                        if let Some(r) = &mut self.rotation {
                            r.reset(fresh.file_len());
                        }
                        self.output = fresh;
                    }),
                    _ => Ok(()),
                };
                report(result);
            }
        }
    }

    /// Writes the buffer and settles each batch's account: what reached the destination is
    /// written, whole lines counted; what did not is lost, counted, and noticed in the stream.
    pub(crate) fn write_out(&mut self) {
        let result = if self.out.is_empty() { Ok(()) } else { self.write_buffer() };
        let reached = match &result {
            Ok(()) => self.out.len(),
            Err((n, e)) => {
                self.warn(&format!("write failed: {e}"));
                *n
            }
        };
        if reached > 0 {
            self.torn = self.out[reached - 1] != b'\n';
        }
        // A line that lacks only its newline is whole once the next write starts with one.
        let reached = if reached < self.out.len() && self.out[reached] == b'\n' { reached + 1 } else { reached };
        let mut at = self.out.len() - self.pending.iter().map(|w| w.bytes).sum::<usize>();
        for w in self.pending.drain(..) {
            let stats = &w.account.stats;
            let (start, end) = (at, at + w.bytes);
            at = end;
            let whole = if end <= reached {
                w.records
            } else if start >= reached {
                0
            } else {
                self.out[start..reached].iter().filter(|&&b| b == b'\n').count() as u32
            };
            stats.written.fetch_add(u64::from(whole), Ordering::Relaxed);
            stats.bytes_written.fetch_add((end.min(reached).saturating_sub(start)) as u64, Ordering::Relaxed);
            if whole < w.records {
                stats.lose(u64::from(w.records - whole));
            }
            if end > reached {
                stats.unreport(w.notice);
                stats.errors.fetch_add(1, Ordering::Relaxed);
            }
            self.budget.release(w.cost);
        }
        self.out.clear();
        if self.out.capacity() > 4 * WRITE_CHUNK {
            self.out.shrink_to(WRITE_CHUNK + 64 * 1024);
        }
    }

    /// Writes `out`, through the file's rotation if it has one; on a failure, how many bytes of
    /// `out` reached the destination.
    fn write_buffer(&mut self) -> Result<(), (usize, io::Error)> {
        let Writer { output, dest, rotation, out, warned, .. } = self;
        let Some(rotation) = rotation.as_mut() else { return output.write_all(out) };
        let mut warn = |what: &str| warn_once(warned, what, dest);
        Rotating { output, dest, rotation }.write(out, &mut warn)
    }

    /// One line on stderr per destination; later failures are only counted in the stats.
    fn warn(&mut self, what: &str) {
        warn_once(&mut self.warned, what, &self.dest);
    }
}

/// One line on stderr per destination, the first time: later failures are only counted.
fn warn_once(warned: &mut bool, what: &str, dest: &Destination) {
    if !std::mem::replace(warned, true) {
        let line = format!("kakashi: {} ({}); further errors are counted in getStats().errors\n", what, dest);
        let _ = io::Write::write_all(&mut io::stderr(), line.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_drop_notice_reaches_a_target_whatever_its_level() {
        let mut out = Vec::new();
        write_drop_notice(&mut out, 3, &Layout::default().with_min_level(50));
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("{\"level\":40,\"time\":") && text.contains("\"dropped\":3,\"msg\":\"kakashi: 3 records were dropped"), "{text}");
    }
}
