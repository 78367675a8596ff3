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

const LABELS: [&str; 6] = ["trace", "debug", "info", "warn", "error", "fatal"];
const PRETTY_LABELS: [&str; 6] = ["TRACE", "DEBUG", "INFO ", "WARN ", "ERROR", "FATAL"];
/// SGR colours of the levels in pretty output: grey, cyan, green, yellow, red, magenta.
const COLOURS: [&str; 6] = ["\x1b[90m", "\x1b[36m", "\x1b[32m", "\x1b[33m", "\x1b[31m", "\x1b[35m"];

/// The index of a standard level (10, 20, ... 60) in the tables above.
fn level_index(level: u32) -> Option<usize> {
    (level.is_multiple_of(10) && (10..=60).contains(&level)).then(|| (level / 10 - 1) as usize)
}

fn utf16(s: &str) -> Vec<u16> {
    s.encode_utf16().collect()
}

fn is(k: &[u16], s: &str) -> bool {
    k.iter().copied().eq(s.encode_utf16())
}

/// How a logger tree's lines are laid out: the format and the choices each takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    format: Format,
    /// JSON: `,"msg":`, or the `messageKey` chosen, escaped once here.
    msg_key: Vec<u8>,
    /// logfmt: the message and level keys as written there.
    msg_key_text: Vec<u8>,
    level_key_text: Vec<u8>,
    /// JSON: `{"level":30` and so on for each standard level.
    level_open: Vec<Vec<u8>>,
    iso_time: bool,
    colour: bool,
    /// Records below this level are left out (a target with its own level).
    min_level: u32,
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
            level_key_text: Vec::new(),
            level_open: Vec::new(),
            iso_time: false,
            colour: false,
            min_level: 0,
        }
        .with_level_key("level", false)
    }

    pub fn with_format(mut self, format: Format) -> Layout {
        self.format = format;
        self
    }

    /// The level's key, written as a number (pino's) or, with `labels`, as its name.
    pub fn with_level_key(mut self, key: &str, labels: bool) -> Layout {
        let units = utf16(key);
        self.level_key_text.clear();
        write_value(&mut self.level_key_text, &units);
        self.level_open = (0..6)
            .map(|i| {
                let mut open = vec![b'{'];
                write_str(&mut open, &units);
                open.push(b':');
                if labels {
                    write_str(&mut open, &utf16(LABELS[i]));
                } else {
                    write_number(&mut open, (10 * (i + 1)) as f64);
                }
                open
            })
            .collect();
        self
    }

    /// JSON members written instead of the level for each standard level, trace to fatal
    /// (what `formatters.level` returned, serialized); any other count is ignored.
    pub fn with_level_members(mut self, members: &[String]) -> Layout {
        if members.len() == 6 {
            self.level_open = members.iter().map(|m| [b"{".as_slice(), m.as_bytes()].concat()).collect();
        }
        self
    }

    pub fn with_iso_time(mut self, iso: bool) -> Layout {
        self.iso_time = iso;
        self
    }

    pub fn with_colour(mut self, colour: bool) -> Layout {
        self.colour = colour;
        self
    }

    pub fn with_min_level(mut self, level: u32) -> Layout {
        self.min_level = level;
        self
    }
}

/// Formats every complete record of `batch` into `out`, as `layout` says.
pub fn format(batch: &Batch, layout: &Layout, out: &mut Vec<u8>) -> Formatted {
    match layout.format {
        Format::Json => drive(batch, &mut Json::new(layout), layout.min_level, out),
        Format::Logfmt | Format::Pretty => drive(batch, &mut Text::new(layout), layout.min_level, out),
    }
}

/// One format's way of writing the parts of a record, called in the order the ops come.
trait Lines {
    fn bindings(&mut self, b: &[u16]);
    fn record(&mut self, out: &mut Vec<u8>, level: u32, time: Option<f64>);
    fn key(&mut self, out: &mut Vec<u8>, k: &[u16]);
    /// A value op: `Str`, `Num`, `Bool`, `Null` or `Raw`.
    fn value(&mut self, out: &mut Vec<u8>, v: Op<'_>);
    fn members(&mut self, out: &mut Vec<u8>, m: &[u16]);
    fn msg(&mut self, out: &mut Vec<u8>, m: &[u16]);
    fn end(&mut self, out: &mut Vec<u8>);
}

/// Walks the ops, checking their order, and keeps only complete records in `out`.
fn drive(batch: &Batch, lines: &mut impl Lines, min_level: u32, out: &mut Vec<u8>) -> Formatted {
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
            Op::Record { level, .. } if level < min_level => {
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
}

impl<'l> Json<'l> {
    fn new(layout: &'l Layout) -> Self {
        Json { layout, bindings: Vec::new(), time: f64::NAN, time_text: Vec::new() }
    }
}

impl Lines for Json<'_> {
    fn bindings(&mut self, b: &[u16]) {
        self.bindings.clear();
        write_raw(&mut self.bindings, b);
    }

    fn record(&mut self, out: &mut Vec<u8>, level: u32, time: Option<f64>) {
        match level_index(level) {
            Some(i) => out.extend_from_slice(&self.layout.level_open[i]),
            None => {
                out.extend_from_slice(b"{\"level\":");
                write_number(out, level as f64);
            }
        }
        if let Some(t) = time {
            if t != self.time {
                self.time = t;
                self.time_text.clear();
                if self.layout.iso_time {
                    self.time_text.extend_from_slice(b",\"time\":\"");
                    write_iso(&mut self.time_text, t);
                    self.time_text.push(b'"');
                } else {
                    self.time_text.extend_from_slice(b",\"time\":");
                    write_number(&mut self.time_text, t);
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
        out.extend_from_slice(b"}\n");
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
        let index = level_index(self.level);
        if self.pretty {
            if let Some(t) = self.time {
                write_clock(out, t);
                out.push(b' ');
            }
            let colour = self.layout.colour && index.is_some();
            if colour {
                out.extend_from_slice(COLOURS[index.unwrap_or(0)].as_bytes());
            }
            match index {
                Some(i) => out.extend_from_slice(PRETTY_LABELS[i].as_bytes()),
                None => write_number(out, self.level as f64),
            }
            if colour {
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
            match index {
                Some(i) => out.extend_from_slice(LABELS[i].as_bytes()),
                None => write_number(out, self.level as f64),
            }
            if let Some(t) = self.time {
                out.extend_from_slice(b" time=");
                write_iso(out, t);
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
        out.push(b'\n');
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
        let members: Vec<String> = ["T", "D", "I", "W", "E", "F"].iter().map(|l| format!("\"sev\":\"{l}\"")).collect();
        assert_eq!(json(Layout::default().with_level_members(&members)), "{\"sev\":\"W\",\"time\":1764091801123,\"msg\":\"m\"}\n");
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
