//! What every network target shares: how a request fared (`Sent`), the connection that sends
//! one (`Link`), and the shipper's batching and spill choices (`Shipping`).

use std::time::Duration;

use super::spill::SpillOptions;

#[derive(Debug, PartialEq, Eq)]
pub enum Sent {
    /// Taken; the receiver may say it rejected some records.
    Ok { rejected: u64 },
    /// Not taken this time: try again, not before `after` if the receiver said so. The
    /// receiver acknowledged the request's first `delivered` bytes (`delivered_records`
    /// records): only the rest is sent again.
    Retry { why: String, after: Option<Duration>, delivered: usize, delivered_records: u32 },
    /// Refused for good.
    Refused { why: String },
}

impl Sent {
    /// A retry from the start of the request.
    pub fn retry(why: impl Into<String>) -> Sent {
        Sent::Retry { why: why.into(), after: None, delivered: 0, delivered_records: 0 }
    }
}

/// A connection to a receiver, owned by the shipper thread.
pub trait Link: Send {
    /// Sends one request as the target's `Requests` sealed it.
    fn send(&mut self, body: &[u8]) -> Sent;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shipping {
    /// The receiver, as the user named it (for messages and to share one shipper per receiver).
    pub url: String,
    /// One request's most records.
    pub batch: usize,
    /// How long a partial request waits for more records.
    pub flush_ms: u64,
    /// Where records wait while the receiver is away; `None`: in memory only.
    pub spill: Option<SpillOptions>,
}
