//! The JSON format (NDJSON with pino's keys and order: `level`, `time`, bindings — `pid`,
//! `hostname`, `name`, child bindings —, fields, `msg`), and JSON text from UTF-16 input,
//! byte-for-byte what V8's `JSON.stringify` writes, so the native and the pure-JS engine agree
//! on every string and number. `src/format/json.ts` writes the same bytes for the pure-JS engine.

use super::layout::{Layout, TimeFormat};
use super::text::write_iso;
use crate::decode::{Nested, Op, Visitor, MAX_DEPTH};

/// Appends `s` as a JSON string literal. Escapes exactly what `JSON.stringify` escapes: `"`, `\`,
/// C0 controls (short forms where JSON has them, else `\u00xx`) and lone surrogates (`\udxxx`).
/// Everything else, including U+2028 and non-ASCII text, is written as UTF-8.
pub fn write_str(out: &mut Vec<u8>, s: &[u16]) {
    out.reserve(s.len() + 2);
    out.push(b'"');
    let mut i = 0;
    while i < s.len() {
        i = copy_plain_ascii(out, s, i);
        if i == s.len() {
            break;
        }
        let c = s[i];
        i += 1;
        if c < 0x80 {
            match c as u8 {
                b'"' => out.extend_from_slice(b"\\\""),
                b'\\' => out.extend_from_slice(b"\\\\"),
                b'\n' => out.extend_from_slice(b"\\n"),
                b'\r' => out.extend_from_slice(b"\\r"),
                b'\t' => out.extend_from_slice(b"\\t"),
                0x08 => out.extend_from_slice(b"\\b"),
                0x0c => out.extend_from_slice(b"\\f"),
                _ => write_u_escape(out, c),
            }
        } else {
            match code_point(c, s, &mut i) {
                Some(cp) => push_utf8(out, cp),
                None => write_u_escape(out, c),
            }
        }
    }
    out.push(b'"');
}

#[inline]
fn is_plain_ascii(c: u16) -> bool {
    (0x20..0x80).contains(&c) && c != b'"' as u16 && c != b'\\' as u16
}

/// Copies the run of printable ASCII with nothing to escape starting at `from` (most text is
/// one such run); returns where the run ends. Long runs go 16 units at a time, in a form the
/// compiler turns into vector compares and narrowing.
#[inline]
fn copy_plain_ascii(out: &mut Vec<u8>, s: &[u16], from: usize) -> usize {
    const LANES: usize = 16;
    let mut i = from;
    while i + LANES <= s.len() {
        let chunk: &[u16; LANES] = s[i..i + LANES].try_into().unwrap();
        if !chunk.iter().fold(true, |ok, &c| ok & is_plain_ascii(c)) {
            break;
        }
        let mut bytes = [0u8; LANES];
        for (b, &c) in bytes.iter_mut().zip(chunk) {
            *b = c as u8;
        }
        out.extend_from_slice(&bytes);
        i += LANES;
    }
    while i < s.len() && is_plain_ascii(s[i]) {
        out.push(s[i] as u8);
        i += 1;
    }
    i
}

/// Appends JSON text that JavaScript already produced (nested values, pre-serialized bindings),
/// converting it from UTF-16 to UTF-8. Such text never holds a lone surrogate; if one arrives
/// anyway it becomes U+FFFD rather than invalid UTF-8.
pub fn write_raw(out: &mut Vec<u8>, s: &[u16]) {
    out.reserve(s.len());
    let mut i = 0;
    while i < s.len() {
        while i + 16 <= s.len() && s[i..i + 16].iter().fold(true, |ok, &c| ok & (c < 0x80)) {
            out.extend(s[i..i + 16].iter().map(|&c| c as u8));
            i += 16;
        }
        while i < s.len() && s[i] < 0x80 {
            out.push(s[i] as u8);
            i += 1;
        }
        if i == s.len() {
            break;
        }
        let c = s[i];
        i += 1;
        push_utf8(out, code_point(c, s, &mut i).unwrap_or(0xFFFD));
    }
}

/// Appends the JSON text of a nested value, as `JSON.stringify` writes the plain object or array
/// JavaScript captured: members in their order, commas and brackets, strings and numbers as at
/// the top level.
pub fn write_nested(out: &mut Vec<u8>, nested: &Nested<'_>) {
    // Per open level (bit `depth - 1`, as the decoder checked them): whether it is an array, and
    // whether something was written in it yet.
    let (mut arrays, mut started, mut depth) = (u64::from(nested.array), 0u64, 1usize);
    out.push(if nested.array { b'[' } else { b'{' });
    for op in nested.ops() {
        let Ok(op) = op else { return };
        let bit = 1u64 << (depth - 1);
        // A comma before each member's key, and before each element of an array.
        if matches!(op, Op::Key(_)) || (arrays & bit != 0 && op != Op::Close) {
            if started & bit != 0 {
                out.push(b',');
            }
            started |= bit;
        }
        match op {
            Op::Key(k) => {
                write_str(out, k);
                out.push(b':');
            }
            Op::Close => {
                out.push(if arrays & bit != 0 { b']' } else { b'}' });
                depth -= 1;
                if depth == 0 {
                    return;
                }
            }
            Op::Open { array } if depth < MAX_DEPTH => {
                out.push(if array { b'[' } else { b'{' });
                let inner = bit << 1;
                arrays = if array { arrays | inner } else { arrays & !inner };
                started &= !inner;
                depth += 1;
            }
            Op::Str(s) => write_str(out, s),
            Op::Num(n) => write_number(out, n),
            Op::Bool(b) => out.extend_from_slice(if b { b"true" } else { b"false" }),
            Op::Raw(r) => write_raw(out, r),
            _ => out.extend_from_slice(b"null"),
        }
    }
}

/// A nested value's JSON text in UTF-16, for the formats that read it as JavaScript's JSON text.
pub(crate) fn nested_units(nested: &Nested<'_>) -> Vec<u16> {
    let mut json = Vec::new();
    write_nested(&mut json, nested);
    String::from_utf8_lossy(&json).encode_utf16().collect()
}

/// Appends a number as `JSON.stringify` does: shortest round-trip digits in JavaScript's
/// notation (`1e+21`, `5e-7`), `0` for negative zero, `null` for NaN and the infinities.
pub fn write_number(out: &mut Vec<u8>, v: f64) {
    if !v.is_finite() {
        out.extend_from_slice(b"null");
    } else if v.abs() < 1e15 && (v as i64) as f64 == v {
        // Integers are most of what services log (and every timestamp): plain digits are several
        // times cheaper than the shortest-digits search and the same text in this range.
        out.extend_from_slice(itoa::Buffer::new().format(v as i64).as_bytes());
    } else if !write_short_decimal(out, v) {
        let mut buf = ryu_js::Buffer::new();
        out.extend_from_slice(buf.format_finite(v).as_bytes());
    }
}

/// Numbers like 3.14 or -0.005 (at most 6 decimals, magnitude below 1e9) without the general
/// shortest-digits search. Below 1e9 doubles are closer than 1e-6 apart, so the one decimal of
/// ≤ 6 places that round-trips is also the shortest one: the text JavaScript prints.
fn write_short_decimal(out: &mut Vec<u8>, v: f64) -> bool {
    const SCALE: f64 = 1e6;
    let a = v.abs();
    if !(1e-6..1e9).contains(&a) {
        return false;
    }
    let m = (a * SCALE + 0.5) as u64;
    if m as f64 / SCALE != a {
        return false;
    }
    let (int, mut frac) = (m / 1_000_000, m % 1_000_000);
    if v < 0.0 {
        out.push(b'-');
    }
    out.extend_from_slice(itoa::Buffer::new().format(int).as_bytes());
    if frac != 0 {
        let mut digits = 6;
        while frac % 10 == 0 {
            frac /= 10;
            digits -= 1;
        }
        out.push(b'.');
        let text = itoa::Buffer::new().format(frac).len();
        out.extend(std::iter::repeat_n(b'0', digits - text));
        out.extend_from_slice(itoa::Buffer::new().format(frac).as_bytes());
    }
    true
}

pub(crate) fn write_u_escape(out: &mut Vec<u8>, c: u16) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.extend_from_slice(&[
        b'\\',
        b'u',
        HEX[(c >> 12) as usize & 15],
        HEX[(c >> 8) as usize & 15],
        HEX[(c >> 4) as usize & 15],
        HEX[c as usize & 15],
    ]);
}

/// The code point of the UTF-16 unit `c` just read from `s` (`*i` is past it), joining it with
/// the low surrogate that follows; `None` for a lone surrogate, which each caller writes its way.
#[inline]
fn code_point(c: u16, s: &[u16], i: &mut usize) -> Option<u32> {
    if !(0xD800..0xE000).contains(&c) {
        return Some(u32::from(c));
    }
    if c < 0xDC00 && *i < s.len() && (0xDC00..0xE000).contains(&s[*i]) {
        let lo = s[*i];
        *i += 1;
        return Some(0x10000 + ((u32::from(c) - 0xD800) << 10) + (u32::from(lo) - 0xDC00));
    }
    None
}

pub(crate) fn push_utf8(out: &mut Vec<u8>, cp: u32) {
    let mut buf = [0u8; 4];
    let ch = char::from_u32(cp).unwrap_or('\u{FFFD}');
    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
}

// The JSON format itself: pino's keys and order, `level`, `time`, bindings (`pid`, `hostname`,
// `name`, child bindings), fields, `msg`.

pub(crate) struct Json<'l> {
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
    pub(crate) fn new(layout: &'l Layout) -> Self {
        Json { layout, bindings: Vec::new(), time: f64::NAN, time_text: Vec::new(), custom_time: Vec::new(), has_custom_time: false }
    }
}

impl Visitor for Json<'_> {
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
            Op::Nested(n) => write_nested(out, &n),
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
