//! The napi-rs binding: a thin shell over `kakashi-core`. Every entry point catches panics so
//! none can cross into Node; errors come back as JavaScript exceptions with a clear message.

use napi::bindgen_prelude::*;
use napi::{sys, Env, JsString, JsValue};
use napi_derive::napi;

use kakashi_core::{Batch, Destination, Format, Layout, OnFull, Producer, StatsSnapshot, Submitted};

#[napi(object)]
pub struct ProducerOptions {
    /// 'stdout' | 'stderr' | 'fd' | 'path'
    pub kind: String,
    pub fd: Option<i32>,
    pub path: Option<String>,
    pub mkdir: Option<bool>,
    pub append: Option<bool>,
    pub buffer_size: f64,
    pub drop_when_full: bool,
    /// The key of the message (`msg` by default).
    pub message_key: Option<String>,
    /// 'json' (default) | 'logfmt' | 'pretty'
    pub format: Option<String>,
    /// The key of the level (`level` by default).
    pub level_key: Option<String>,
    /// Write the level as its name (`"level":"info"`).
    pub level_labels: Option<bool>,
    /// JSON members written instead of the level, trace to fatal (`formatters.level`).
    pub level_members: Option<Vec<String>>,
    /// `time` as an ISO 8601 string instead of epoch ms.
    pub iso_time: Option<bool>,
    /// Colour in the pretty format.
    pub colour: Option<bool>,
}

#[napi(object)]
pub struct NativeStats {
    pub written: f64,
    pub dropped: f64,
    pub bytes_written: f64,
    pub errors: f64,
    pub queued_bytes: f64,
}

/// One logger tree's connection to its destination's writer thread.
#[napi]
pub struct NativeProducer {
    inner: Option<Producer>,
    /// What the stats were when closed: records written by then are final.
    closed_stats: StatsSnapshot,
}

fn destination(o: &ProducerOptions) -> Result<Destination> {
    Ok(match o.kind.as_str() {
        "stdout" => Destination::Stdout,
        "stderr" => Destination::Stderr,
        "fd" => Destination::Fd(o.fd.ok_or_else(|| Error::from_reason("fd missing"))?),
        "path" => Destination::Path {
            path: o.path.clone().ok_or_else(|| Error::from_reason("path missing"))?.into(),
            mkdir: o.mkdir.unwrap_or(false),
            append: o.append.unwrap_or(true),
        },
        other => return Err(Error::from_reason(format!("unknown destination kind {other:?}"))),
    })
}

fn layout(o: &ProducerOptions) -> Result<Layout> {
    let format = match o.format.as_deref().unwrap_or("json") {
        "json" => Format::Json,
        "logfmt" => Format::Logfmt,
        "pretty" => Format::Pretty,
        other => return Err(Error::from_reason(format!("unknown format {other:?}"))),
    };
    let mut layout = Layout::new(o.message_key.as_deref().unwrap_or("msg"))
        .with_format(format)
        .with_level_key(o.level_key.as_deref().unwrap_or("level"), o.level_labels.unwrap_or(false))
        .with_iso_time(o.iso_time.unwrap_or(false))
        .with_colour(o.colour.unwrap_or(false));
    if let Some(members) = &o.level_members {
        layout = layout.with_level_members(members);
    }
    Ok(layout)
}

#[napi]
impl NativeProducer {
    #[napi(constructor, catch_unwind)]
    pub fn new(options: ProducerOptions) -> Result<Self> {
        let dest = destination(&options)?;
        let on_full = if options.drop_when_full { OnFull::Drop } else { OnFull::Block };
        let layout = layout(&options)?;
        let producer = Producer::open(&dest, options.buffer_size as usize, on_full, layout)
            .map_err(|e| Error::from_reason(format!("cannot open {dest}: {e}")))?;
        Ok(NativeProducer { inner: Some(producer), closed_stats: StatsSnapshot::default() })
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
        let Some(producer) = &self.inner else { return Ok(records) };
        let out_of_range = || Error::from_reason("batch length out of range");
        let ops = ops.get(..ops_len as usize).ok_or_else(out_of_range)?;
        let chars = chars.get(..chars_len as usize).ok_or_else(out_of_range)?;
        let nums = nums.get(..nums_len as usize).ok_or_else(out_of_range)?;
        // One copy, straight from the V8 string into the buffer the writer will read.
        let cap = text_len as usize + 1;
        let mut units: Vec<u16> = Vec::with_capacity(cap);
        let mut copied = 0usize;
        let status = unsafe {
            sys::napi_get_value_string_utf16(env.raw(), text.value().value, units.as_mut_ptr(), cap, &mut copied)
        };
        if status != sys::Status::napi_ok {
            return Err(Error::from_reason("cannot read the batch text"));
        }
        // SAFETY: napi wrote `copied` (≤ cap - 1) units.
        unsafe { units.set_len(copied) };
        let batch = Batch { text: units, chars: chars.to_vec(), ops: ops.to_vec(), nums: nums.to_vec(), records };
        Ok(match producer.submit(batch) {
            Submitted::Queued => 0,
            Submitted::Dropped(n) => n,
        })
    }

    /// Blocks until every submitted record has been handed to the OS.
    #[napi(catch_unwind)]
    pub fn flush_sync(&self) {
        if let Some(p) = &self.inner {
            p.sink().flush_sync();
        }
    }

    /// Resolves once every submitted record has been handed to the OS.
    #[napi(catch_unwind, ts_return_type = "Promise<void>")]
    pub fn flush<'e>(&self, env: &'e Env) -> Result<Object<'e>> {
        fn resolved(_: Env) -> Result<()> {
            Ok(())
        }
        let (deferred, promise) = env.create_deferred::<(), fn(Env) -> Result<()>>()?;
        match &self.inner {
            Some(p) => p.sink().flush_then(Box::new(move || deferred.resolve(resolved))),
            None => deferred.resolve(resolved),
        }
        Ok(promise)
    }

    /// Writes what is queued, then opens a file destination's path again (after logrotate moved
    /// the file away). A no-op for descriptors and stdout/stderr.
    #[napi(catch_unwind)]
    pub fn reopen(&self) -> Result<()> {
        match &self.inner {
            Some(p) => p.sink().reopen().map_err(|e| Error::from_reason(format!("kakashi: reopen failed: {e}"))),
            None => Ok(()),
        }
    }

    #[napi(catch_unwind)]
    pub fn stats(&self) -> NativeStats {
        let s = self.inner.as_ref().map_or(self.closed_stats, |p| p.stats());
        NativeStats {
            written: s.written as f64,
            dropped: s.dropped as f64,
            bytes_written: s.bytes_written as f64,
            errors: s.errors as f64,
            queued_bytes: s.queued_bytes as f64,
        }
    }

    /// Detaches from the writer; when this was its last user, the writer drains, closes the
    /// destination and ends before this returns. Later submits count as dropped.
    #[napi(catch_unwind)]
    pub fn close(&mut self) {
        if let Some(p) = self.inner.take() {
            p.sink().flush_sync();
            self.closed_stats = p.stats();
        }
    }
}

/// Panics on purpose, so a test can show that a Rust panic becomes a JavaScript error.
#[napi(catch_unwind)]
pub fn panic_for_test() {
    panic!("deliberate panic from kakashi_native.panicForTest");
}
