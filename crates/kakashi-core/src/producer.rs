//! A producer is one logger tree's way into a sink: it bounds the bytes it has queued, applies
//! the full-queue policy, and keeps the counters `getStats()` reports.

use std::io;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use crate::batch::Batch;
use crate::format::Layout;
use crate::rotate::now_ms;
use crate::sink::Destination;
use crate::writer::{Msg, Sink};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnFull {
    /// The logging thread waits for the writer: no record is ever lost.
    Block,
    /// The batch is dropped and counted; the logging thread never waits.
    Drop,
}

#[derive(Debug, Default)]
pub struct Stats {
    pub written: AtomicU64,
    pub dropped: AtomicU64,
    pub bytes_written: AtomicU64,
    pub errors: AtomicU64,
    /// Records below this producer's level, left out by the writer.
    pub filtered: AtomicU64,
    /// Dropped records no notice record has reported yet.
    unreported: AtomicU64,
}

impl Stats {
    /// Counts lost records; the next batch that gets through is preceded by a notice of them.
    pub(crate) fn lose(&self, records: u64) {
        self.dropped.fetch_add(records, Ordering::Relaxed);
        self.unreported.fetch_add(records, Ordering::Relaxed);
    }

    pub(crate) fn take_unreported(&self) -> u64 {
        self.unreported.swap(0, Ordering::Relaxed)
    }

    /// A notice that could not be written: its count waits for the next one.
    pub(crate) fn unreport(&self, records: u64) {
        self.unreported.fetch_add(records, Ordering::Relaxed);
    }
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct StatsSnapshot {
    pub written: u64,
    pub dropped: u64,
    pub bytes_written: u64,
    pub errors: u64,
    pub filtered: u64,
    pub queued_bytes: u64,
}

/// The part of a producer the writer thread touches.
#[derive(Debug)]
pub struct ProducerShared {
    pub stats: Stats,
    pub(crate) layout: Layout,
    queued: AtomicUsize,
    room: Mutex<()>,
    room_freed: Condvar,
}

impl ProducerShared {
    /// The writer is done with `cost` bytes of this producer's queue.
    pub(crate) fn release(&self, cost: usize) {
        self.queued.fetch_sub(cost, Ordering::AcqRel);
        let _guard = self.room.lock().unwrap_or_else(|p| p.into_inner());
        self.room_freed.notify_all();
    }
}

pub struct Producer {
    shared: Arc<ProducerShared>,
    sink: Arc<Sink>,
    limit: usize,
    on_full: OnFull,
    /// Under `OnFull::Block`, the time (ms since the epoch) after which a full queue drops
    /// instead of waiting: set when the process exits, so a stuck destination cannot hang it.
    deadline: AtomicU64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Submitted {
    Queued,
    /// The queue was full under `OnFull::Drop`, or the writer is gone: this many records were
    /// dropped (and counted).
    Dropped(u32),
}

impl Producer {
    pub fn open(dest: &Destination, buffer_size: usize, on_full: OnFull, layout: Layout) -> io::Result<Producer> {
        let sink = Sink::open(dest)?;
        let shared = Arc::new(ProducerShared {
            stats: Stats::default(),
            layout,
            queued: AtomicUsize::new(0),
            room: Mutex::new(()),
            room_freed: Condvar::new(),
        });
        Ok(Producer { shared, sink, limit: buffer_size, on_full, deadline: AtomicU64::new(0) })
    }

    /// Hands a batch to the writer. A batch larger than the whole budget is still accepted
    /// when nothing else is queued, so one huge record can always get through. Several
    /// producers (a logger's targets) may share one batch.
    pub fn submit(&self, batch: impl Into<Arc<Batch>>) -> Submitted {
        let batch = batch.into();
        let cost = batch.cost();
        let records = batch.records;
        let fits = |queued: usize| queued == 0 || queued + cost <= self.limit;
        if !fits(self.shared.queued.load(Ordering::Acquire)) {
            match self.on_full {
                OnFull::Drop => return self.dropped(records),
                OnFull::Block => {
                    let mut guard = self.shared.room.lock().unwrap_or_else(|p| p.into_inner());
                    while !fits(self.shared.queued.load(Ordering::Acquire)) {
                        let deadline = self.deadline.load(Ordering::Relaxed);
                        if deadline != 0 && now_ms() >= deadline {
                            drop(guard);
                            return self.dropped(records);
                        }
                        // The timeout only guards against a writer that died mid-batch.
                        guard = self
                            .shared
                            .room_freed
                            .wait_timeout(guard, Duration::from_millis(50))
                            .unwrap_or_else(|p| p.into_inner())
                            .0;
                    }
                }
            }
        }
        self.shared.queued.fetch_add(cost, Ordering::AcqRel);
        // The first batch through after a loss is preceded, in the stream, by a notice of it.
        let lost = self.shared.stats.take_unreported();
        if lost > 0 && self.sink.send(Msg::Notice(lost, self.shared.clone())).is_err() {
            self.shared.stats.unreport(lost);
        }
        match self.sink.send(Msg::Batch(batch, self.shared.clone())) {
            Ok(()) => Submitted::Queued,
            Err(_) => {
                self.shared.queued.fetch_sub(cost, Ordering::AcqRel);
                self.dropped(records)
            }
        }
    }

    /// From now on, a full queue waits at most until `within` has passed, then drops (and
    /// counts) instead: what an exiting process sets.
    pub fn wait_at_most(&self, within: Duration) {
        self.deadline.store(now_ms() + within.as_millis() as u64, Ordering::Relaxed);
    }

    /// Records lost before they reached this producer (a batch the binding could not take):
    /// counted, and the next batch through is preceded by a notice of them.
    pub fn lose(&self, records: u32) {
        self.shared.stats.lose(u64::from(records));
    }

    fn dropped(&self, records: u32) -> Submitted {
        self.shared.stats.lose(u64::from(records));
        Submitted::Dropped(records)
    }

    pub fn sink(&self) -> &Sink {
        &self.sink
    }

    pub fn stats(&self) -> StatsSnapshot {
        let s = &self.shared.stats;
        StatsSnapshot {
            written: s.written.load(Ordering::Relaxed),
            dropped: s.dropped.load(Ordering::Relaxed),
            bytes_written: s.bytes_written.load(Ordering::Relaxed),
            errors: s.errors.load(Ordering::Relaxed),
            filtered: s.filtered.load(Ordering::Relaxed),
            queued_bytes: self.shared.queued.load(Ordering::Relaxed) as u64,
        }
    }
}
