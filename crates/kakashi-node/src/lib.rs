//! The napi-rs binding: a thin shell over `kakashi-core`. Every entry point catches panics so
//! none can cross into Node; errors come back as JavaScript exceptions with a clear message.

use napi::bindgen_prelude::*;
use napi::{sys, Env, JsString, JsValue};
use napi_derive::napi;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

mod transport;

use kakashi_core::{clock, Counters, Destination, Format, Layout, LevelSpec, OnFull, Producer, Rotate, StatsSnapshot, Submitted, TimeFormat};

/// File rotation (see kakashi-core's rotate module); checked by the facade.
#[napi(object)]
pub struct RotateOptions {
    pub size: Option<f64>,
    pub interval_ms: Option<f64>,
    pub keep: u32,
    pub compress: bool,
}

/// What every network target has: batching, waiting, the spill, TLS roots.
#[napi(object)]
pub struct ShippingOptions {
    pub url: String,
    pub batch: u32,
    pub flush_ms: u32,
    pub timeout_ms: u32,
    /// The spill folder; none: records wait in memory only.
    pub spill_dir: Option<String>,
    pub spill_max_bytes: f64,
    pub spill_fsync: bool,
    /// PEM certificates TLS trusts instead of Mozilla's roots.
    pub ca: Option<String>,
}

/// An OTLP/HTTP receiver; checked by the facade (see kakashi-core's sinks::otlp).
#[napi(object)]
pub struct OtlpOptions {
    pub shipping: ShippingOptions,
    /// Header names and values, in pairs.
    pub headers: Vec<String>,
    /// Resource attributes, as a JSON object's text.
    pub resource: String,
    pub gzip: bool,
    /// OTLP/HTTP JSON instead of protobuf.
    pub json: bool,
}

/// A syslog receiver (`tcp://`, `tls://`, `udp://` or `relp://` host and port); checked by the
/// facade (see kakashi-core's sinks::syslog).
#[napi(object)]
pub struct SyslogOptions {
    pub shipping: ShippingOptions,
    pub facility: u32,
    pub hostname: String,
    pub app_name: String,
    pub procid: String,
    pub max_datagram: u32,
}

/// A pino transport in a worker thread, attached to slot `id` (see transport.rs).
#[napi(object)]
pub struct TransportOptions {
    /// The transport's name, for messages.
    pub name: String,
    pub id: u32,
    pub batch: u32,
    pub flush_ms: u32,
    pub timeout_ms: u32,
}

/// One destination of a logger tree, with its own format and level.
#[napi(object)]
pub struct TargetOptions {
    /// 'stdout' | 'stderr' | 'fd' | 'path' | 'otlp' | 'syslog' | 'transport'
    pub kind: String,
    pub otlp: Option<OtlpOptions>,
    pub syslog: Option<SyslogOptions>,
    pub transport: Option<TransportOptions>,
    /// A network target without an `onFull` of its own: it blocks while its receiver is up and
    /// drops while it is away.
    pub block_while_up: Option<bool>,
    pub fd: Option<i32>,
    pub path: Option<String>,
    pub mkdir: Option<bool>,
    pub append: Option<bool>,
    pub rotate: Option<RotateOptions>,
    /// 'json' (default) | 'logfmt' | 'pretty'
    pub format: Option<String>,
    /// Colour in the pretty format.
    pub colour: Option<bool>,
    /// Records below this level are not written here.
    pub min_level: Option<u32>,
    /// Records at this level or above are not written here either (multistream dedupe).
    pub below_level: Option<u32>,
}

#[napi(object)]
pub struct ProducerOptions {
    pub targets: Vec<TargetOptions>,
    pub buffer_size: f64,
    pub drop_when_full: bool,
    /// The key of the message (`msg` by default).
    pub message_key: Option<String>,
    /// The key of the level (`level` by default).
    pub level_key: Option<String>,
    /// Every level the logger tree knows, with the JSON members written in its place
    /// (levelKey, levelLabels, `formatters.level`); default: the standard six.
    pub levels: Option<Vec<LevelOptions>>,
    /// JSON `time`: 'epoch' (ms, default) | 'unix' (s) | 'iso'.
    pub time_format: Option<String>,
    /// Lines end with CRLF.
    pub crlf: Option<bool>,
}

#[napi(object)]
pub struct LevelOptions {
    pub value: u32,
    pub label: String,
    /// JSON members without the leading comma, e.g. `"level":30`.
    pub member: String,
}

#[napi(object)]
pub struct NativeStats {
    pub written: f64,
    pub dropped: f64,
    pub bytes_written: f64,
    pub errors: f64,
    pub filtered: f64,
    pub spilled: f64,
    pub retries: f64,
    pub queued_bytes: f64,
}

/// One logger tree's connection to its destinations' writer threads: one producer per target,
/// all fed the same batches.
#[napi]
pub struct NativeProducer {
    inner: Vec<Producer>,
    closed: bool,
    /// The counters, once closed (a writer still draining keeps counting).
    closed_stats: Vec<Counters>,
}

fn destination(o: &TargetOptions) -> Result<Destination> {
    Ok(match o.kind.as_str() {
        "stdout" => Destination::Stdout,
        "stderr" => Destination::Stderr,
        "fd" => Destination::Fd(o.fd.ok_or_else(|| Error::from_reason("fd missing"))?),
        "path" => Destination::Path {
            path: o.path.clone().ok_or_else(|| Error::from_reason("path missing"))?.into(),
            mkdir: o.mkdir.unwrap_or(false),
            append: o.append.unwrap_or(true),
            rotate: o.rotate.as_ref().map(|r| Rotate {
                size: r.size.map(|s| s as u64),
                interval_ms: r.interval_ms.map(|ms| ms as u64),
                keep: r.keep as usize,
                compress: r.compress,
            }),
        },
        "otlp" => Destination::Otlp(Box::new(otlp(o.otlp.as_ref().ok_or_else(|| Error::from_reason("otlp options missing"))?)?)),
        "transport" => {
            let t = o.transport.as_ref().ok_or_else(|| Error::from_reason("transport options missing"))?;
            let shipping = kakashi_core::sinks::net::Shipping { url: t.name.clone(), batch: t.batch.max(1) as usize, flush_ms: u64::from(t.flush_ms), spill: None };
            Destination::Transport(Box::new(kakashi_core::sinks::transport::Transport { shipping, id: t.id, timeout_ms: u64::from(t.timeout_ms) }))
        }
        "syslog" => Destination::Syslog(Box::new(syslog(o.syslog.as_ref().ok_or_else(|| Error::from_reason("syslog options missing"))?))),
        other => return Err(Error::from_reason(format!("unknown destination kind {other:?}"))),
    })
}

fn shipping(o: &ShippingOptions) -> kakashi_core::sinks::net::Shipping {
    use kakashi_core::sinks::spill::SpillOptions;
    kakashi_core::sinks::net::Shipping {
        url: o.url.clone(),
        batch: o.batch.max(1) as usize,
        flush_ms: u64::from(o.flush_ms),
        spill: o.spill_dir.as_ref().map(|dir| SpillOptions { dir: dir.into(), max_bytes: o.spill_max_bytes as u64, fsync: o.spill_fsync }),
    }
}

fn syslog(o: &SyslogOptions) -> kakashi_core::sinks::syslog::Syslog {
    kakashi_core::sinks::syslog::Syslog {
        shipping: shipping(&o.shipping),
        header: kakashi_core::format::syslog::Header::new(o.facility.min(23) as u8, &o.hostname, &o.app_name, &o.procid),
        ca: o.shipping.ca.clone(),
        max_datagram: o.max_datagram as usize,
        timeout_ms: u64::from(o.shipping.timeout_ms.max(1)),
    }
}

fn otlp(o: &OtlpOptions) -> Result<kakashi_core::sinks::otlp::Otlp> {
    let resource: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&o.resource).map_err(|e| Error::from_reason(format!("otlp resource: {e}")))?;
    Ok(kakashi_core::sinks::otlp::Otlp {
        shipping: shipping(&o.shipping),
        headers: o.headers.chunks(2).filter(|p| p.len() == 2).map(|p| (p[0].clone(), p[1].clone())).collect(),
        resource: resource.into_iter().collect(),
        gzip: o.gzip,
        json: o.json,
        timeout_ms: u64::from(o.shipping.timeout_ms.max(1)),
        ca: o.shipping.ca.clone(),
    })
}

fn layout(o: &ProducerOptions, t: &TargetOptions) -> Result<Layout> {
    let format = match t.format.as_deref().unwrap_or("json") {
        "json" => Format::Json,
        "logfmt" => Format::Logfmt,
        "pretty" => Format::Pretty,
        other => return Err(Error::from_reason(format!("unknown format {other:?}"))),
    };
    let time = match o.time_format.as_deref().unwrap_or("epoch") {
        "epoch" => TimeFormat::EpochMs,
        "unix" => TimeFormat::UnixSeconds,
        "iso" => TimeFormat::Iso,
        other => return Err(Error::from_reason(format!("unknown time format {other:?}"))),
    };
    let mut layout = Layout::new(o.message_key.as_deref().unwrap_or("msg"))
        .with_format(format)
        .with_level_key(o.level_key.as_deref().unwrap_or("level"), false)
        .with_time_format(time)
        .with_crlf(o.crlf.unwrap_or(false))
        .with_colour(t.colour.unwrap_or(false))
        .with_min_level(t.min_level.unwrap_or(0))
        .with_below_level(t.below_level.unwrap_or(u32::MAX));
    if let Some(levels) = &o.levels {
        let specs: Vec<LevelSpec> =
            levels.iter().map(|l| LevelSpec { value: l.value, label: l.label.clone(), member: Some(l.member.clone()) }).collect();
        layout = layout.with_levels(&specs);
    }
    Ok(layout)
}

#[napi]
impl NativeProducer {
    #[napi(constructor, catch_unwind)]
    pub fn new(options: ProducerOptions) -> Result<Self> {
        let mut inner = Vec::with_capacity(options.targets.len());
        for target in &options.targets {
            let on_full = match (target.block_while_up, options.drop_when_full) {
                (Some(true), _) => OnFull::BlockWhileUp,
                (_, true) => OnFull::Drop,
                _ => OnFull::Block,
            };
            let dest = destination(target)?;
            let producer = Producer::open(&dest, options.buffer_size as usize, on_full, layout(&options, target)?)
                .map_err(|e| Error::from_reason(format!("cannot open {dest}: {e}")))?;
            inner.push(producer);
        }
        Ok(NativeProducer { inner, closed: false, closed_stats: Vec::new() })
    }

    /// Takes a batch of records: its long strings (`text`, `text_len` UTF-16 units), its short
    /// ones (`chars[0..chars_len]`), its ops (`ops[0..ops_len]`) and numbers
    /// (`nums[0..nums_len]`); see kakashi-core's batch module. Returns how many records were
    /// dropped (0 when queued).
    #[napi(catch_unwind)]
    #[allow(clippy::too_many_arguments)]
    pub fn submit(
        &self,
        env: Env,
        text: JsString,
        text_len: u32,
        chars: Uint16ArraySlice,
        chars_len: u32,
        ops: Uint32ArraySlice,
        ops_len: u32,
        nums: Float64ArraySlice,
        nums_len: u32,
        records: u32,
    ) -> Result<u32> {
        if self.closed {
            return Ok(records);
        }
        let out_of_range = || Error::from_reason("batch length out of range");
        let ops = ops.get(..ops_len as usize).ok_or_else(out_of_range)?;
        let chars = chars.get(..chars_len as usize).ok_or_else(out_of_range)?;
        let nums = nums.get(..nums_len as usize).ok_or_else(out_of_range)?;
        // Into the buffers of a batch a writer is done with, when there is one (kakashi-core's spare).
        let mut batch = kakashi_core::spare::batch();
        // One copy, straight from the V8 string into the buffer the writer will read.
        let cap = text_len as usize + 1;
        batch.text.reserve(cap);
        let mut copied = 0usize;
        let status = unsafe {
            sys::napi_get_value_string_utf16(env.raw(), text.value().value, batch.text.as_mut_ptr(), cap, &mut copied)
        };
        if status != sys::Status::napi_ok {
            return Err(Error::from_reason("cannot read the batch text"));
        }
        // SAFETY: napi wrote `copied` (≤ cap - 1) units into the (empty) vector's room.
        unsafe { batch.text.set_len(copied) };
        batch.chars.extend_from_slice(chars);
        batch.ops.extend_from_slice(ops);
        batch.nums.extend_from_slice(nums);
        batch.records = records;
        let batch = Arc::new(batch);
        let mut dropped = 0;
        for producer in &self.inner {
            if let Submitted::Dropped(n) = producer.submit(batch.clone()) {
                dropped = dropped.max(n);
            }
        }
        Ok(dropped)
    }

    /// Blocks until every submitted record has been handed to the OS, or `timeout_ms` has
    /// passed (for each destination in turn); returns whether everything was written.
    #[napi(catch_unwind)]
    pub fn flush_sync(&self, timeout_ms: Option<f64>) -> bool {
        let limit = timeout_ms.map(|ms| Duration::from_millis(ms.max(0.0) as u64));
        let mut all = true;
        for p in &self.inner {
            all &= p.sink().flush_sync_within(limit);
        }
        all
    }

    /// From now on a full queue (`onFull: 'block'`) waits at most `timeout_ms`, then drops and
    /// counts: set when the process exits.
    #[napi(catch_unwind)]
    pub fn wait_at_most(&self, timeout_ms: f64) {
        for p in &self.inner {
            p.wait_at_most(Duration::from_millis(timeout_ms.max(0.0) as u64));
        }
    }

    /// Records lost on the way to the writers (a batch this binding refused): counted by each
    /// target, and the next batch through is preceded by a notice of them.
    #[napi(catch_unwind)]
    pub fn lose(&self, records: u32) {
        for p in &self.inner {
            p.lose(records);
        }
    }

    /// Resolves once every submitted record has been handed to the OS.
    #[napi(catch_unwind, ts_return_type = "Promise<void>")]
    pub fn flush<'e>(&self, env: &'e Env) -> Result<Object<'e>> {
        fn resolved(_: Env) -> Result<()> {
            Ok(())
        }
        let (deferred, promise) = env.create_deferred::<(), fn(Env) -> Result<()>>()?;
        if self.inner.is_empty() {
            deferred.resolve(resolved);
            return Ok(promise);
        }
        // Resolved by whichever writer finishes last.
        let pending = Arc::new(AtomicUsize::new(self.inner.len()));
        let deferred = Arc::new(Mutex::new(Some(deferred)));
        for p in &self.inner {
            let (pending, deferred) = (pending.clone(), deferred.clone());
            p.sink().flush_then(Box::new(move || {
                if pending.fetch_sub(1, Ordering::AcqRel) == 1 {
                    if let Some(d) = deferred.lock().unwrap_or_else(|e| e.into_inner()).take() {
                        d.resolve(resolved);
                    }
                }
            }));
        }
        Ok(promise)
    }

    /// Writes what is queued, then opens a file destination's path again (after logrotate moved
    /// the file away). A no-op for descriptors and stdout/stderr.
    #[napi(catch_unwind)]
    pub fn reopen(&self) -> Result<()> {
        for p in &self.inner {
            p.sink().reopen().map_err(|e| Error::from_reason(format!("kakashi: reopen failed: {e}")))?;
        }
        Ok(())
    }

    #[napi(catch_unwind)]
    /// One entry per target.
    pub fn stats(&self) -> Vec<NativeStats> {
        let snapshots: Vec<StatsSnapshot> =
            if self.closed { self.closed_stats.iter().map(Counters::snapshot).collect() } else { self.inner.iter().map(Producer::stats).collect() };
        snapshots
            .iter()
            .map(|s| NativeStats {
                written: s.written as f64,
                dropped: s.dropped as f64,
                bytes_written: s.bytes_written as f64,
                errors: s.errors as f64,
                filtered: s.filtered as f64,
                spilled: s.spilled as f64,
                retries: s.retries as f64,
                queued_bytes: s.queued_bytes as f64,
            })
            .collect()
    }

    /// Detaches from the writer; when this was its last user, the writer drains, closes the
    /// destination and ends before this returns. Later submits count as dropped.
    /// Waits at most `timeout_ms` for each destination (one that takes no writes must not hang).
    #[napi(catch_unwind)]
    pub fn close(&mut self, timeout_ms: Option<f64>) {
        if self.closed {
            return;
        }
        self.closed = true;
        let limit = Duration::from_millis(timeout_ms.unwrap_or(2000.0).max(0.0) as u64);
        for p in self.inner.drain(..) {
            // The last records lost are marked too, though nothing follows them.
            p.notice_now();
            p.sink().flush_sync_within(Some(limit));
            p.sink().set_close_limit(limit);
            self.closed_stats.push(p.counters());
        }
    }
}

/// Panics on purpose, so a test can show that a Rust panic becomes a JavaScript error (built with
/// the `test-hooks` feature only: never in a published addon).
#[cfg(feature = "test-hooks")]
#[napi(catch_unwind)]
pub fn panic_for_test() {
    panic!("deliberate panic from kakashi_native.panicForTest");
}

/// This thread's view of the clock a background thread keeps current (kakashi-core's `clock`):
/// an ArrayBuffer over `[now, state, used]` as f64, read by the facade for each record's time.
/// Fails where the runtime allows no external buffers (the facade then calls `Date.now()`).
#[napi(catch_unwind)]
pub fn clock_cells(env: &Env) -> Result<ArrayBuffer<'_>> {
    unsafe extern "C" fn release(_env: sys::napi_env, _data: *mut std::ffi::c_void, hint: *mut std::ffi::c_void) {
        // SAFETY: `hint` is the Box made below, given to exactly one buffer.
        let cells = unsafe { Box::from_raw(hint.cast::<Arc<clock::Cells>>()) };
        clock::unregister(&cells);
    }
    let cells = Box::new(clock::register());
    let data = cells.as_ptr();
    let hint = Box::into_raw(cells);
    let mut value = std::ptr::null_mut();
    // SAFETY: the cells live until `release` runs, when V8 frees the buffer.
    let status = unsafe { sys::napi_create_external_arraybuffer(env.raw(), data.cast(), clock::Cells::BYTES, Some(release), hint.cast(), &mut value) };
    if status != sys::Status::napi_ok {
        // SAFETY: the buffer was not made, so nothing else holds `hint`.
        clock::unregister(&unsafe { *Box::from_raw(hint) });
        return Err(Error::from_reason("the runtime allows no external buffers"));
    }
    // SAFETY: napi made `value` an ArrayBuffer in this env.
    unsafe { ArrayBuffer::from_napi_value(env.raw(), value) }
}

/// Records come fast and the clock was parked: its time is set now and its ticker runs again;
/// false if there is no ticker (the facade then stays with `Date.now()`).
#[napi(catch_unwind)]
pub fn clock_wake() -> bool {
    clock::wake()
}
