//! A pino transport: a JavaScript module (pino-roll, pino-loki, …) running in a worker thread,
//! fed the lines this crate formatted. The binding attaches the worker's way in (a `Feed`) to
//! the transport's `Slot`; the shipper's link hands it one request at a time and waits for the
//! worker to acknowledge it (its stream took the lines). A worker that dies takes the request
//! in its hands with it: those records are counted as lost, and the next requests wait for the
//! restarted worker. On close the worker is told to end its stream, and waited for until the
//! transport has closed (its last batch sent), within the target's timeout.

use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use super::net::{Link, Sent, Shipping};

/// The worker's side: lines to write, or the end of its stream.
pub trait Feed: Send + Sync {
    /// Hands `lines` (request number `seq`) to the worker; false when it can no longer take any.
    fn lines(&self, seq: u64, lines: Vec<u8>) -> bool;
    /// Asks the worker to end its stream and close the transport.
    fn end(&self) -> bool;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transport {
    /// `url` names the transport for messages (`transport:pino-loki#3`).
    pub shipping: Shipping,
    /// The slot the worker attaches to.
    pub id: u32,
    /// The longest wait for the worker to start, to take a request, or to close.
    pub timeout_ms: u64,
}

#[derive(Default)]
struct State {
    feed: Option<Arc<dyn Feed>>,
    /// Bumped when a worker attaches or dies: a request handed to an earlier one is gone with it.
    generation: u64,
    acked: u64,
    closed: bool,
    gone: Option<String>,
}

#[derive(Default)]
pub struct Slot {
    state: Mutex<State>,
    changed: Condvar,
}

/// The slot of transport `id` (made on first use, by the binding or the link).
pub fn slot(id: u32) -> Arc<Slot> {
    static SLOTS: OnceLock<Mutex<HashMap<u32, Arc<Slot>>>> = OnceLock::new();
    let mut slots = SLOTS.get_or_init(Default::default).lock().unwrap_or_else(|p| p.into_inner());
    slots.entry(id).or_default().clone()
}

impl Slot {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn update(&self, f: impl FnOnce(&mut State)) {
        f(&mut self.lock());
        self.changed.notify_all();
    }

    /// A worker is ready to take lines.
    pub fn attach(&self, feed: Arc<dyn Feed>) {
        self.update(|s| {
            s.feed = Some(feed);
            s.generation += 1;
            s.closed = false;
            s.gone = None;
        });
    }

    /// The worker's stream took request `seq` (and those before it).
    pub fn ack(&self, seq: u64) {
        self.update(|s| s.acked = s.acked.max(seq));
    }

    /// The transport closed after its stream ended.
    pub fn closed(&self) {
        self.update(|s| s.closed = true);
    }

    /// The worker died (`why`): what it had not acknowledged is gone.
    pub fn gone(&self, why: String) {
        self.update(|s| {
            s.feed = None;
            s.generation += 1;
            s.gone = Some(why);
        });
    }

    /// Waits until `ready` holds or `deadline` passes; the state either way.
    fn wait_until(&self, deadline: Instant, ready: impl Fn(&State) -> bool) -> MutexGuard<'_, State> {
        let mut s = self.lock();
        while !ready(&s) {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            s = self.changed.wait_timeout(s, left).unwrap_or_else(|p| p.into_inner()).0;
        }
        s
    }
}

impl Transport {
    pub fn link(&self) -> Box<dyn Link> {
        Box::new(TransportLink { slot: slot(self.id), seq: 0, timeout: Duration::from_millis(self.timeout_ms.max(1)) })
    }
}

struct TransportLink {
    slot: Arc<Slot>,
    seq: u64,
    timeout: Duration,
}

impl Link for TransportLink {
    fn send(&mut self, body: &[u8]) -> Sent {
        let deadline = Instant::now() + self.timeout;
        let (feed, generation) = {
            let s = self.slot.wait_until(deadline, |s| s.feed.is_some());
            match &s.feed {
                Some(f) => (f.clone(), s.generation),
                None => return Sent::retry(s.gone.clone().unwrap_or_else(|| "the transport worker has not started".into())),
            }
        };
        self.seq += 1;
        let seq = self.seq;
        if !feed.lines(seq, body.to_vec()) {
            return Sent::retry("the transport worker takes no more lines");
        }
        let s = self.slot.wait_until(deadline, |s| s.acked >= seq || s.generation != generation);
        if s.acked >= seq {
            return Sent::Ok { rejected: 0 };
        }
        if s.generation != generation {
            let why = s.gone.clone().unwrap_or_else(|| "a new worker took over".into());
            return Sent::Refused { why: format!("the transport worker died ({why}) before it took them") };
        }
        // A stream slower than the timeout: asked again (it may then have the lines twice).
        Sent::retry(format!("the transport took no lines within {} ms", self.timeout.as_millis()))
    }
}

impl Drop for TransportLink {
    /// The end of the stream, then the transport's close (its last batch), within the timeout.
    fn drop(&mut self) {
        let feed = self.slot.lock().feed.clone();
        if let Some(feed) = feed {
            if feed.end() {
                drop(self.slot.wait_until(Instant::now() + self.timeout, |s| s.closed || s.feed.is_none()));
            }
        }
        self.slot.update(|s| s.feed = None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A worker that acknowledges (or not) on a thread of its own.
    struct Worker {
        slot: Arc<Slot>,
        got: Mutex<Vec<Vec<u8>>>,
        take: bool,
    }

    impl Feed for Worker {
        fn lines(&self, seq: u64, lines: Vec<u8>) -> bool {
            self.got.lock().unwrap().push(lines);
            if self.take {
                let slot = self.slot.clone();
                std::thread::spawn(move || slot.ack(seq));
            }
            true
        }
        fn end(&self) -> bool {
            let slot = self.slot.clone();
            std::thread::spawn(move || slot.closed());
            true
        }
    }

    fn transport(id: u32) -> Transport {
        Transport { shipping: Shipping { url: format!("transport#{id}"), batch: 10, flush_ms: 10, spill: None }, id, timeout_ms: 300 }
    }

    #[test]
    fn requests_wait_for_a_worker_and_its_acknowledgement() {
        let t = transport(9001);
        let mut link = t.link();
        assert!(matches!(link.send(b"early"), Sent::Retry { .. }), "no worker yet");
        let worker = Arc::new(Worker { slot: slot(9001), got: Mutex::new(vec![]), take: true });
        slot(9001).attach(worker.clone());
        assert_eq!(link.send(b"a\n"), Sent::Ok { rejected: 0 });
        assert_eq!(link.send(b"b\n"), Sent::Ok { rejected: 0 });
        drop(link);
        assert!(slot(9001).lock().closed, "the transport was closed on drop");
        assert_eq!(*worker.got.lock().unwrap(), [b"a\n".to_vec(), b"b\n".to_vec()]);
    }

    #[test]
    fn a_worker_that_dies_loses_only_what_it_held() {
        let t = transport(9002);
        let mut link = t.link();
        let stuck = Arc::new(Worker { slot: slot(9002), got: Mutex::new(vec![]), take: false });
        slot(9002).attach(stuck);
        let dying = std::thread::spawn(|| {
            std::thread::sleep(Duration::from_millis(50));
            slot(9002).gone("exit code 1".into());
        });
        assert!(matches!(link.send(b"held\n"), Sent::Refused { why } if why.contains("exit code 1")));
        dying.join().unwrap();
        assert!(matches!(link.send(b"next\n"), Sent::Retry { why, .. } if why.contains("exit code 1")), "waits for a new worker");
        slot(9002).attach(Arc::new(Worker { slot: slot(9002), got: Mutex::new(vec![]), take: true }));
        assert_eq!(link.send(b"next\n"), Sent::Ok { rejected: 0 });
    }
}
