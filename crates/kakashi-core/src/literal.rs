//! JSON literals from UTF-16 input — strings, numbers, text JavaScript already made — byte for
//! byte what V8's `JSON.stringify` writes, so the native and the pure-JS engine agree on every
//! string and number. The bottom layer: the decoder (a child's bound members) and every format
//! write through it.

/// Appends `s` as a JSON string literal. Escapes exactly what `JSON.stringify` escapes: `"`, `\`,
/// C0 controls (short forms where JSON has them, else `\u00xx`) and lone surrogates (`\udxxx`).
/// Everything else, including U+2028 and non-ASCII text, is written as UTF-8.
pub fn write_str(out: &mut Vec<u8>, s: &[u16]) {
    out.reserve(s.len() + 2);
    // Most keys and values are printable ASCII with nothing to escape: checked and narrowed
    // in one pass each (both vectorize), written into the room just reserved.
    if s.iter().fold(true, |ok, &c| ok & is_plain_ascii(c)) {
        let at = out.len();
        let room = &mut out.spare_capacity_mut()[..s.len() + 2];
        room[0].write(b'"');
        for (b, &c) in room[1..=s.len()].iter_mut().zip(s) {
            b.write(c as u8);
        }
        room[s.len() + 1].write(b'"');
        // SAFETY: the s.len() + 2 bytes after `at` were just written.
        unsafe { out.set_len(at + s.len() + 2) };
        return;
    }
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
    let (int, frac) = (m / 1_000_000, m % 1_000_000);
    if v < 0.0 {
        out.push(b'-');
    }
    out.extend_from_slice(itoa::Buffer::new().format(int).as_bytes());
    if frac != 0 {
        // The six decimals, less the trailing zeros.
        let mut digits = [b'.', 0, 0, 0, 0, 0, 0];
        let mut rest = frac;
        for d in digits[1..].iter_mut().rev() {
            *d = b'0' + (rest % 10) as u8;
            rest /= 10;
        }
        let mut end = 7;
        while end > 1 && digits[end - 1] == b'0' {
            end -= 1;
        }
        out.extend_from_slice(&digits[..end]);
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
