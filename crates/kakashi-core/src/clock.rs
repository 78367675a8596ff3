//! A wall clock in epoch milliseconds that one background thread keeps current in memory the
//! JavaScript side reads, so a record's time costs a memory read instead of a `Date.now()` call
//! (~60 ns on the benchmark's VM, a third of a record's capture).
//!
//! Each JavaScript thread gets its own `Cells` (V8 wants one backing store per address). A tick
//! costs the machine ~16 µs of CPU on that VM, so the ticker runs only while records come fast
//! enough to gain from it: JavaScript wakes it (`wake`, which also sets the time there and then)
//! when it sees `BUSY` records within one millisecond; it writes the time into every live cell
//! each millisecond, counts the reads, and parks (`state` 0) after `WINDOW` ticks with fewer than
//! `MIN_READS` reads per tick, when JavaScript goes back to `Date.now()`. A record's time is never
//! older than the last tick (later if the ticker thread waits for a core). Values are f64 bit
//! patterns, as a `Float64Array` sees them; JavaScript's read count is approximate (its increment
//! and the ticker's reset may cross), which only shifts when the ticker parks.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::{self, Thread};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How often the ticker writes the time.
pub const TICK: Duration = Duration::from_millis(1);
/// Reads per tick below which a tick costs more than the `Date.now()` calls it saves.
const MIN_READS: f64 = 300.0;
/// Ticks over which the read rate is judged.
const WINDOW: u32 = 200;

/// What one JavaScript thread reads: `[now, state, used]` as a `Float64Array` of 3.
#[repr(C)]
#[derive(Debug, Default)]
pub struct Cells {
    /// Epoch milliseconds, whole.
    now: AtomicU64,
    /// 1.0 while the ticker keeps `now` current, 0.0 once it has parked.
    state: AtomicU64,
    /// Reads since the ticker last looked, counted by JavaScript.
    used: AtomicU64,
}

impl Cells {
    /// The bytes JavaScript's `Float64Array` views.
    pub fn as_ptr(&self) -> *mut u8 {
        self as *const Cells as *mut u8
    }

    pub const BYTES: usize = std::mem::size_of::<Cells>();

}

/// Every thread's cells, and the ticker's handle (started on the first `register`).
static LIVE: Mutex<Vec<Arc<Cells>>> = Mutex::new(Vec::new());
static TICKER: OnceLock<Option<Thread>> = OnceLock::new();

fn now_ms() -> f64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0.0, |d| d.as_millis() as f64)
}

fn live() -> std::sync::MutexGuard<'static, Vec<Arc<Cells>>> {
    LIVE.lock().unwrap_or_else(|p| p.into_inner())
}

/// New cells for one JavaScript thread, parked (`state` 0) until records come fast: a program
/// that reads Date.now() itself between its few records sees their times in step with it.
pub fn register() -> Arc<Cells> {
    let cells = Arc::new(Cells::default());
    live().push(cells.clone());
    cells
}

/// The thread whose cells these were has gone: they are no longer written.
pub fn unregister(cells: &Arc<Cells>) {
    live().retain(|c| !Arc::ptr_eq(c, cells));
}

/// Sets the time in every live cell now and starts the ticker again if it had parked; whether
/// there is a ticker (its thread could not start: JavaScript then stays with `Date.now()`).
pub fn wake() -> bool {
    let ticker = TICKER.get_or_init(|| thread::Builder::new().name("kakashi-clock".into()).spawn(tick).ok().map(|h| h.thread().clone()));
    let cells = live();
    let now = now_ms();
    for c in cells.iter() {
        advance(c, now);
        if ticker.is_some() {
            // Before the unpark: a ticker about to park sees it and goes on.
            c.state.store(1f64.to_bits(), Ordering::Release);
        }
    }
    drop(cells);
    if let Some(t) = ticker {
        t.unpark();
    }
    ticker.is_some()
}

/// The cell's time moves forward only: a wake and a tick that read the clock in turn cannot
/// leave the earlier reading (f64 bit patterns of positive numbers order as the numbers do).
fn advance(c: &Cells, now: f64) {
    c.now.fetch_max(now.to_bits(), Ordering::Relaxed);
}

fn tick() {
    let (mut ticks, mut reads) = (0, 0.0);
    loop {
        thread::sleep(TICK);
        let cells = live();
        let now = now_ms();
        for c in cells.iter() {
            reads += f64::from_bits(c.used.swap(0, Ordering::Relaxed));
            advance(c, now);
        }
        ticks += 1;
        if ticks < WINDOW {
            continue;
        }
        let busy = reads >= MIN_READS * f64::from(ticks);
        (ticks, reads) = (0, 0.0);
        if busy {
            continue;
        }
        cells.iter().for_each(|c| c.state.store(0, Ordering::Release));
        drop(cells);
        // Until JavaScript finds records coming fast again and wakes it (which sets state and time).
        while live().iter().all(|c| c.state.load(Ordering::Acquire) == 0) {
            thread::park();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(c: &Cells) -> (f64, f64) {
        (f64::from_bits(c.now.load(Ordering::Relaxed)), f64::from_bits(c.state.load(Ordering::Acquire)))
    }

    #[test]
    fn the_time_is_current_while_read_and_the_ticker_parks_when_not() {
        let cells = register();
        assert_eq!(read(&cells).1, 0.0, "parked until woken");
        assert!(wake());
        let (t0, state) = read(&cells);
        assert_eq!(state, 1.0);
        assert!((now_ms() - t0).abs() < 5.0, "set by the wake");
        // Read fast (as JavaScript counts its reads) for a while: the time advances with the wall clock.
        let until = SystemTime::now() + Duration::from_millis(300);
        while SystemTime::now() < until {
            cells.used.store(10_000f64.to_bits(), Ordering::Relaxed);
            thread::sleep(Duration::from_millis(5));
        }
        let (t1, state) = read(&cells);
        assert_eq!(state, 1.0);
        assert!(t1 >= t0 + 250.0 && (now_ms() - t1).abs() < 20.0, "advanced: {t0} -> {t1}");
        // Read too seldom to gain from ticking: parked (within its window of ticks), and said so.
        let until = SystemTime::now() + Duration::from_secs(10);
        while read(&cells).1 != 0.0 && SystemTime::now() < until {
            thread::sleep(Duration::from_millis(20));
        }
        assert_eq!(read(&cells).1, 0.0);
        assert!(wake());
        let (t2, state) = read(&cells);
        assert_eq!(state, 1.0);
        assert!((now_ms() - t2).abs() < 5.0);
        unregister(&cells);
        assert!(!live().iter().any(|c| Arc::ptr_eq(c, &cells)));
    }
}
