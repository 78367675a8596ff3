//! The JSON format (NDJSON with pino's keys and order: `level`, `time`, bindings — `pid`,
//! `hostname`, `name`, child bindings —, fields, `msg`), written through `crate::literal` as
//! `JSON.stringify` writes them. `src/format/json.ts` writes the same bytes for the pure-JS engine.

use super::layout::{Layout, TimeFormat};
use super::text::write_iso;
use crate::decode::{write_checked_nested, write_nested, Malformed, Op, Ops, Visitor};
use crate::literal::{write_number, write_raw, write_str};

// The JSON format itself: pino's keys and order, `level`, `time`, bindings (`pid`, `hostname`,
// `name`, child bindings), fields, `msg`.

pub(crate) struct Json<'l> {
    layout: &'l Layout,
    /// Bindings stay in force across records and timestamps repeat within a millisecond:
    /// both are turned into bytes once and copied after that.
    bindings: Vec<u8>,
    /// The part of `bindings` that is the last BINDINGS text, which a child's BOUND members extend.
    base_len: usize,
    time: f64,
    time_text: Vec<u8>,
    /// A custom timestamp function's members for the next record.
    custom_time: Vec<u8>,
    has_custom_time: bool,
}

impl<'l> Json<'l> {
    pub(crate) fn new(layout: &'l Layout) -> Self {
        Json { layout, bindings: Vec::new(), base_len: 0, time: f64::NAN, time_text: Vec::new(), custom_time: Vec::new(), has_custom_time: false }
    }
}

impl Visitor for Json<'_> {
    fn bindings(&mut self, b: &[u16]) {
        self.bindings.clear();
        write_raw(&mut self.bindings, b);
        self.base_len = self.bindings.len();
    }

    /// The base's bytes are kept from `bindings` (which decode calls for BINDINGS ops only, as
    /// this format never calls it for a BOUND): only the child's members are new.
    fn bound(&mut self, _base: &[u16], members: &[u8], _scratch: &mut Vec<u16>) {
        self.bindings.truncate(self.base_len);
        self.bindings.extend_from_slice(members);
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
            Op::Nested(n) => write_nested(out, &n),
            _ => out.extend_from_slice(b"null"),
        }
    }

    fn nested(&mut self, out: &mut Vec<u8>, ops: &mut Ops<'_>, array: bool) -> Result<usize, Malformed> {
        write_checked_nested(out, ops, array)
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

#[cfg(test)]
#[allow(clippy::approx_constant)] // 3.14 is test data, not pi
mod tests {
    use super::*;

    fn utf16(s: &str) -> Vec<u16> {
        s.encode_utf16().collect()
    }

    fn str_json(units: &[u16]) -> String {
        let mut out = Vec::new();
        write_str(&mut out, units);
        String::from_utf8(out).expect("write_str must produce UTF-8")
    }

    fn num_json(v: f64) -> String {
        let mut out = Vec::new();
        write_number(&mut out, v);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn plain_and_escaped_strings_match_json_stringify() {
        assert_eq!(str_json(&utf16("hello world")), r#""hello world""#);
        assert_eq!(str_json(&utf16("a\"b\\c")), r#""a\"b\\c""#);
        assert_eq!(str_json(&utf16("\n\r\t\u{8}\u{c}")), r#""\n\r\t\b\f""#);
        assert_eq!(str_json(&utf16("\u{0}\u{1b}[31m\u{1f}")), r#""\u0000\u001b[31m\u001f""#);
        assert_eq!(str_json(&utf16("\u{7f}")), "\"\u{7f}\"");
        assert_eq!(str_json(&utf16("\u{2028}é漢😀")), "\"\u{2028}é漢😀\"");
    }

    #[test]
    fn long_text_with_escapes_at_every_position() {
        for len in [15, 16, 17, 31, 32, 33, 100] {
            for at in 0..len {
                let mut text: Vec<u16> = "abcdefghijklmnopqrstuvwxyz0123456789".repeat(3).encode_utf16().take(len).collect();
                text[at] = '"' as u16;
                let want = serde_like(&String::from_utf16(&text).unwrap());
                assert_eq!(str_json(&text), want, "len {len} quote at {at}");
                let mut raw = Vec::new();
                text[at] = 'é' as u16;
                write_raw(&mut raw, &text);
                assert_eq!(String::from_utf8(raw).unwrap(), String::from_utf16(&text).unwrap());
            }
        }
    }

    /// JSON.stringify of plain text with quotes (the only escape the test above uses).
    fn serde_like(s: &str) -> String {
        format!("\"{}\"", s.replace('"', "\\\""))
    }

    #[test]
    fn lone_surrogates_are_escaped_in_lower_case() {
        assert_eq!(str_json(&[0xD800]), r#""\ud800""#);
        assert_eq!(str_json(&[0x61, 0xDFFF, 0x62]), r#""a\udfffb""#);
        assert_eq!(str_json(&[0xDC00, 0xD800]), r#""\udc00\ud800""#);
        assert_eq!(str_json(&[0xD83D, 0xDE00]), "\"😀\"");
    }

    #[test]
    fn raw_text_is_transcoded_and_never_invalid() {
        let mut out = Vec::new();
        write_raw(&mut out, &utf16(r#"{"a":"é😀"}"#));
        assert_eq!(out, r#"{"a":"é😀"}"#.as_bytes());
        out.clear();
        write_raw(&mut out, &[0x22, 0xD800, 0x22]);
        assert_eq!(String::from_utf8(out).unwrap(), "\"\u{FFFD}\"");
    }

    #[test]
    fn numbers_use_javascript_notation() {
        let cases: &[(f64, &str)] = &[
            (0.0, "0"),
            (-0.0, "0"),
            (1.0, "1"),
            (-42.0, "-42"),
            (3.14, "3.14"),
            (0.1 + 0.2, "0.30000000000000004"),
            (1e21, "1e+21"),
            (1e15, "1000000000000000"),
            (123456789012345680000.0, "123456789012345680000"),
            (5e-7, "5e-7"),
            (0.000001, "0.000001"),
            (f64::MAX, "1.7976931348623157e+308"),
            (f64::MIN_POSITIVE, "2.2250738585072014e-308"),
            (9007199254740993.0, "9007199254740992"),
            (-0.005, "-0.005"),
            (123456.789, "123456.789"),
            (999999999.999999, "999999999.999999"),
            (0.1, "0.1"),
            (1.000001, "1.000001"),
            (1.0000001, "1.0000001"),
            (2.5e-6, "0.0000025"),
            (1.5e-7, "1.5e-7"),
            (f64::NAN, "null"),
            (f64::INFINITY, "null"),
            (f64::NEG_INFINITY, "null"),
        ];
        for (v, want) in cases {
            assert_eq!(num_json(*v), *want, "formatting {v:?}");
        }
    }
}
