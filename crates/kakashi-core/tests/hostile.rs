//! Hostile input never forges a line: whatever UTF-16 arrives as keys, values, messages or
//! bindings, and whatever numbers, each record is exactly one line of valid JSON whose strings
//! read back as sent (lone surrogates escaped), with no raw control byte.
use kakashi_core::format::{format, Layout};
use kakashi_core::BatchBuilder;
use proptest::prelude::*;

fn units() -> impl Strategy<Value = Vec<u16>> {
    prop_oneof![
        prop::collection::vec(any::<u16>(), 0..40),
        prop::collection::vec(prop_oneof![Just(0x0Au16), Just(0x0D), Just(0x2028), Just(0x1B), Just(0xD800), Just(0xDC00), Just(0x22), Just(0x5C), Just(0)], 0..10),
        prop::collection::vec(any::<u16>(), 0..300),
    ]
}

/// serde_json refuses the `\udxxx` escapes of lone surrogates that JSON.stringify (and we)
/// write; for the comparison both sides turn a lone surrogate into U+FFFD.
fn lone_escapes_as_replacement(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            i += 1;
            continue;
        }
        if bytes[i + 1] == b'u' {
            let unit = u16::from_str_radix(&text[i + 2..i + 6], 16).unwrap();
            if (0xD800..0xE000).contains(&unit) {
                out.push_str(&text[copied..i]);
                out.push_str("\\ufffd");
                copied = i + 6;
            }
            i += 6;
        } else {
            i += 2; // an escaped character: skip both, so `\\` never starts a false `\u`
        }
    }
    out.push_str(&text[copied..]);
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10_000, ..ProptestConfig::default() })]

    #[test]
    fn one_valid_line_per_record(key in units(), value in units(), msg in units(), num in any::<f64>(), time in any::<f64>()) {
        let key_s = String::from_utf16_lossy(&key);
        let batch = BatchBuilder::default()
            .bindings(",\"pid\":1")
            .record(30, Some(time))
            .key(&key_s).str_units(&value)
            .key("n").num(num)
            .msg(&String::from_utf16_lossy(&msg))
            .end()
            .build();
        let mut out = Vec::new();
        let f = format(&batch, &Layout::default(), &mut out);
        prop_assert_eq!(f.records, 1);
        prop_assert!(f.error.is_none());
        let text = std::str::from_utf8(&out).expect("valid UTF-8");
        prop_assert!(text.ends_with('\n'));
        prop_assert_eq!(text.matches('\n').count(), 1, "exactly one line");
        prop_assert!(!text[..text.len() - 1].bytes().any(|b| b < 0x20), "no raw control byte");
        let parsed: serde_json::Value = serde_json::from_str(&lone_escapes_as_replacement(text.trim_end())).expect("valid JSON");
        prop_assert_eq!(parsed["level"].as_u64(), Some(30));
        prop_assert_eq!(parsed["pid"].as_u64(), Some(1));
        let want = String::from_utf16_lossy(&value);
        prop_assert_eq!(parsed[key_s.as_str()].as_str(), Some(want.as_str()));
        let want_msg = String::from_utf16_lossy(&msg);
        prop_assert_eq!(parsed["msg"].as_str(), Some(want_msg.as_str()));
        if num.is_finite() {
            prop_assert_eq!(parsed["n"].as_f64(), Some(if num == 0.0 { 0.0 } else { num }));
        } else {
            prop_assert!(parsed["n"].is_null());
        }
    }
}
