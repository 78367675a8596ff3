//! Kakashi's core, free of any Node binding: the batch wire format, the line formatters (JSON, logfmt, pretty),
//! destinations, and the background writer thread with its bounded queue.

pub mod batch;
mod channel;
#[cfg(test)]
mod fault_tests;
pub mod format;
pub mod json;
pub mod producer;
pub mod rotate;
pub mod sink;
pub mod text;
pub mod writer;

pub use batch::{Batch, BatchBuilder};
pub use format::{Format, Layout, LevelSpec, TimeFormat};
pub use producer::{Counters, OnFull, Producer, StatsSnapshot, Submitted};
pub use rotate::Rotate;
pub use sink::Destination;
pub use writer::Sink;
