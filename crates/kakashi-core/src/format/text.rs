//! The pieces of the human formats (logfmt and pretty): values written bare or quoted, control
//! characters escaped so a line can never be split or forged, UTC times, and a reader for the
//! JSON members JavaScript pre-serialized (bindings, fields read one by one).
//! `src/text.ts` writes the same bytes for the pure-JS engine.

use crate::decode::nested_units;
use crate::literal::{push_utf8, write_number, write_u_escape};
use super::layout::{is, Layout};
use crate::decode::{Op, Visitor};

/// A unit a bare logfmt value may hold: printable, not a quote, `=` or backslash. Surrogates
/// (even paired ones) make a value quoted, which keeps the rule one comparison per unit.
#[inline]
fn is_bare(c: u16) -> bool {
    c > 0x20
        && c != b'"' as u16
        && c != b'=' as u16
        && c != b'\\' as u16
        && !(0x7f..0xa0).contains(&c)
        && c != 0x2028
        && c != 0x2029
        && !(0xD800..0xE000).contains(&c)
}

/// Whether a unit must be escaped wherever text is shown: C0 and C1 controls, DEL, the Unicode
/// line and paragraph separators.
#[inline]
fn is_control(c: u16) -> bool {
    c < 0x20 || (0x7f..0xa0).contains(&c) || c == 0x2028 || c == 0x2029
}

/// A logfmt value: bare when it is non-empty and every unit is bare, else quoted.
pub fn write_value(out: &mut Vec<u8>, s: &[u16]) {
    if !s.is_empty() && s.iter().all(|&c| is_bare(c)) {
        write_escaped(out, s, false); // nothing to escape: only UTF-16 → UTF-8
    } else {
        out.push(b'"');
        write_escaped(out, s, true);
        out.push(b'"');
    }
}

/// Text with controls and lone surrogates escaped (`\n`, `\u001b`, `\ud800`); with `quoted`,
/// also `"` and backslash, as inside a quoted value.
pub fn write_escaped(out: &mut Vec<u8>, s: &[u16], quoted: bool) {
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        i += 1;
        if c < 0x80 && !is_control(c) {
            if quoted && (c == b'"' as u16 || c == b'\\' as u16) {
                out.push(b'\\');
            }
            out.push(c as u8);
        } else if is_control(c) {
            match c {
                0x0a => out.extend_from_slice(b"\\n"),
                0x0d => out.extend_from_slice(b"\\r"),
                0x09 => out.extend_from_slice(b"\\t"),
                _ => write_u_escape(out, c),
            }
        } else if !(0xD800..0xE000).contains(&c) {
            push_utf8(out, c as u32);
        } else if c < 0xDC00 && i < s.len() && (0xDC00..0xE000).contains(&s[i]) {
            push_utf8(out, 0x10000 + (((c as u32) - 0xD800) << 10) + ((s[i] as u32) - 0xDC00));
            i += 1;
        } else {
            write_u_escape(out, c);
        }
    }
}

/// Days since 1970-01-01 → (year, month, day) in the proleptic Gregorian calendar
/// (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn push_digits(out: &mut Vec<u8>, v: u64, width: usize) {
    let mut buf = [b'0'; 20];
    let mut n = v;
    let mut at = buf.len();
    while n > 0 || at == buf.len() {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    for _ in (buf.len() - at)..width {
        out.push(b'0');
    }
    out.extend_from_slice(&buf[at..]);
}

/// `HH:MM:ss.SSS` of an epoch-ms time, in UTC.
pub fn write_clock(out: &mut Vec<u8>, ms: f64) {
    let ms = ms as i64;
    let of_day = ms.rem_euclid(86_400_000) as u64;
    push_digits(out, of_day / 3_600_000, 2);
    out.push(b':');
    push_digits(out, of_day / 60_000 % 60, 2);
    out.push(b':');
    push_digits(out, of_day / 1000 % 60, 2);
    out.push(b'.');
    push_digits(out, of_day % 1000, 3);
}

/// An epoch-ms time as JavaScript's `Date#toISOString` writes it (years 0 to 9999).
pub fn write_iso(out: &mut Vec<u8>, ms: f64) {
    let (y, m, d) = civil_from_days((ms as i64).div_euclid(86_400_000));
    push_digits(out, y.clamp(0, 9999) as u64, 4);
    out.push(b'-');
    push_digits(out, m.into(), 2);
    out.push(b'-');
    push_digits(out, d.into(), 2);
    out.push(b'T');
    write_clock(out, ms);
    out.push(b'Z');
}

/// A member's value as JavaScript serialized it: a string (unescaped) or other JSON text.
pub enum Member<'a> {
    Str(&'a [u16]),
    Raw(&'a [u16]),
}

/// Where the JSON string starting at `s[from]` (a quote) ends: the index after its closing quote.
fn string_end(s: &[u16], from: usize) -> usize {
    let mut i = from + 1;
    while i < s.len() {
        match s[i] {
            0x22 => return i + 1,
            0x5c => i += 2,
            _ => i += 1,
        }
    }
    s.len()
}

/// The units of the JSON string literal `lit` (quotes included), unescaped, into `into`.
pub(crate) fn unescape(lit: &[u16], into: &mut Vec<u16>) {
    into.clear();
    let inner = lit.get(1..).unwrap_or(&[]);
    let body = inner.strip_suffix(&[0x22]).unwrap_or(inner);
    let mut i = 0;
    while i < body.len() {
        let c = body[i];
        i += 1;
        if c != 0x5c || i >= body.len() {
            into.push(c);
            continue;
        }
        let e = body[i];
        i += 1;
        into.push(match e as u8 {
            b'n' => 0x0a,
            b'r' => 0x0d,
            b't' => 0x09,
            b'b' => 0x08,
            b'f' => 0x0c,
            b'u' if i + 4 <= body.len() => {
                let hex = String::from_utf16_lossy(&body[i..i + 4]);
                i += 4;
                u16::from_str_radix(&hex, 16).unwrap_or(0xFFFD)
            }
            _ => e,
        });
    }
}

/// Calls `f(key, value)` for each member of `,"k":v,"k2":v2` — JSON text JavaScript wrote, so
/// well-formed; anything else ends the walk rather than panicking.
pub fn for_each_member(text: &[u16], mut f: impl FnMut(&[u16], Member<'_>)) {
    let (mut key, mut value) = (Vec::new(), Vec::new());
    let mut i = 0;
    loop {
        if text.get(i) == Some(&(b',' as u16)) {
            i += 1;
        }
        if text.get(i) != Some(&(b'"' as u16)) {
            return;
        }
        let key_end = string_end(text, i);
        unescape(&text[i..key_end], &mut key);
        i = key_end;
        if text.get(i) != Some(&(b':' as u16)) {
            return;
        }
        i += 1;
        let start = i;
        if text.get(i) == Some(&(b'"' as u16)) {
            i = string_end(text, i);
            unescape(&text[start..i], &mut value);
            f(&key, Member::Str(&value));
            continue;
        }
        let mut depth = 0u32;
        while i < text.len() {
            match text[i] {
                0x22 => {
                    i = string_end(text, i);
                    continue;
                }
                0x7b | 0x5b => depth += 1,
                0x7d | 0x5d => depth = depth.saturating_sub(1),
                0x2c if depth == 0 => break,
                _ => {}
            }
            i += 1;
        }
        f(&key, Member::Raw(&text[start..i]));
    }
}

/// A logfmt or pretty line's own choices; the rest of a text record is gathered alike.
pub(crate) trait TextStyle {
    /// ` key=` before a value.
    fn key(&self, layout: &Layout, into: &mut Vec<u8>, k: &[u16]);
    /// JSON text of a nested value whose JSON is not a string.
    fn raw(&self, into: &mut Vec<u8>, raw: &[u16]);
    /// The message as it is shown.
    fn msg(&self, into: &mut Vec<u8>, m: &[u16]);
    /// Whether the `name` binding is shown before the message (and `pid`, `hostname` left out).
    fn takes_name(&self) -> bool;
    /// The line, from its gathered parts (without its end).
    fn line(&self, layout: &Layout, r: &TextRecord<'_, Self>, out: &mut Vec<u8>)
    where
        Self: Sized;
}

/// logfmt and pretty: the message comes before the fields there, so a record's parts are
/// gathered and laid out at its end.
pub(crate) struct TextRecord<'l, S: TextStyle> {
    pub(crate) layout: &'l Layout,
    style: S,
    /// The bindings as ` key=value` pairs (pretty: without pid, hostname and name).
    pub(crate) bindings: Vec<u8>,
    /// pretty: the `name` binding, shown before the message.
    pub(crate) name: Vec<u8>,
    pub(crate) level: u32,
    pub(crate) time: Option<f64>,
    /// A custom timestamp's members as ` key=value` pairs, for the next record.
    pub(crate) custom_time: Option<Vec<u8>>,
    pub(crate) fields: Vec<u8>,
    pub(crate) msg: Option<Vec<u8>>,
}

impl<'l, S: TextStyle> TextRecord<'l, S> {
    pub(crate) fn new(layout: &'l Layout, style: S) -> Self {
        TextRecord { layout, style, bindings: Vec::new(), name: Vec::new(), level: 0, time: None, custom_time: None, fields: Vec::new(), msg: None }
    }

    /// JSON text of a nested value. An object whose JSON is a string (a Date, a URL, anything
    /// with a string `toJSON`) is that string, as the JS engine reads it back.
    fn write_raw_value(&self, into: &mut Vec<u8>, raw: &[u16]) {
        if raw.first() == Some(&(b'"' as u16)) {
            let mut s = Vec::new();
            unescape(raw, &mut s);
            write_value(into, &s);
        } else {
            self.style.raw(into, raw);
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
            self.style.key(self.layout, into, k);
            match v {
                Member::Str(s) => write_value(into, s),
                Member::Raw(r) => self.write_raw_value(into, r),
            }
        });
    }
}

impl<S: TextStyle> Visitor for TextRecord<'_, S> {
    fn bindings(&mut self, b: &[u16]) {
        let (mut bindings, mut name) = (Vec::new(), Vec::new());
        self.write_members(&mut bindings, b, self.style.takes_name().then_some(&mut name));
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
        self.style.key(self.layout, &mut self.fields, k);
    }

    fn value(&mut self, _out: &mut Vec<u8>, v: Op<'_>) {
        let mut fields = std::mem::take(&mut self.fields);
        match v {
            Op::Str(s) => write_value(&mut fields, s),
            Op::Num(n) => write_number(&mut fields, n),
            Op::Bool(true) => fields.extend_from_slice(b"true"),
            Op::Bool(false) => fields.extend_from_slice(b"false"),
            Op::Raw(r) => self.write_raw_value(&mut fields, r),
            Op::Nested(n) => self.write_raw_value(&mut fields, &nested_units(&n)),
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
        self.style.msg(&mut text, m);
        self.msg = Some(text);
    }

    fn end(&mut self, out: &mut Vec<u8>) {
        self.style.line(self.layout, self, out);
        self.custom_time = None;
        out.extend_from_slice(&self.bindings);
        out.extend_from_slice(&self.fields);
        out.extend_from_slice(self.layout.eol);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(s: &str) -> Vec<u16> {
        s.encode_utf16().collect()
    }

    fn value(s: &[u16]) -> String {
        let mut out = Vec::new();
        write_value(&mut out, s);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn values_are_bare_only_when_nothing_needs_quoting() {
        assert_eq!(value(&utf16("two")), "two");
        assert_eq!(value(&utf16("été")), "été");
        assert_eq!(value(&utf16("")), "\"\"");
        assert_eq!(value(&utf16("a b")), "\"a b\"");
        assert_eq!(value(&utf16("k=v")), "\"k=v\"");
        assert_eq!(value(&utf16("say \"hi\"\\")), "\"say \\\"hi\\\"\\\\\"");
        assert_eq!(value(&[0x61, 0x0a, 0x1b, 0x2028, 0xD800, 0x7f]), "\"a\\n\\u001b\\u2028\\ud800\\u007f\"");
        assert_eq!(value(&utf16("😀")), "\"😀\"");
    }

    #[test]
    fn times_match_javascript() {
        let mut out = Vec::new();
        write_iso(&mut out, 1_764_091_801_123.0);
        assert_eq!(String::from_utf8(out).unwrap(), "2025-11-25T17:30:01.123Z");
        let mut out = Vec::new();
        write_iso(&mut out, 951_782_400_000.0); // a leap day
        assert_eq!(String::from_utf8(out).unwrap(), "2000-02-29T00:00:00.000Z");
        let mut out = Vec::new();
        write_clock(&mut out, 1_764_091_801_123.0);
        assert_eq!(String::from_utf8(out).unwrap(), "17:30:01.123");
    }

    #[test]
    fn members_are_read_back_as_written() {
        let text = utf16(r#","pid":42,"name":"a\"p\np\u00e9","o":{"x":[1,","]},"s":"","n":null"#);
        let mut seen = Vec::new();
        for_each_member(&text, |k, v| {
            let k = String::from_utf16(k).unwrap();
            seen.push(match v {
                Member::Str(s) => format!("{k}=str:{}", String::from_utf16(s).unwrap()),
                Member::Raw(r) => format!("{k}=raw:{}", String::from_utf16(r).unwrap()),
            });
        });
        assert_eq!(seen, ["pid=raw:42", "name=str:a\"p\npé", "o=raw:{\"x\":[1,\",\"]}", "s=str:", "n=raw:null"]);
        for_each_member(&utf16(",\"unterminated"), |_, _| {});
        for_each_member(&utf16("garbage"), |_, _| panic!("no member in garbage"));
    }
}
