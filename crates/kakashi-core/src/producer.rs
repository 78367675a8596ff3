//! A producer is one logger tree's way into a destination's writer: it applies the full-queue
//! policy against the destination's byte budget, and keeps the counters `getStats()` reports.

use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::batch::Batch;
use crate::channel::{now_ms, Account, Budget, Msg};
pub use crate::channel::{Stats, StatsSnapshot};
use crate::format::Layout;
use crate::sinks::Destination;
use crate::writer::Sink;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnFull {
    /// The logging thread waits for the writer: no record is lost while the writer lives.
    Block,
    /// The batch is dropped and counted; the logging thread never waits.
    Drop,
    /// A network destination's default: wait while the receiver takes requests (it is only
    /// slower than the burst), drop and count while it is away (an absent receiver must not
    /// stop the service).
    BlockWhileUp,
}

pub struct Producer {
    account: Arc<Account>,
    sink: Arc<Sink>,
    on_full: OnFull,
    /// Under `OnFull::Block`, the time (ms since the epoch) after which a full queue drops
    /// instead of waiting: set when the process exits, so a stuck destination cannot hang it.
    deadline: AtomicU64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Submitted {
    Queued,
    /// The queue was full under `OnFull::Drop` (or past the exit deadline), or the writer is
    /// gone: this many records were dropped (and counted).
    Dropped(u32),
}

impl Producer {
    pub fn open(dest: &Destination, buffer_size: usize, on_full: OnFull, layout: Layout) -> io::Result<Producer> {
        Ok(Producer::on(Sink::open(dest)?, buffer_size, on_full, layout))
    }

    /// A producer for a writer already running.
    pub(crate) fn on(sink: Arc<Sink>, buffer_size: usize, on_full: OnFull, layout: Layout) -> Producer {
        sink.budget().allow(buffer_size);
        Producer { account: Arc::new(Account::new(layout)), sink, on_full, deadline: AtomicU64::new(0) }
    }

    /// Hands a batch to the writer. Several producers (a logger's targets) may share one batch.
    pub fn submit(&self, batch: impl Into<Arc<Batch>>) -> Submitted {
        let batch = batch.into();
        let cost = batch.cost();
        let records = batch.records;
        let budget = self.sink.budget();
        if !budget.fits(cost) {
            self.sink.wake();
            let room = match self.on_full {
                OnFull::Drop => false,
                OnFull::Block => budget.wait_for(cost, || {
                    let deadline = self.deadline.load(Ordering::Relaxed);
                    deadline != 0 && now_ms() >= deadline
                }),
                OnFull::BlockWhileUp => {
                    !budget.away()
                        && budget.wait_for(cost, || {
                            let deadline = self.deadline.load(Ordering::Relaxed);
                            budget.away() || (deadline != 0 && now_ms() >= deadline)
                        })
                }
            };
            if !room {
                if !budget.alive() {
                    self.sink.warn_gone();
                }
                return self.dropped(records);
            }
        }
        budget.take(cost);
        // The first batch through after a loss is preceded, in the stream, by a notice of it.
        let lost = self.account.stats.take_unreported();
        if lost > 0 && self.sink.send(Msg::Notice(lost, self.account.clone())).is_err() {
            self.account.stats.unreport(lost);
        }
        match self.sink.send(Msg::Batch(batch, self.account.clone())) {
            Ok(()) => {
                if budget.filling() {
                    self.sink.wake();
                }
                Submitted::Queued
            }
            Err(_) => {
                budget.release(cost);
                self.sink.warn_gone();
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
        self.account.stats.lose(u64::from(records));
    }

    /// A notice of the records lost since the last one, now rather than before the next batch
    /// (there may be none: the logger is closing).
    pub fn notice_now(&self) {
        let lost = self.account.stats.take_unreported();
        if lost > 0 && self.sink.send(Msg::Notice(lost, self.account.clone())).is_err() {
            self.account.stats.unreport(lost);
        }
    }

    fn dropped(&self, records: u32) -> Submitted {
        self.account.stats.lose(u64::from(records));
        Submitted::Dropped(records)
    }

    pub fn sink(&self) -> &Sink {
        &self.sink
    }

    pub fn stats(&self) -> StatsSnapshot {
        self.counters().snapshot()
    }

    /// This producer's counters, readable after it is gone (a writer still draining after
    /// `close()` keeps counting).
    pub fn counters(&self) -> Counters {
        Counters { account: self.account.clone(), budget: self.sink.budget_handle() }
    }
}

#[derive(Clone)]
pub struct Counters {
    account: Arc<Account>,
    budget: Arc<Budget>,
}

impl Counters {
    pub fn snapshot(&self) -> StatsSnapshot {
        let s = &self.account.stats;
        StatsSnapshot {
            written: s.written.load(Ordering::Relaxed),
            dropped: s.dropped.load(Ordering::Relaxed),
            bytes_written: s.bytes_written.load(Ordering::Relaxed),
            errors: s.errors.load(Ordering::Relaxed),
            filtered: s.filtered.load(Ordering::Relaxed),
            spilled: s.spilled.load(Ordering::Relaxed),
            retries: s.retries.load(Ordering::Relaxed),
            queued_bytes: self.budget.queued() as u64,
        }
    }
}
