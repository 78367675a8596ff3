//! The worker thread's side of a pino transport (see kakashi-core's sinks::transport): the
//! worker attaches a function that takes lines (or `null`: end the stream), then says when its
//! stream took them and when the transport closed; the main thread says when a worker died.

use std::sync::Arc;

use napi::bindgen_prelude::FnArgs;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::Status;
use napi_derive::napi;

use kakashi_core::sinks::transport::{slot, Feed};

type Args = FnArgs<(f64, Option<String>)>;
/// `(seq, lines | null) => void`, called on the worker's thread.
type FeedFn = ThreadsafeFunction<Args, (), Args, Status, false>;

struct JsFeed(FeedFn);

impl Feed for JsFeed {
    fn lines(&self, seq: u64, lines: Vec<u8>) -> bool {
        // The formats write UTF-8 only.
        let text = String::from_utf8(lines).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        self.0.call((seq as f64, Some(text)).into(), ThreadsafeFunctionCallMode::NonBlocking) == Status::Ok
    }

    fn end(&self) -> bool {
        self.0.call((0.0, None).into(), ThreadsafeFunctionCallMode::NonBlocking) == Status::Ok
    }
}

/// A worker is ready: `feed` is called with each request's lines, and with `null` at the end.
#[napi(catch_unwind, ts_args_type = "id: number, feed: (seq: number, lines: string | null) => void")]
pub fn transport_attach(id: u32, feed: FeedFn) {
    slot(id).attach(Arc::new(JsFeed(feed)));
}

/// The worker's stream took request `seq`.
#[napi(catch_unwind)]
pub fn transport_ack(id: u32, seq: f64) {
    slot(id).ack(seq as u64);
}

/// The transport closed after the end of its stream.
#[napi(catch_unwind)]
pub fn transport_closed(id: u32) {
    slot(id).closed();
}

/// The worker died: what it held is counted as lost, and the next requests wait for its successor.
#[napi(catch_unwind)]
pub fn transport_gone(id: u32, why: String) {
    slot(id).gone(why);
}
