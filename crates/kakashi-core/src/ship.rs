//! The shipper: a network (or transport) target's writer thread. Its `Requests` gather batches
//! (as OTLP log records, syslog frames, or lines for a pino transport) and seal them into requests (a batch size or a flush interval,
//! whichever comes first); its `Link` sends them in order. While the receiver is away, requests go to the disk spill (when there is one) and
//! are retried with backoff, oldest first; what cannot be sent or spilled keeps its bytes in the
//! destination's budget, so the producers' `onFull` policy applies past the spill's cap.
//!
//! Accounting: `written` counts records the receiver took; `spilled` records that went to the
//! spill (they count as `written` once sent); `retries` failed attempts; `errors` requests
//! refused for good (their records `dropped`), or records the receiver said it rejected.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::channel::{drop_notice, Account, Budget, Msg};
use crate::format::otlp::{kv, Logs};
use crate::format::{Lines, Requests};
use crate::sinks::net::{Link, Sent, Shipping};
use crate::sinks::otlp::Client;
use crate::sinks::Destination;
use crate::sinks::spill::Spill;

/// Records of each producer in a request.
type Shares = Vec<(Arc<Account>, u32)>;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Trouble {
    Unreachable,
    Refused,
    Rejected,
    Spill,
}

struct Request {
    body: Vec<u8>,
    records: u32,
    shares: Shares,
    /// Budget bytes held until the request is sent or spilled.
    cost: usize,
}

const FIRST_BACKOFF: Duration = Duration::from_millis(100);
const MAX_BACKOFF: Duration = Duration::from_secs(10);

/// A network target: how its records are gathered, and sent.
pub(crate) struct Route {
    /// Loggers whose targets have the same key share one shipper: the receiver and every option.
    pub key: String,
    pub shipping: Shipping,
    pub requests: Box<dyn Requests>,
    pub link: Box<dyn Link>,
}

/// The route to a network destination, checked; `None` for a file or descriptor.
pub(crate) fn route(dest: &Destination) -> Option<Result<Route, String>> {
    match dest {
        Destination::Otlp(config) => Some(config.check().map(|()| Route {
            key: format!("{config:?}"),
            shipping: config.shipping.clone(),
            requests: Box::new(Logs::new(config.resource.iter().map(|(k, v)| kv(k.clone(), v.clone())).collect())),
            link: Box::new(Client::new((**config).clone())),
        })),
        Destination::Syslog(config) => Some(config.link().map(|link| Route {
            key: format!("{config:?}"),
            shipping: config.shipping.clone(),
            requests: Box::new(Lines::syslog(config.header.clone())),
            link,
        })),
        Destination::Transport(t) => Some(Ok(Route { key: format!("{t:?}"), shipping: t.shipping.clone(), requests: Box::<Lines>::default(), link: t.link() })),
        _ => None,
    }
}

struct Shipper {
    shipping: Shipping,
    link: Box<dyn Link>,
    spill: Option<Spill>,
    budget: Arc<Budget>,
    building: Box<dyn Requests>,
    building_shares: Shares,
    building_cost: usize,
    building_since: Option<Instant>,
    memory: VecDeque<Request>,
    /// Bytes and records of the oldest request (the spill's front, else memory's) that the
    /// receiver has acknowledged: a retry sends only the rest.
    front_done: (usize, u32),
    /// Segments this process spilled, with whose records they hold.
    spilled: HashMap<u64, Shares>,
    retry_at: Option<Instant>,
    backoff: Duration,
    flushes: Vec<Box<dyn FnOnce() + Send>>,
    /// The kinds of trouble already said on stderr: each is said once, all are counted.
    warned: Vec<Trouble>,
}

fn share(shares: &mut Shares, account: &Arc<Account>, records: u32) {
    match shares.iter_mut().find(|(a, _)| Arc::ptr_eq(a, account)) {
        Some((_, n)) => *n += records,
        None => shares.push((account.clone(), records)),
    }
}

pub(crate) fn run(rx: Receiver<Msg>, route: Route, budget: Arc<Budget>) {
    let Route { shipping, requests, link, .. } = route;
    let spill = shipping.spill.as_ref().and_then(|opts| match Spill::open(opts) {
        Ok(spill) => Some(spill),
        Err(e) => {
            warn_line(&shipping.url, &format!("no disk spill: {e}; records wait in memory only"));
            None
        }
    });
    let mut s = Shipper {
        shipping,
        link,
        spill,
        budget,
        building: requests,
        building_shares: Vec::new(),
        building_cost: 0,
        building_since: None,
        memory: VecDeque::new(),
        front_done: (0, 0),
        spilled: HashMap::new(),
        retry_at: None,
        backoff: FIRST_BACKOFF,
        flushes: Vec::new(),
        warned: Vec::new(),
    };
    s.pump();
    loop {
        let msg = match s.next_deadline() {
            None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
            Some(at) => rx.recv_timeout(at.saturating_duration_since(Instant::now())),
        };
        match msg {
            Ok(msg) => s.handle(msg),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
        if s.building_since.is_some_and(|t| t.elapsed() >= Duration::from_millis(s.shipping.flush_ms)) {
            s.seal();
        }
        s.pump();
    }
    // The last logger is gone: one more try, then the spill; what neither takes is lost, counted.
    s.seal();
    s.retry_at = None;
    s.pump();
    s.to_spill();
    // What the receiver acknowledged belongs to the oldest request: memory's first only when
    // the spill holds nothing older.
    if s.spill.as_ref().is_some_and(|sp| !sp.is_empty()) {
        s.front_done = (0, 0);
    }
    for r in std::mem::take(&mut s.memory) {
        let done = std::mem::take(&mut s.front_done).1;
        credit(&r.shares, done, |account, n| {
            account.stats.written.fetch_add(n, Ordering::Relaxed);
        });
        credit(&r.shares, r.records.saturating_sub(done), |account, n| account.stats.lose(n));
        s.budget.release(r.cost);
    }
    for done in s.flushes.drain(..) {
        done();
    }
}

/// The shares of a request's records after its first `n`.
fn after(shares: &Shares, mut n: u32) -> Shares {
    let mut rest = Vec::with_capacity(shares.len());
    for (account, k) in shares {
        let take = n.min(*k);
        n -= take;
        if *k > take {
            rest.push((account.clone(), *k - take));
        }
    }
    rest
}

/// Gives `n` of a request's records, its first producers' first, to `count`.
fn credit(shares: &Shares, mut n: u32, mut count: impl FnMut(&Account, u64)) {
    for (account, k) in shares {
        let take = n.min(*k);
        if take > 0 {
            count(account, u64::from(take));
        }
        n -= take;
    }
}

fn warn_line(url: &str, what: &str) {
    let line = format!("kakashi: {what} ({url}); further errors are counted in getStats()\n");
    let _ = std::io::Write::write_all(&mut std::io::stderr(), line.as_bytes());
}

impl Shipper {
    fn next_deadline(&self) -> Option<Instant> {
        let flush = self.building_since.map(|t| t + Duration::from_millis(self.shipping.flush_ms));
        let retry = if self.memory.is_empty() && self.spill.as_ref().is_none_or(Spill::is_empty) { None } else { self.retry_at };
        match (flush, retry) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    fn handle(&mut self, msg: Msg) {
        match msg {
            Msg::Batch(batch, account) => {
                let before = self.building.records();
                let f = self.building.add(&batch, &account.layout);
                account.stats.filtered.fetch_add(u64::from(f.skipped), Ordering::Relaxed);
                if f.error.is_some() {
                    account.stats.errors.fetch_add(1, Ordering::Relaxed);
                    account.stats.lose(u64::from(batch.records.saturating_sub(f.records + f.skipped)));
                }
                self.added(&account, self.building.records() - before, batch.cost());
            }
            Msg::Notice(lost, account) => {
                self.building.add(&drop_notice(lost), &account.layout.clone().with_min_level(0).with_below_level(u32::MAX));
                self.building_since.get_or_insert_with(Instant::now);
            }
            Msg::Flush(done) => {
                self.seal();
                self.flushes.push(done);
            }
            Msg::Reopen(report) => report(Ok(())),
        }
    }

    fn added(&mut self, account: &Arc<Account>, records: u32, cost: usize) {
        self.building_cost += cost;
        if records > 0 {
            share(&mut self.building_shares, account, records);
            self.building_since.get_or_insert_with(Instant::now);
        }
        if self.building.records() as usize >= self.shipping.batch {
            self.seal();
        }
    }

    /// Makes a request of what is being built.
    fn seal(&mut self) {
        let cost = std::mem::take(&mut self.building_cost);
        self.building_since = None;
        let records = self.building.records();
        if records == 0 {
            self.budget.release(cost);
            return;
        }
        let body = self.building.seal();
        self.memory.push_back(Request { body, records, shares: std::mem::take(&mut self.building_shares), cost });
    }

    fn settle_sent(&mut self, shares: &Shares, records: u32, bytes: usize, rejected: u64) {
        // Those acknowledged by an earlier, broken attempt are counted with the rest.
        for (account, n) in shares {
            account.stats.written.fetch_add(u64::from(*n), Ordering::Relaxed);
            account.stats.bytes_written.fetch_add((bytes as u64 * u64::from(*n)) / u64::from(records.max(1)), Ordering::Relaxed);
        }
        if rejected > 0 {
            if let Some((account, _)) = shares.first() {
                account.stats.errors.fetch_add(1, Ordering::Relaxed);
            }
            self.warn(Trouble::Rejected, &format!("the receiver rejected {rejected} records"));
        }
        self.backoff = FIRST_BACKOFF;
        self.retry_at = None;
        self.budget.set_away(false);
    }

    /// Sends what waits, oldest first (the spill holds older requests than memory), until the
    /// receiver fails; then moves memory to the spill and waits for the backoff.
    fn pump(&mut self) {
        while self.retry_at.is_none_or(|t| Instant::now() >= t) {
            let from_spill = self.spill.as_ref().is_some_and(|s| !s.is_empty());
            let (body, records, shares) = if from_spill {
                let Some((seg, body)) = self.spill.as_ref().and_then(Spill::front) else { break };
                let (seq, records) = (seg.seq, seg.records);
                match body {
                    Ok(body) => (body, records, self.spilled.remove(&seq).unwrap_or_default()),
                    Err(e) => {
                        self.warn(Trouble::Spill, &format!("a spill segment could not be read ({e}); its records are lost"));
                        self.front_done = (0, 0);
                        if let Some(spill) = self.spill.as_mut() {
                            spill.pop();
                        }
                        continue;
                    }
                }
            } else {
                match self.memory.front_mut() {
                    Some(r) => (std::mem::take(&mut r.body), r.records, Vec::new()),
                    None => break,
                }
            };
            let sent = self.link.send(&body[self.front_done.0.min(body.len())..]);
            let done = !matches!(sent, Sent::Retry { .. });
            let shares = if from_spill { shares } else { self.memory.front().map(|r| r.shares.clone()).unwrap_or_default() };
            match sent {
                Sent::Ok { rejected } => self.settle_sent(&shares, records, body.len(), rejected),
                Sent::Refused { why } => {
                    let done = self.front_done.1;
                    self.warn(Trouble::Refused, &format!("the receiver refused a request ({why}); its {} records are dropped", records.saturating_sub(done)));
                    for (account, _) in &shares {
                        account.stats.errors.fetch_add(1, Ordering::Relaxed);
                    }
                    credit(&shares, done, |account, n| {
            account.stats.written.fetch_add(n, Ordering::Relaxed);
        });
                    credit(&shares, records.saturating_sub(done), |account, n| account.stats.lose(n));
                }
                Sent::Retry { why, after, delivered, delivered_records } => {
                    self.front_done.0 += delivered;
                    self.front_done.1 = (self.front_done.1 + delivered_records).min(records);
                    if from_spill {
                        self.spilled.insert(self.spill.as_ref().and_then(|s| s.front()).map_or(0, |(s, _)| s.seq), shares.clone());
                    } else {
                        self.memory[0].body = body;
                    }
                    for (account, _) in shares.iter().take(1) {
                        account.stats.retries.fetch_add(1, Ordering::Relaxed);
                    }
                    self.warn(Trouble::Unreachable, &format!("the receiver is unreachable ({why}); retrying"));
                    self.budget.set_away(true);
                    let wait = after.unwrap_or(self.backoff);
                    self.backoff = (self.backoff * 2).min(MAX_BACKOFF);
                    self.retry_at = Some(Instant::now() + wait);
                    self.to_spill();
                    break;
                }
            }
            if done {
                self.front_done = (0, 0);
                if from_spill {
                    self.spill.as_mut().expect("checked").pop();
                } else if let Some(r) = self.memory.pop_front() {
                    self.budget.release(r.cost);
                }
            }
        }
        if self.retry_at.is_some_and(|t| Instant::now() < t) {
            self.to_spill();
        }
        if self.memory.is_empty() && self.building.records() == 0 {
            for done in self.flushes.drain(..) {
                done();
            }
        }
    }

    /// While the receiver is away: requests in memory go to the spill, in order, as far as its
    /// cap allows; their budget bytes are freed.
    fn to_spill(&mut self) {
        let Some(spill) = self.spill.as_mut() else { return };
        while let Some(r) = self.memory.front() {
            // A request the receiver took part of (the oldest, as the spill is empty) goes to
            // disk without that part, which is counted now: the next process sends only the rest.
            let (skip, done) = if spill.is_empty() { self.front_done } else { (0, 0) };
            let body = &r.body[skip.min(r.body.len())..];
            if !spill.fits(body.len()) {
                break;
            }
            match spill.push(body, r.records.saturating_sub(done)) {
                Ok(seq) => {
                    let r = self.memory.pop_front().expect("checked");
                    credit(&r.shares, done, |account, n| {
                        account.stats.written.fetch_add(n, Ordering::Relaxed);
                    });
                    let rest = after(&r.shares, done);
                    for (account, n) in &rest {
                        account.stats.spilled.fetch_add(u64::from(*n), Ordering::Relaxed);
                    }
                    self.spilled.insert(seq, rest);
                    self.budget.release(r.cost);
                    self.front_done = (0, 0);
                }
                Err(e) => {
                    let what = format!("cannot write to the spill in {} ({e})", spill.dir().display());
                    self.warn(Trouble::Spill, &what);
                    break;
                }
            }
        }
    }

    fn warn(&mut self, kind: Trouble, what: &str) {
        if !self.warned.contains(&kind) {
            self.warned.push(kind);
            warn_line(&self.shipping.url, what);
        }
    }
}
