//! What the logging side and the writer thread share: the messages on the queue, each
//! producer's counters, and the destination's byte budget. Both `producer` and `writer` depend
//! on this module; neither depends on the other's internals.

use std::io;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use crate::batch::{Batch, BatchBuilder};
use crate::format::Layout;

/// The wall clock in ms since the epoch (rotation periods, exit deadlines).
pub(crate) fn now_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

/// The text of the record that tells a reader of the destination how many records it will not find.
pub const DROP_NOTICE: &str = "records were dropped: the destination could not take them (onFull: 'drop', or write errors)";

/// The drop-notice record (a warning, now): every writer puts it where the records went missing.
pub(crate) fn drop_notice(lost: u64) -> Batch {
    BatchBuilder::default()
        .record(40, Some(now_ms() as f64))
        .key("dropped")
        .num(lost as f64)
        .msg(&format!("kakashi: {lost} {DROP_NOTICE}"))
        .end()
        .build()
}

pub(crate) enum Msg {
    Batch(Arc<Batch>, Arc<Account>),
    /// Records of this producer were lost just before the batch that follows: say how many.
    Notice(u64, Arc<Account>),
    /// Runs once everything queued before it has been handed to the OS.
    Flush(Box<dyn FnOnce() + Send>),
    /// Writes what is queued to the current file, then opens the path again (logrotate's
    /// move-then-signal) and reports how that went.
    Reopen(Box<dyn FnOnce(io::Result<()>) + Send>),
}

#[derive(Debug, Default)]
pub struct Stats {
    pub written: AtomicU64,
    pub dropped: AtomicU64,
    pub bytes_written: AtomicU64,
    pub errors: AtomicU64,
    /// Records below this producer's level, left out by the writer.
    pub filtered: AtomicU64,
    /// Network targets: records put in the disk spill while the receiver was away.
    pub spilled: AtomicU64,
    /// Network targets: sends that failed and were tried again.
    pub retries: AtomicU64,
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
    pub spilled: u64,
    pub retries: u64,
    pub queued_bytes: u64,
}

/// One producer's part the writer thread touches: its layout and its counters.
#[derive(Debug)]
pub struct Account {
    pub stats: Stats,
    pub(crate) layout: Layout,
}

impl Account {
    pub(crate) fn new(layout: Layout) -> Account {
        Account { stats: Stats::default(), layout }
    }
}

/// A destination's bound on the bytes queued for it, shared by every producer writing there
/// (loggers, workers), so memory does not grow with their number: the largest `bufferSize`
/// among them. `alive` turns false when the writer thread ends, however it ends.
#[derive(Debug, Default)]
pub(crate) struct Budget {
    queued: AtomicUsize,
    limit: AtomicUsize,
    alive: AtomicBool,
    /// A network destination's receiver is away (its shipper is retrying).
    away: AtomicBool,
    room: Mutex<()>,
    room_freed: Condvar,
    /// The writer is between two looks at a busy queue (see writer.rs `NAP`): it looks again
    /// soon by itself, so a batch need not wake it; a flush or a filling queue does.
    napping: AtomicBool,
}

impl Budget {
    pub(crate) fn new() -> Budget {
        Budget { alive: AtomicBool::new(true), ..Budget::default() }
    }

    /// A producer's `bufferSize`: the destination's bound is the largest.
    pub(crate) fn allow(&self, limit: usize) {
        self.limit.fetch_max(limit, Ordering::AcqRel);
    }

    pub(crate) fn set_away(&self, away: bool) {
        self.away.store(away, Ordering::Release);
    }

    pub(crate) fn away(&self) -> bool {
        self.away.load(Ordering::Acquire)
    }

    pub(crate) fn queued(&self) -> usize {
        self.queued.load(Ordering::Acquire)
    }

    /// Whether `cost` more bytes fit. One batch larger than the whole budget still goes when
    /// nothing else is queued, so a huge record can always get through.
    pub(crate) fn fits(&self, cost: usize) -> bool {
        let queued = self.queued();
        queued == 0 || queued + cost <= self.limit.load(Ordering::Acquire)
    }

    pub(crate) fn take(&self, cost: usize) {
        self.queued.fetch_add(cost, Ordering::AcqRel);
    }

    /// The writer is done with `cost` bytes.
    pub(crate) fn release(&self, cost: usize) {
        self.queued.fetch_sub(cost, Ordering::AcqRel);
        let _guard = self.room.lock().unwrap_or_else(|p| p.into_inner());
        self.room_freed.notify_all();
    }

    pub(crate) fn set_napping(&self, napping: bool) {
        self.napping.store(napping, Ordering::Release);
    }

    pub(crate) fn napping(&self) -> bool {
        self.napping.load(Ordering::Acquire)
    }

    /// More than half the bytes allowed are queued: the writer should not wait to look.
    pub(crate) fn filling(&self) -> bool {
        self.queued() * 2 > self.limit.load(Ordering::Acquire)
    }

    pub(crate) fn alive(&self) -> bool {
        self.alive.load(Ordering::Acquire)
    }

    /// The writer thread has ended: nobody will free room again; wake every waiter.
    pub(crate) fn end(&self) {
        self.alive.store(false, Ordering::Release);
        let _guard = self.room.lock().unwrap_or_else(|p| p.into_inner());
        self.room_freed.notify_all();
    }

    /// Waits until `cost` fits, the writer is gone, or `give_up()` says to stop; whether it fits.
    pub(crate) fn wait_for(&self, cost: usize, give_up: impl Fn() -> bool) -> bool {
        let mut guard = self.room.lock().unwrap_or_else(|p| p.into_inner());
        while !self.fits(cost) {
            if !self.alive() || give_up() {
                return false;
            }
            // The timeout re-checks give_up() (a deadline) now and then.
            guard = self.room_freed.wait_timeout(guard, Duration::from_millis(50)).unwrap_or_else(|p| p.into_inner()).0;
        }
        true
    }
}
