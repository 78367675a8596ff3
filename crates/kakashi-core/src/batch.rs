//! The wire format between the JavaScript facade and the writer.
//!
//! JavaScript captures a record's raw values instead of serializing it. Strings (message, keys,
//! string values, the JSON text of values it cannot capture) go to one of two UTF-16 streams: short ones
//! are copied unit by unit into a reused `Uint16Array` (`chars`), long ones are appended to a
//! JS string (`text`), which costs one rope node instead of a copy. Numbers go to a
//! `Float64Array` (`nums`). A `Uint32Array` of ops says how to read them all: an op is
//! `tag + 16 * stream + 32 * length` (stream 1 = `text`, length in UTF-16 units); a length of
//! `LONG` or more is given in the next op slot instead. `NUM` and `REC` take their number from
//! `nums`. Plain objects and arrays are captured member by member between `OPEN` and `CLOSE`.
//! One batch holds many records and crosses into native code in one call.

/// Op tags. The JavaScript encoder (`src/capture/batch.ts`) writes the same numbers.
pub mod tag {
    /// `BOUND + 32 * n`: the bindings in force become the last `BINDINGS` text followed by the
    /// `n` members (`KEY` value, a value being `STR`, `NUM`, `TRUE`, `FALSE`, `NULL` or `RAW`)
    /// that come next: a child logger's own bindings, captured as values when it was made, so
    /// that a child costs no JSON on the JS thread and its parent's text crosses once a batch.
    pub const BOUND: u8 = 0;
    /// `REC + 32 * level`; its number is the time in epoch ms, or NaN for none.
    pub const REC: u8 = 1;
    /// JSON text of the logger's bindings (`,"pid":1,...`), applying to this and later records.
    pub const BINDINGS: u8 = 2;
    pub const KEY: u8 = 3;
    pub const STR: u8 = 4;
    /// Its number is the value.
    pub const NUM: u8 = 5;
    pub const TRUE: u8 = 6;
    pub const FALSE: u8 = 7;
    pub const NULL: u8 = 8;
    /// JSON text JavaScript already produced (objects, arrays, errors, BigInt).
    pub const RAW: u8 = 9;
    /// The message (see `MSG_AGAIN` for one repeated).
    pub const MSG: u8 = 10;
    pub const END: u8 = 11;
    /// Ready-made JSON members (`,"k":v,...`) of a record whose fields JavaScript had to
    /// serialize one by one (throwing getters, proxies).
    pub const MEMBERS: u8 = 12;
    /// JSON members a custom timestamp function returned (`,"time":"…"`): written in place of
    /// the next record's time.
    pub const TIME: u8 = 13;
    /// A nested plain object (`OPEN`) or array (`OPEN + 32`) captured as ops rather than as JSON
    /// text: its members (`KEY` value) or elements follow, up to the matching `CLOSE`; a value
    /// may itself be an `OPEN`. The writer renders it as the JSON text `JSON.stringify` writes.
    /// `OPEN + 64`, in a message's place, is a printf message whose `%j` objects JavaScript did not
    /// stringify: its parts follow up to `CLOSE` — text (`STR`), JSON text (`RAW`) or a nested
    /// value, whose JSON text goes into the message.
    pub const OPEN: u8 = 14;
    pub const CLOSE: u8 = 15;
}

/// Records captured by one JS thread, as they crossed into native code.
#[derive(Debug, Default, Clone)]
pub struct Batch {
    pub text: Vec<u16>,
    pub chars: Vec<u16>,
    pub ops: Vec<u32>,
    pub nums: Vec<f64>,
    pub records: u32,
}

/// Strings up to this many UTF-16 units go to `chars` (the JavaScript encoder's choice; the
/// decoder reads whichever stream an op names).
pub const SHORT: usize = 24;

/// The batch's previous `MSG` again (`MSG` from the text stream with no units, which the encoder
/// never otherwise writes: a string that short goes to `chars`). A logger logging one message
/// over and over copies it once a batch, not once a record.
pub const MSG_AGAIN: u32 = tag::MSG as u32 + 16;

/// String lengths from here up do not fit an op word: the op says `LONG`, the next slot the length.
pub const LONG: u32 = (1 << 27) - 1;

impl Batch {
    /// Bytes this batch holds while queued: what the bounded queue counts.
    pub fn cost(&self) -> usize {
        (self.text.len() + self.chars.len()) * 2 + self.ops.len() * 4 + self.nums.len() * 8
    }
}

/// Builds batches the way the JavaScript encoder does; for tests and benchmarks of the core.
#[derive(Default)]
pub struct BatchBuilder {
    batch: Batch,
}

impl BatchBuilder {
    fn text_op(&mut self, t: u8, s: &str) -> &mut Self {
        let units: Vec<u16> = s.encode_utf16().collect();
        self.units_text_op(t, &units)
    }

    /// Puts `units` in the stream the JavaScript encoder would choose.
    fn units_text_op(&mut self, t: u8, units: &[u16]) -> &mut Self {
        let long = units.len() > SHORT;
        if long {
            self.batch.text.extend_from_slice(units);
        } else {
            self.batch.chars.extend_from_slice(units);
        }
        let len = units.len() as u32;
        self.batch.ops.push(u32::from(t) + 16 * u32::from(long) + 32 * len.min(LONG));
        if len >= LONG {
            self.batch.ops.push(len);
        }
        self
    }

    fn units_op(&mut self, t: u8, len: u32) -> &mut Self {
        self.batch.ops.push(u32::from(t) + 32 * len);
        self
    }

    pub fn record(&mut self, level: u32, time: Option<f64>) -> &mut Self {
        self.batch.nums.push(time.unwrap_or(f64::NAN));
        self.units_op(tag::REC, level)
    }
    pub fn bindings(&mut self, json: &str) -> &mut Self {
        self.text_op(tag::BINDINGS, json)
    }
    /// `n` bound members follow (see `tag::BOUND`).
    pub fn bound(&mut self, n: u32) -> &mut Self {
        self.units_op(tag::BOUND, n)
    }
    pub fn key(&mut self, k: &str) -> &mut Self {
        self.text_op(tag::KEY, k)
    }
    pub fn str(&mut self, v: &str) -> &mut Self {
        self.text_op(tag::STR, v)
    }
    /// A string value given as raw UTF-16 units (lone surrogates included).
    pub fn str_units(&mut self, v: &[u16]) -> &mut Self {
        self.units_text_op(tag::STR, v)
    }
    pub fn num(&mut self, v: f64) -> &mut Self {
        self.batch.nums.push(v);
        self.units_op(tag::NUM, 0)
    }
    pub fn bool(&mut self, v: bool) -> &mut Self {
        self.units_op(if v { tag::TRUE } else { tag::FALSE }, 0)
    }
    pub fn null(&mut self) -> &mut Self {
        self.units_op(tag::NULL, 0)
    }
    pub fn raw(&mut self, json: &str) -> &mut Self {
        self.text_op(tag::RAW, json)
    }
    pub fn open_object(&mut self) -> &mut Self {
        self.units_op(tag::OPEN, 0)
    }
    pub fn open_array(&mut self) -> &mut Self {
        self.units_op(tag::OPEN, 1)
    }
    /// A printf message's parts follow, up to `close()` (see `tag::OPEN`).
    pub fn template(&mut self) -> &mut Self {
        self.units_op(tag::OPEN, 2)
    }
    pub fn close(&mut self) -> &mut Self {
        self.units_op(tag::CLOSE, 0)
    }
    pub fn members(&mut self, json: &str) -> &mut Self {
        self.text_op(tag::MEMBERS, json)
    }
    pub fn time(&mut self, members: &str) -> &mut Self {
        self.text_op(tag::TIME, members)
    }
    pub fn msg(&mut self, m: &str) -> &mut Self {
        self.text_op(tag::MSG, m)
    }
    /// The previous message again (`MSG_AGAIN`).
    pub fn msg_again(&mut self) -> &mut Self {
        self.batch.ops.push(MSG_AGAIN);
        self
    }
    pub fn end(&mut self) -> &mut Self {
        self.batch.records += 1;
        self.units_op(tag::END, 0)
    }
    pub fn build(&mut self) -> Batch {
        std::mem::take(&mut self.batch)
    }
}
