//! Kakashi's core, free of any Node binding, in layers, each using only those above it:
//!
//! - `batch`: the wire format JavaScript writes (op tags, limits, streams);
//! - `clock`: the time JavaScript reads for each record, kept current by a ticker thread;
//! - `literal`: JSON strings and numbers from UTF-16, as `JSON.stringify` writes them;
//! - `decode`: reading it back, token by token and record by record, with the grammar checked;
//! - `format`: lines in JSON, logfmt or pretty (one file each), as a `Layout` says;
//! - `sinks`: where bytes go — descriptors, files, rotating files;
//! - `channel`: what producers and writers share — messages, counters, a destination's budget;
//! - `spare`: batch buffers a writer is done with, for the next submit to fill;
//! - `writer`: one thread per destination draining its queue, formatting and writing;
//! - `ship`: a network destination's thread — requests, retries, the disk spill;
//! - `producer`: a logger tree's way into a destination's writer.

pub mod batch;
mod channel;
pub mod clock;
pub mod decode;
#[cfg(test)]
mod fault_tests;
pub mod format;
pub mod literal;
pub mod producer;
mod ship;
pub mod sinks;
pub mod spare;
pub mod writer;

pub use batch::{Batch, BatchBuilder};
pub use format::{Format, Layout, LevelSpec, TimeFormat};
pub use producer::{Counters, OnFull, Producer, StatsSnapshot, Submitted};
pub use sinks::{Destination, Rotate};
pub use writer::Sink;
