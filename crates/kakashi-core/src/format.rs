//! Turns a batch into lines. JSON (NDJSON) uses pino's keys and order: `level`, `time`,
//! bindings (`pid`, `hostname`, `name`, child bindings), fields, `msg`. logfmt and pretty are
//! for people and for platforms that read logfmt; their pieces are in `text`.

use crate::batch::{Batch, Malformed, Op};
use crate::json::{write_number, write_raw, write_str};
use crate::text::{for_each_member, unescape, write_clock, write_escaped, write_iso, write_value, Member};

/// What formatting a batch produced: complete lines are always left in `out`; a malformed
/// batch (a facade bug, never user input) stops at the last complete record.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Formatted {
    pub records: u32,
    /// Records below the layout's `min_level`, left out.
    pub skipped: u32,
    pub error: Option<Malformed>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    /// `level=info time=2026-01-01T00:00:00.000Z msg="…" key=value`
    Logfmt,
    /// `00:00:00.000 INFO  name: message key=value`, colour optional.
    Pretty,
}

/// The standard levels, pino's: what a layout knows unless it is given others.
const STANDARD: [(u32, &str); 6] = [(10, "trace"), (20, "debug"), (30, "info"), (40, "warn"), (50, "error"), (60, "fatal")];
/// SGR colours of the standard levels in pretty output: grey, cyan, green, yellow, red, magenta.
const COLOURS: [&str; 6] = ["\x1b[90m", "\x1b[36m", "\x1b[32m", "\x1b[33m", "\x1b[31m", "\x1b[35m"];

fn utf16(s: &str) -> Vec<u16> {
    s.encode_utf16().collect()
}

fn is(k: &[u16], s: &str) -> bool {
    k.iter().copied().eq(s.encode_utf16())
}

/// A level a logger tree knows (the standard six, or its custom levels), with how each format
/// writes it, made once per layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelSpec {
    pub value: u32,
    pub label: String,
    /// JSON members written in place of the level (`"level":30`, `"level":"info"`, or what
    /// `formatters.level` returned), without the leading comma; `None` for `"<levelKey>":<value>`.
    pub member: Option<String>,
}

impl LevelSpec {
    pub fn new(value: u32, label: &str) -> LevelSpec {
        LevelSpec { value, label: label.to_owned(), member: None }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct LevelText {
    value: u32,
    /// JSON: `{"level":30` (the record's opening).
    open: Vec<u8>,
    /// logfmt: the label as a value.
    label: Vec<u8>,
    /// pretty: the label in capitals, padded to five columns.
    pretty: Vec<u8>,
    colour: Option<&'static str>,
}

/// How `time` is written in JSON (logfmt and pretty always show a UTC ISO time or clock).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TimeFormat {
    /// Epoch milliseconds, pino's default (`stdTimeFunctions.epochTime`).
    #[default]
    EpochMs,
    /// Epoch seconds, rounded (`stdTimeFunctions.unixTime`).
    UnixSeconds,
    /// `"2026-11-25T17:30:01.123Z"` (`stdTimeFunctions.isoTime`).
    Iso,
}

/// How a logger tree's lines are laid out: the format and the choices each takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    format: Format,
    /// JSON: `,"msg":`, or the `messageKey` chosen, escaped once here.
    msg_key: Vec<u8>,
    /// logfmt: the message and level keys as written there.
    msg_key_text: Vec<u8>,
    level_key: Vec<u16>,
    level_key_text: Vec<u8>,
    /// Every level the logger tree knows, in each format's words.
    levels: Vec<LevelText>,
    time: TimeFormat,
    colour: bool,
    /// `\n`, or `\r\n` (pino's `crlf`).
    eol: &'static [u8],
    /// Records below this level are left out (a target with its own level), and records at
    /// `below_level` or above (pino.multistream's dedupe: a higher target takes them).
    min_level: u32,
    below_level: u32,
}

impl Default for Layout {
    fn default() -> Self {
        Layout::new("msg")
    }
}

impl Layout {
    pub fn new(message_key: &str) -> Layout {
        let units = utf16(message_key);
        let mut msg_key = vec![b','];
        write_str(&mut msg_key, &units);
        msg_key.push(b':');
        let mut msg_key_text = Vec::new();
        write_value(&mut msg_key_text, &units);
        Layout {
            format: Format::Json,
            msg_key,
            msg_key_text,
            level_key: Vec::new(),
            level_key_text: Vec::new(),
            levels: Vec::new(),
            time: TimeFormat::EpochMs,
            colour: false,
            eol: b"\n",
            min_level: 0,
            below_level: u32::MAX,
        }
        .with_level_key("level", false)
    }

    pub fn with_format(mut self, format: Format) -> Layout {
        self.format = format;
        self
    }

    /// The standard levels under `key`, written as numbers (pino's) or, with `labels`, as names.
    pub fn with_level_key(mut self, key: &str, labels: bool) -> Layout {
        self.level_key = utf16(key);
        self.level_key_text.clear();
        write_value(&mut self.level_key_text, &self.level_key);
        let mut specs: Vec<LevelSpec> = STANDARD.iter().map(|&(v, l)| LevelSpec::new(v, l)).collect();
        if labels {
            for spec in &mut specs {
                let mut member = Vec::new();
                write_str(&mut member, &self.level_key);
                member.push(b':');
                write_str(&mut member, &utf16(&spec.label));
                spec.member = String::from_utf8(member).ok();
            }
        }
        self.with_levels(&specs)
    }

    /// The levels this logger tree knows (standard, custom, or only custom), each with the
    /// JSON members written in its place; a level not listed is written as its number.
    pub fn with_levels(mut self, specs: &[LevelSpec]) -> Layout {
        self.levels = specs
            .iter()
            .map(|spec| {
                let mut open = vec![b'{'];
                match &spec.member {
                    Some(m) => open.extend_from_slice(m.as_bytes()),
                    None => {
                        write_str(&mut open, &self.level_key);
                        open.push(b':');
                        write_number(&mut open, f64::from(spec.value));
                    }
                }
                let mut label = Vec::new();
                write_value(&mut label, &utf16(&spec.label));
                let mut pretty = Vec::new();
                write_escaped(&mut pretty, &utf16(&format!("{:<5}", spec.label.to_uppercase())), false);
                // Custom levels are shown uncoloured: no colour says what they mean.
                let colour = STANDARD.iter().position(|s| *s == (spec.value, spec.label.as_str())).map(|i| COLOURS[i]);
                LevelText { value: spec.value, open, label, pretty, colour }
            })
            .collect();
        self
    }

    fn level(&self, value: u32) -> Option<&LevelText> {
        self.levels.iter().find(|l| l.value == value)
    }

    pub fn with_time_format(mut self, time: TimeFormat) -> Layout {
        self.time = time;
        self
    }

    pub fn with_iso_time(self, iso: bool) -> Layout {
        self.with_time_format(if iso { TimeFormat::Iso } else { TimeFormat::EpochMs })
    }

    pub fn with_colour(mut self, colour: bool) -> Layout {
        self.colour = colour;
        self
    }

    /// Lines end with `\r\n` instead of `\n` (pino's `crlf`).
    pub fn with_crlf(mut self, crlf: bool) -> Layout {
        self.eol = if crlf { b"\r\n" } else { b"\n" };
        self
    }

    pub fn with_min_level(mut self, level: u32) -> Layout {
        self.min_level = level;
        self
    }

    /// Records at this level or above are left out too.
    pub fn with_below_level(mut self, level: u32) -> Layout {
        self.below_level = level;
        self
    }
}

/// Formats every complete record of `batch` into `out`, as `layout` says.
pub fn format(batch: &Batch, layout: &Layout, out: &mut Vec<u8>) -> Formatted {
    match layout.format {
        Format::Json => drive(batch, &mut Json::new(layout), layout, out),
        Format::Logfmt | Format::Pretty => drive(batch, &mut Text::new(layout), layout, out),
    }
}

/// One format's way of writing the parts of a record, called in the order the ops come.
trait Lines {
    fn bindings(&mut self, b: &[u16]);
    /// A custom timestamp's members (`,"time":…`), written in place of the next record's time.
    fn time(&mut self, t: &[u16]);
    fn record(&mut self, out: &mut Vec<u8>, level: u32, time: Option<f64>);
    fn key(&mut self, out: &mut Vec<u8>, k: &[u16]);
    /// A value op: `Str`, `Num`, `Bool`, `Null` or `Raw`.
    fn value(&mut self, out: &mut Vec<u8>, v: Op<'_>);
    fn members(&mut self, out: &mut Vec<u8>, m: &[u16]);
    fn msg(&mut self, out: &mut Vec<u8>, m: &[u16]);
    fn end(&mut self, out: &mut Vec<u8>);
}

/// Walks the ops, checking their order, and keeps only complete records in `out`.
fn drive(batch: &Batch, lines: &mut impl Lines, layout: &Layout, out: &mut Vec<u8>) -> Formatted {
    let (min_level, below_level) = (layout.min_level, layout.below_level);
    let mut done = Formatted::default();
    let mut committed = out.len();
    let mut in_record = false;
    let mut expect_value = false;
    // Inside a record below `min_level`: its ops are read (to stay in step) but not written.
    let mut skipping = false;
    for (index, op) in batch.ops().enumerate() {
        let op = match op {
            Ok(op) => op,
            Err(e) => {
                done.error = Some(e);
                break;
            }
        };
        if skipping {
            if op == Op::End {
                skipping = false;
                done.skipped += 1;
            }
            continue;
        }
        let ok = match op {
            Op::Bindings(b) => {
                lines.bindings(b);
                !in_record
            }
            Op::Time(t) => {
                lines.time(t);
                !in_record
            }
            Op::Record { level, .. } if level < min_level || level >= below_level => {
                skipping = true;
                !in_record
            }
            Op::Record { level, time } => {
                lines.record(out, level, time);
                !std::mem::replace(&mut in_record, true)
            }
            Op::Key(k) => {
                lines.key(out, k);
                in_record && !std::mem::replace(&mut expect_value, true)
            }
            Op::Str(_) | Op::Num(_) | Op::Bool(_) | Op::Null | Op::Raw(_) => {
                lines.value(out, op);
                std::mem::replace(&mut expect_value, false)
            }
            Op::Members(m) => {
                lines.members(out, m);
                in_record && !expect_value
            }
            Op::Msg(m) => {
                lines.msg(out, m);
                in_record && !expect_value
            }
            Op::End => {
                let ok = in_record && !expect_value;
                if ok {
                    lines.end(out);
                    committed = out.len();
                    done.records += 1;
                    in_record = false;
                }
                ok
            }
        };
        if !ok {
            done.error = Some(Malformed { at_op: index });
            break;
        }
    }
    if done.error.is_none() && in_record {
        done.error = Some(Malformed { at_op: batch.ops.len() });
    }
    if done.error.is_some() {
        out.truncate(committed);
    }
    done
}

struct Json<'l> {
    layout: &'l Layout,
    /// Bindings stay in force across records and timestamps repeat within a millisecond:
    /// both are turned into bytes once and copied after that.
    bindings: Vec<u8>,
    time: f64,
    time_text: Vec<u8>,
    /// A custom timestamp function's members for the next record.
    custom_time: Vec<u8>,
    has_custom_time: bool,
}

impl<'l> Json<'l> {
    fn new(layout: &'l Layout) -> Self {
        Json { layout, bindings: Vec::new(), time: f64::NAN, time_text: Vec::new(), custom_time: Vec::new(), has_custom_time: false }
    }
}

impl Lines for Json<'_> {
    fn bindings(&mut self, b: &[u16]) {
        self.bindings.clear();
        write_raw(&mut self.bindings, b);
    }

    fn time(&mut self, t: &[u16]) {
        self.custom_time.clear();
        write_raw(&mut self.custom_time, t);
        self.has_custom_time = true;
    }

    fn record(&mut self, out: &mut Vec<u8>, level: u32, time: Option<f64>) {
        match self.layout.level(level) {
            Some(l) => out.extend_from_slice(&l.open),
            None => {
                out.push(b'{');
                write_str(out, &self.layout.level_key);
                out.push(b':');
                write_number(out, f64::from(level));
            }
        }
        if std::mem::take(&mut self.has_custom_time) {
            out.extend_from_slice(&self.custom_time);
        } else if let Some(t) = time {
            if t != self.time {
                self.time = t;
                self.time_text.clear();
                match self.layout.time {
                    TimeFormat::Iso => {
                        self.time_text.extend_from_slice(b",\"time\":\"");
                        write_iso(&mut self.time_text, t);
                        self.time_text.push(b'"');
                    }
                    TimeFormat::EpochMs => {
                        self.time_text.extend_from_slice(b",\"time\":");
                        write_number(&mut self.time_text, t);
                    }
                    TimeFormat::UnixSeconds => {
                        self.time_text.extend_from_slice(b",\"time\":");
                        // Math.round(ms / 1000), as pino's unixTime.
                        write_number(&mut self.time_text, (t / 1000.0 + 0.5).floor());
                    }
                }
            }
            out.extend_from_slice(&self.time_text);
        }
        out.extend_from_slice(&self.bindings);
    }

    fn key(&mut self, out: &mut Vec<u8>, k: &[u16]) {
        out.push(b',');
        write_str(out, k);
        out.push(b':');
    }

    fn value(&mut self, out: &mut Vec<u8>, v: Op<'_>) {
        match v {
            Op::Str(s) => write_str(out, s),
            Op::Num(v) => write_number(out, v),
            Op::Bool(true) => out.extend_from_slice(b"true"),
            Op::Bool(false) => out.extend_from_slice(b"false"),
            Op::Raw(s) => write_raw(out, s),
            _ => out.extend_from_slice(b"null"),
        }
    }

    fn members(&mut self, out: &mut Vec<u8>, m: &[u16]) {
        write_raw(out, m);
    }

    fn msg(&mut self, out: &mut Vec<u8>, m: &[u16]) {
        out.extend_from_slice(&self.layout.msg_key);
        write_str(out, m);
    }

    fn end(&mut self, out: &mut Vec<u8>) {
        out.push(b'}');
        out.extend_from_slice(self.layout.eol);
    }
}

/// logfmt and pretty: the message comes before the fields there, so a record's parts are
/// gathered and laid out at its end.
struct Text<'l> {
    layout: &'l Layout,
    pretty: bool,
    /// The bindings as ` key=value` pairs (pretty: without pid, hostname and name).
    bindings: Vec<u8>,
    /// pretty: the `name` binding, shown before the message.
    name: Vec<u8>,
    level: u32,
    time: Option<f64>,
    /// A custom timestamp's members as ` key=value` pairs, for the next record.
    custom_time: Option<Vec<u8>>,
    fields: Vec<u8>,
    msg: Option<Vec<u8>>,
}

impl<'l> Text<'l> {
    fn new(layout: &'l Layout) -> Self {
        Text {
            layout,
            pretty: layout.format == Format::Pretty,
            bindings: Vec::new(),
            name: Vec::new(),
            level: 0,
            time: None,
            custom_time: None,
            fields: Vec::new(),
            msg: None,
        }
    }

    fn write_key(&self, into: &mut Vec<u8>, k: &[u16]) {
        into.push(b' ');
        let dim = self.pretty && self.layout.colour;
        if dim {
            into.extend_from_slice(b"\x1b[2m");
        }
        write_value(into, k);
        into.push(b'=');
        if dim {
            into.extend_from_slice(b"\x1b[22m");
        }
    }

    /// JSON text of a nested value: quoted as any other logfmt value; shown as it is (controls
    /// escaped) in pretty output. An object whose JSON is a string (a Date, a URL, anything with
    /// a string `toJSON`) is that string, as the JS engine reads it back.
    fn write_raw_value(&self, into: &mut Vec<u8>, raw: &[u16]) {
        if raw.first() == Some(&(b'"' as u16)) {
            let mut s = Vec::new();
            unescape(raw, &mut s);
            write_value(into, &s);
        } else if self.pretty {
            write_escaped(into, raw, false);
        } else {
            write_value(into, raw);
        }
    }

    fn write_members(&self, into: &mut Vec<u8>, text: &[u16], mut name: Option<&mut Vec<u8>>) {
        for_each_member(text, |k, v| {
            if let Some(name) = name.as_deref_mut() {
                if let Member::Str(s) = v {
                    if is(k, "name") {
                        name.clear();
                        write_escaped(name, s, false);
                        return;
                    }
                }
                if is(k, "pid") || is(k, "hostname") {
                    return;
                }
            }
            self.write_key(into, k);
            match v {
                Member::Str(s) => write_value(into, s),
                Member::Raw(r) => self.write_raw_value(into, r),
            }
        });
    }
}

impl Lines for Text<'_> {
    fn bindings(&mut self, b: &[u16]) {
        let (mut bindings, mut name) = (Vec::new(), Vec::new());
        self.write_members(&mut bindings, b, self.pretty.then_some(&mut name));
        self.bindings = bindings;
        self.name = name;
    }

    fn time(&mut self, t: &[u16]) {
        let mut pairs = Vec::new();
        self.write_members(&mut pairs, t, None);
        self.custom_time = Some(pairs);
    }

    fn record(&mut self, _out: &mut Vec<u8>, level: u32, time: Option<f64>) {
        self.level = level;
        self.time = time;
        self.fields.clear();
        self.msg = None;
    }

    fn key(&mut self, _out: &mut Vec<u8>, k: &[u16]) {
        let mut fields = std::mem::take(&mut self.fields);
        self.write_key(&mut fields, k);
        self.fields = fields;
    }

    fn value(&mut self, _out: &mut Vec<u8>, v: Op<'_>) {
        let mut fields = std::mem::take(&mut self.fields);
        match v {
            Op::Str(s) => write_value(&mut fields, s),
            Op::Num(n) => write_number(&mut fields, n),
            Op::Bool(true) => fields.extend_from_slice(b"true"),
            Op::Bool(false) => fields.extend_from_slice(b"false"),
            Op::Raw(r) => self.write_raw_value(&mut fields, r),
            _ => fields.extend_from_slice(b"null"),
        }
        self.fields = fields;
    }

    fn members(&mut self, _out: &mut Vec<u8>, m: &[u16]) {
        let mut fields = std::mem::take(&mut self.fields);
        self.write_members(&mut fields, m, None);
        self.fields = fields;
    }

    fn msg(&mut self, _out: &mut Vec<u8>, m: &[u16]) {
        let mut text = Vec::new();
        if self.pretty {
            write_escaped(&mut text, m, false);
        } else {
            write_value(&mut text, m);
        }
        self.msg = Some(text);
    }

    fn end(&mut self, out: &mut Vec<u8>) {
        let level = self.layout.level(self.level);
        let custom_time = self.custom_time.take();
        if self.pretty {
            if let Some(t) = self.time {
                write_clock(out, t);
                out.push(b' ');
            } else if let Some(pairs) = &custom_time {
                // The pairs start with a space; the line must not.
                out.extend_from_slice(pairs.strip_prefix(b" ").unwrap_or(pairs));
                out.push(b' ');
            }
            let colour = self.layout.colour.then(|| level.and_then(|l| l.colour)).flatten();
            if let Some(c) = colour {
                out.extend_from_slice(c.as_bytes());
            }
            match level {
                Some(l) => out.extend_from_slice(&l.pretty),
                None => write_number(out, f64::from(self.level)),
            }
            if colour.is_some() {
                out.extend_from_slice(b"\x1b[39m");
            }
            if !self.name.is_empty() {
                out.push(b' ');
                out.extend_from_slice(&self.name);
                out.push(b':');
            }
            if let Some(m) = &self.msg {
                out.push(b' ');
                out.extend_from_slice(m);
            }
        } else {
            out.extend_from_slice(&self.layout.level_key_text);
            out.push(b'=');
            match level {
                Some(l) => out.extend_from_slice(&l.label),
                None => write_number(out, f64::from(self.level)),
            }
            if let Some(t) = self.time {
                out.extend_from_slice(b" time=");
                write_iso(out, t);
            } else if let Some(pairs) = &custom_time {
                out.extend_from_slice(pairs);
            }
            if let Some(m) = &self.msg {
                out.push(b' ');
                out.extend_from_slice(&self.layout.msg_key_text);
                out.push(b'=');
                out.extend_from_slice(m);
            }
        }
        out.extend_from_slice(&self.bindings);
        out.extend_from_slice(&self.fields);
        out.extend_from_slice(self.layout.eol);
    }
}

#[cfg(test)]
#[allow(clippy::approx_constant)] // 3.14 is test data, not pi
mod tests {
    use super::*;
    use crate::batch::BatchBuilder;

    fn lines(batch: &Batch) -> (String, Formatted) {
        let mut out = Vec::new();
        let f = format(batch, &Layout::default(), &mut out);
        (String::from_utf8(out).unwrap(), f)
    }

    #[test]
    fn formats_a_record_in_pinos_key_order() {
        let batch = BatchBuilder::default()
            .bindings(r#","pid":42,"hostname":"box","name":"app""#)
            .record(30, Some(1700000000123.0))
            .key("a").num(1.0)
            .key("b").str("two")
            .key("c").bool(true)
            .key("d").num(3.14)
            .key("e").null()
            .key("f").raw(r#"{"x":[1,2]}"#)
            .members(r#","g":"[Throws]""#)
            .msg("hello world")
            .end()
            .build();
        let (text, f) = lines(&batch);
        assert_eq!(
            text,
            "{\"level\":30,\"time\":1700000000123,\"pid\":42,\"hostname\":\"box\",\"name\":\"app\",\"a\":1,\"b\":\"two\",\"c\":true,\"d\":3.14,\"e\":null,\"f\":{\"x\":[1,2]},\"g\":\"[Throws]\",\"msg\":\"hello world\"}\n"
        );
        assert_eq!(f, Formatted { records: 1, skipped: 0, error: None });
    }

    #[test]
    fn the_message_key_is_configurable() {
        let batch = BatchBuilder::default().record(30, None).msg("hi").end().build();
        let mut out = Vec::new();
        format(&batch, &Layout::new("message\n"), &mut out);
        assert_eq!(String::from_utf8(out).unwrap(), "{\"level\":30,\"message\\n\":\"hi\"}\n");
    }

    fn sample() -> Batch {
        BatchBuilder::default()
            .bindings(r#","pid":42,"hostname":"box","name":"app","region":"eu west""#)
            .record(30, Some(1764091801123.0))
            .key("a").num(1.0)
            .key("b").str("two words")
            .key("c\n").bool(true)
            .key("o").raw(r#"{"x":"\u001b[31m"}"#)
            .members(r#","g":"[Throws]""#)
            .msg("hello\nworld \u{1b}[2J")
            .end()
            .record(50, None).end()
            .build()
    }

    fn text(layout: Layout) -> String {
        let mut out = Vec::new();
        let f = format(&sample(), &layout, &mut out);
        assert_eq!(f, Formatted { records: 2, skipped: 0, error: None });
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn logfmt_puts_level_time_and_message_first_and_quotes_what_needs_it() {
        assert_eq!(
            text(Layout::new("msg").with_format(Format::Logfmt)),
            "level=info time=2025-11-25T17:30:01.123Z msg=\"hello\\nworld \\u001b[2J\" pid=42 hostname=box name=app region=\"eu west\" a=1 b=\"two words\" \"c\\n\"=true o=\"{\\\"x\\\":\\\"\\\\u001b[31m\\\"}\" g=[Throws]\n\
             level=error pid=42 hostname=box name=app region=\"eu west\"\n"
        );
    }

    #[test]
    fn pretty_shows_clock_level_name_message_then_fields_with_controls_escaped() {
        assert_eq!(
            text(Layout::new("msg").with_format(Format::Pretty)),
            "17:30:01.123 INFO  app: hello\\nworld \\u001b[2J region=\"eu west\" a=1 b=\"two words\" \"c\\n\"=true o={\"x\":\"\\u001b[31m\"} g=[Throws]\n\
             ERROR app: region=\"eu west\"\n"
        );
        let coloured = text(Layout::new("msg").with_format(Format::Pretty).with_colour(true));
        assert!(coloured.starts_with("17:30:01.123 \x1b[32mINFO \x1b[39m app: hello"), "{coloured}");
        assert!(coloured.contains(" \x1b[2ma=\x1b[22m1"));
    }

    #[test]
    fn a_nested_value_whose_json_is_a_string_is_that_string() {
        let batch = BatchBuilder::default().record(30, None).key("at").raw("\"1970-01-01T00:00:00.000Z\"").key("u").raw("\"a b\"").end().build();
        for kind in [Format::Logfmt, Format::Pretty] {
            let mut out = Vec::new();
            format(&batch, &Layout::default().with_format(kind), &mut out);
            assert!(String::from_utf8(out).unwrap().ends_with(" at=1970-01-01T00:00:00.000Z u=\"a b\"\n"));
        }
    }

    #[test]
    fn json_takes_iso_times_level_labels_and_formatted_levels() {
        let batch = BatchBuilder::default().record(40, Some(1764091801123.0)).msg("m").end().build();
        let json = |layout: Layout| {
            let mut out = Vec::new();
            format(&batch, &layout, &mut out);
            String::from_utf8(out).unwrap()
        };
        assert_eq!(json(Layout::default().with_iso_time(true)), "{\"level\":40,\"time\":\"2025-11-25T17:30:01.123Z\",\"msg\":\"m\"}\n");
        assert_eq!(json(Layout::default().with_level_key("severity", true)), "{\"severity\":\"warn\",\"time\":1764091801123,\"msg\":\"m\"}\n");
        let specs: Vec<LevelSpec> = STANDARD
            .iter()
            .map(|&(v, l)| LevelSpec { member: Some(format!("\"sev\":\"{}\"", &l[..1].to_uppercase())), ..LevelSpec::new(v, l) })
            .collect();
        assert_eq!(json(Layout::default().with_levels(&specs)), "{\"sev\":\"W\",\"time\":1764091801123,\"msg\":\"m\"}\n");
        assert_eq!(json(Layout::default().with_time_format(TimeFormat::UnixSeconds)), "{\"level\":40,\"time\":1764091801,\"msg\":\"m\"}\n");
        assert_eq!(json(Layout::default().with_crlf(true)), "{\"level\":40,\"time\":1764091801123,\"msg\":\"m\"}\r\n");
    }

    #[test]
    fn custom_levels_are_written_by_value_in_json_and_by_label_in_text() {
        let batch = BatchBuilder::default()
            .record(35, Some(1764091801500.0)).msg("custom").end()
            .record(30, None).msg("std").end()
            .record(99, None).msg("unknown").end()
            .build();
        let levels = [LevelSpec::new(35, "audit"), LevelSpec::new(30, "info")];
        let run = |format_: Format| {
            let mut out = Vec::new();
            let layout = Layout::default().with_levels(&levels).with_format(format_).with_colour(true);
            assert_eq!(format(&batch, &layout, &mut out).records, 3);
            String::from_utf8(out).unwrap()
        };
        assert_eq!(run(Format::Json), "{\"level\":35,\"time\":1764091801500,\"msg\":\"custom\"}\n{\"level\":30,\"msg\":\"std\"}\n{\"level\":99,\"msg\":\"unknown\"}\n");
        assert_eq!(run(Format::Logfmt), "level=audit time=2025-11-25T17:30:01.500Z msg=custom\nlevel=info msg=std\nlevel=99 msg=unknown\n");
        assert_eq!(run(Format::Pretty), "17:30:01.500 AUDIT custom\n\x1b[32mINFO \x1b[39m std\n99 unknown\n");
    }

    #[test]
    fn a_custom_timestamp_takes_the_place_of_the_next_records_time() {
        let batch = BatchBuilder::default()
            .time(",\"t\":\"now\"").record(30, None).msg("a").end()
            .record(30, None).msg("b").end()
            .build();
        let run = |format_: Format| {
            let mut out = Vec::new();
            format(&batch, &Layout::default().with_format(format_), &mut out);
            String::from_utf8(out).unwrap()
        };
        assert_eq!(run(Format::Json), "{\"level\":30,\"t\":\"now\",\"msg\":\"a\"}\n{\"level\":30,\"msg\":\"b\"}\n");
        assert_eq!(run(Format::Logfmt), "level=info t=now msg=a\nlevel=info msg=b\n");
        assert_eq!(run(Format::Pretty), "t=now INFO  a\nINFO  b\n");
    }

    #[test]
    fn records_below_the_minimum_level_are_left_out() {
        let batch = BatchBuilder::default()
            .record(20, None).key("a").raw("{\"x\":1}").msg("debug").end()
            .record(50, None).msg("error").end()
            .record(30, None).members(",\"m\":1").end()
            .build();
        let mut out = Vec::new();
        let f = format(&batch, &Layout::default().with_min_level(30), &mut out);
        assert_eq!(String::from_utf8(out).unwrap(), "{\"level\":50,\"msg\":\"error\"}\n{\"level\":30,\"m\":1}\n");
        assert_eq!(f, Formatted { records: 2, skipped: 1, error: None });
    }

    #[test]
    fn bindings_are_sticky_and_time_optional() {
        let batch = BatchBuilder::default()
            .bindings(r#","a":1"#)
            .record(30, None).msg("one").end()
            .record(40, None).end()
            .bindings("")
            .record(50, None).key("k\n").str("v\"").end()
            .build();
        let (text, f) = lines(&batch);
        assert_eq!(
            text,
            "{\"level\":30,\"a\":1,\"msg\":\"one\"}\n{\"level\":40,\"a\":1}\n{\"level\":50,\"k\\n\":\"v\\\"\"}\n"
        );
        assert_eq!(f.records, 3);
    }

    #[test]
    fn hostile_strings_never_break_the_line() {
        let batch = BatchBuilder::default()
            .record(30, None)
            .key("x").str_units(&[0x0A, 0x0D, 0xD800, 0x1B, 0x2028, 0])
            .msg("a\nb")
            .end()
            .build();
        let (text, _) = lines(&batch);
        assert_eq!(text.matches('\n').count(), 1);
        assert!(text.ends_with("}\n"));
        assert_eq!(text, "{\"level\":30,\"x\":\"\\n\\r\\ud800\\u001b\u{2028}\\u0000\",\"msg\":\"a\\nb\"}\n");
    }

    #[test]
    fn malformed_batches_keep_only_complete_records() {
        // A truncated record: its partial line must not reach the output.
        let mut batch = BatchBuilder::default()
            .record(30, None).msg("ok").end()
            .record(30, None).key("a")
            .build();
        let (text, f) = lines(&batch);
        assert_eq!(text, "{\"level\":30,\"msg\":\"ok\"}\n");
        assert_eq!(f.records, 1);
        assert!(f.error.is_some());

        // A length that runs past the text.
        batch = BatchBuilder::default().record(30, None).msg("ok").end().build();
        batch.ops[1] = 10 + 32 * 1000;
        let (text, f) = lines(&batch);
        assert_eq!(text, "");
        assert_eq!(f.records, 0);
        assert!(f.error.is_some());

        // An unknown tag, a value without a key, NaN where an op belongs.
        for bad in [15, 0, 4, 4 + 16 + 32, 1 + 32 * 30] {
            let mut b = BatchBuilder::default().record(30, None).msg("ok").end().record(30, None).build();
            b.ops.push(bad);
            b.ops.push(11);
            b.records += 1;
            let (text, f) = lines(&b);
            assert_eq!(text, "{\"level\":30,\"msg\":\"ok\"}\n", "bad op {bad}");
            assert_eq!(f.records, 1, "bad op {bad}");
        }
    }
}
