//! syslog: each record as an RFC 5424 message whose MSG is the record's JSON line (pino's keys),
//! framed by RFC 6587 octet counting (`LEN SP MSG`). TCP and TLS send the frames as they are;
//! UDP and RELP take one message per frame.
//!
//! `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID - SD MSG`: PRI is facility × 8 + the level's
//! severity (trace and debug 7, info 6, warn 4, error 3, fatal 2; a custom level takes the
//! severity of the standard level below it); TIMESTAMP the record's time in UTC with ms; SD an
//! `[opentelemetry trace_id="…" span_id="…" trace_flags="…"]` element when the record (or its
//! bindings) carries them, else `-`.

use super::json::Json;
use super::text::write_iso;
use super::Layout;
use crate::batch::Batch;
use crate::decode::{decode, Formatted, Op, Visitor};

/// The header fields every message of a target shares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// 0 (kern) to 23 (local7).
    pub facility: u8,
    pub hostname: String,
    pub app_name: String,
    pub procid: String,
}

impl Header {
    /// RFC 5424's limits: printable US-ASCII without spaces, within each field's length; `-`
    /// (the nil value) for an empty one.
    pub fn new(facility: u8, hostname: &str, app_name: &str, procid: &str) -> Header {
        let field = |s: &str, max: usize| {
            let s: String = s.chars().map(|c| if ('!'..='~').contains(&c) { c } else { '_' }).take(max).collect();
            if s.is_empty() { "-".to_string() } else { s }
        };
        Header { facility: facility.min(23), hostname: field(hostname, 255), app_name: field(app_name, 48), procid: field(procid, 128) }
    }
}

/// Severity (RFC 5424 §6.2.1) of a pino level.
pub fn severity(level: u32) -> u8 {
    match level {
        0..=29 => 7,
        30..=39 => 6,
        40..=49 => 4,
        50..=59 => 3,
        _ => 2,
    }
}

/// Frames every complete record of `batch` that `layout`'s levels let through into `out`.
pub fn frames(batch: &Batch, layout: &Layout, header: &Header, out: &mut Vec<u8>) -> Formatted {
    let mut v = Messages { json: Json::new(layout), header, frame_at: 0, json_at: 0, level: 0, time: None, ids: Ids::default(), bound: Ids::default(), key: None };
    decode(batch, &mut v, layout.range(), out)
}

/// Splits octet-counted frames into their messages.
pub fn messages(mut frames: &[u8]) -> impl Iterator<Item = &[u8]> {
    std::iter::from_fn(move || {
        let sp = frames.iter().position(|&b| b == b' ')?;
        let len: usize = std::str::from_utf8(&frames[..sp]).ok()?.parse().ok()?;
        let msg = frames.get(sp + 1..sp + 1 + len)?;
        frames = &frames[sp + 1 + len..];
        Some(msg)
    })
}

/// Trace context found in a record's fields or bindings.
#[derive(Default, Clone)]
struct Ids {
    trace_id: Option<String>,
    span_id: Option<String>,
    trace_flags: Option<String>,
}

impl Ids {
    fn set(&mut self, key: &str, value: String) {
        // Only what instrumentation-pino writes (hex) is taken: it goes into a quoted SD value.
        if value.is_empty() || !value.bytes().all(|b| b.is_ascii_hexdigit()) {
            return;
        }
        match key {
            "trace_id" => self.trace_id = Some(value),
            "span_id" => self.span_id = Some(value),
            "trace_flags" => self.trace_flags = Some(value),
            _ => {}
        }
    }

    /// `"trace_id":"…"` members of JSON text (bindings, pre-rendered members).
    fn scan(&mut self, units: &[u16]) {
        for key in ["trace_id", "span_id", "trace_flags"] {
            let pattern: Vec<u16> = format!("\"{key}\":\"").encode_utf16().collect();
            if let Some(at) = units.windows(pattern.len()).position(|w| w == pattern) {
                let rest = &units[at + pattern.len()..];
                let end = rest.iter().position(|&c| c == u16::from(b'"')).unwrap_or(0);
                self.set(key, String::from_utf16_lossy(&rest[..end]));
            }
        }
    }

    fn merged(&self, over: &Ids) -> Ids {
        Ids {
            trace_id: over.trace_id.clone().or_else(|| self.trace_id.clone()),
            span_id: over.span_id.clone().or_else(|| self.span_id.clone()),
            trace_flags: over.trace_flags.clone().or_else(|| self.trace_flags.clone()),
        }
    }
}

/// The JSON format writes each record's line; around it go the frame's length and the header.
struct Messages<'a> {
    json: Json<'a>,
    header: &'a Header,
    frame_at: usize,
    json_at: usize,
    level: u32,
    time: Option<f64>,
    /// The record's own trace fields, and those of the bindings in force.
    ids: Ids,
    bound: Ids,
    /// The field whose value comes next, when it is a trace field.
    key: Option<&'static str>,
}

impl Visitor for Messages<'_> {
    fn bindings(&mut self, b: &[u16]) {
        self.bound = Ids::default();
        self.bound.scan(b);
        self.json.bindings(b);
    }

    fn time(&mut self, t: &[u16]) {
        self.json.time(t);
    }

    fn record(&mut self, out: &mut Vec<u8>, level: u32, time: Option<f64>) {
        self.frame_at = out.len();
        self.json_at = out.len();
        self.level = level;
        self.time = time;
        self.ids = Ids::default();
        self.json.record(out, level, time);
    }

    fn key(&mut self, out: &mut Vec<u8>, k: &[u16]) {
        self.key = ["trace_id", "span_id", "trace_flags"].into_iter().find(|name| k.iter().copied().eq(name.encode_utf16()));
        self.json.key(out, k);
    }

    fn value(&mut self, out: &mut Vec<u8>, v: Op<'_>) {
        if let (Some(key), Op::Str(s)) = (self.key.take(), &v) {
            self.ids.set(key, String::from_utf16_lossy(s));
        }
        self.json.value(out, v);
    }

    fn members(&mut self, out: &mut Vec<u8>, m: &[u16]) {
        self.ids.scan(m);
        self.json.members(out, m);
    }

    fn msg(&mut self, out: &mut Vec<u8>, m: &[u16]) {
        self.json.msg(out, m);
    }

    fn end(&mut self, out: &mut Vec<u8>) {
        self.json.end(out);
        // The line's end is the frame's business, not the message's.
        while matches!(out.last(), Some(b'\n' | b'\r')) && out.len() > self.json_at {
            out.pop();
        }
        let mut head = Vec::with_capacity(128);
        head.push(b'<');
        head.extend_from_slice(itoa::Buffer::new().format(u32::from(self.header.facility) * 8 + u32::from(severity(self.level))).as_bytes());
        head.extend_from_slice(b">1 ");
        let ms = self.time.filter(|t| t.is_finite()).unwrap_or_else(now_ms);
        write_iso(&mut head, ms);
        for field in [&self.header.hostname, &self.header.app_name, &self.header.procid] {
            head.push(b' ');
            head.extend_from_slice(field.as_bytes());
        }
        head.extend_from_slice(b" - ");
        let ids = self.bound.merged(&self.ids);
        if ids.trace_id.is_some() || ids.span_id.is_some() {
            head.extend_from_slice(b"[opentelemetry");
            for (name, v) in [("trace_id", &ids.trace_id), ("span_id", &ids.span_id), ("trace_flags", &ids.trace_flags)] {
                if let Some(v) = v {
                    head.extend_from_slice(format!(" {name}=\"{v}\"").as_bytes());
                }
            }
            head.extend_from_slice(b"] ");
        } else {
            head.extend_from_slice(b"- ");
        }
        let len = head.len() + out.len() - self.json_at;
        let mut prefix = itoa::Buffer::new().format(len).as_bytes().to_vec();
        prefix.push(b' ');
        prefix.extend_from_slice(&head);
        out.splice(self.frame_at..self.frame_at, prefix);
    }
}

fn now_ms() -> f64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0.0, |d| d.as_millis() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::BatchBuilder;

    fn frames(batch: &Batch) -> Vec<String> {
        let mut bytes = Vec::new();
        super::frames(batch, &Layout::default(), &Header::new(16, "box", "my app", "42"), &mut bytes);
        messages(&bytes).map(|m| String::from_utf8(m.to_vec()).unwrap()).collect()
    }

    #[test]
    fn a_record_as_rfc_5424_with_its_json_line_as_msg() {
        let batch = BatchBuilder::default()
            .bindings(r#","pid":42,"hostname":"box""#)
            .record(30, Some(1764091801123.0)).key("a").num(1.0).msg("hi").end()
            .record(50, Some(1764091801124.0)).key("trace_id").str("4bf92f3577b34da6a3ce929d0e0e4736").key("span_id").str("00f067aa0ba902b7").key("trace_flags").str("01").end()
            .record(35, None).end()
            .build();
        let m = frames(&batch);
        assert_eq!(m[0], r#"<134>1 2025-11-25T17:30:01.123Z box my_app 42 - - {"level":30,"time":1764091801123,"pid":42,"hostname":"box","a":1,"msg":"hi"}"#);
        assert!(m[1].starts_with(r#"<131>1 2025-11-25T17:30:01.124Z box my_app 42 - [opentelemetry trace_id="4bf92f3577b34da6a3ce929d0e0e4736" span_id="00f067aa0ba902b7" trace_flags="01"] {"level":50"#), "{}", m[1]);
        assert!(m[2].starts_with("<134>1 "), "a custom level takes the severity below it: {}", m[2]);
        assert_eq!(m.len(), 3);
    }

    #[test]
    fn trace_context_in_the_bindings_is_found_and_odd_values_are_left_out() {
        let batch = BatchBuilder::default()
            .bindings(r#","trace_id":"0af7651916cd43dd8448eb211c80319c","span_id":"b7ad6b7169203331""#)
            .record(30, Some(0.0)).end()
            .record(30, Some(0.0)).key("span_id").str("x\"] y").end()
            .bindings("")
            .record(30, Some(0.0)).end()
            .build();
        let m = frames(&batch);
        assert!(m[0].contains(r#"[opentelemetry trace_id="0af7651916cd43dd8448eb211c80319c" span_id="b7ad6b7169203331"] {"#), "{}", m[0]);
        assert!(m[1].contains(r#"span_id="b7ad6b7169203331"]"#), "a span id that is not hex is not taken: {}", m[1]);
        assert!(m[2].contains(" - - {"), "{}", m[2]);
    }

    #[test]
    fn header_fields_keep_to_rfc_5424() {
        let h = Header::new(99, "", "a b\u{e9}", &"9".repeat(200));
        assert_eq!((h.facility, h.hostname.as_str(), h.app_name.as_str(), h.procid.len()), (23, "-", "a_b_", 128));
        assert_eq!(Header::new(1, "h", &"x".repeat(60), "1").app_name.len(), 48);
    }

    #[test]
    fn frames_split_back_into_messages() {
        let bytes = b"3 abc5 de fg1 h".to_vec();
        assert_eq!(messages(&bytes).collect::<Vec<_>>(), [&b"abc"[..], b"de fg", b"h"]);
        assert_eq!(messages(b"9 short").count(), 0);
    }
}
