//! Turns a batch into NDJSON lines with pino's keys and order:
//! `level`, `time`, bindings (`pid`, `hostname`, `name`, child bindings), fields, `msg`.

use crate::batch::{Batch, Malformed, Op};
use crate::json::{write_number, write_raw, write_str};

/// What formatting a batch produced: complete lines are always left in `out`; a malformed
/// batch (a facade bug, never user input) stops at the last complete record.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Formatted {
    pub records: u32,
    pub error: Option<Malformed>,
}

/// How a logger tree's lines are laid out beyond pino's defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// `,"msg":`, or the `messageKey` chosen, escaped once here.
    msg_key: Vec<u8>,
}

impl Default for Layout {
    fn default() -> Self {
        Layout::new("msg")
    }
}

impl Layout {
    pub fn new(message_key: &str) -> Layout {
        let units: Vec<u16> = message_key.encode_utf16().collect();
        let mut msg_key = vec![b','];
        write_str(&mut msg_key, &units);
        msg_key.push(b':');
        Layout { msg_key }
    }
}

pub fn format_json(batch: &Batch, layout: &Layout, out: &mut Vec<u8>) -> Formatted {
    let mut done = Formatted::default();
    let mut committed = out.len();
    // Bindings stay in force across records and timestamps repeat within a millisecond:
    // both are turned into bytes once and copied after that.
    let mut bindings: Vec<u8> = Vec::new();
    let mut time_text: (f64, Vec<u8>) = (f64::NAN, Vec::new());
    let mut in_record = false;
    let mut expect_value = false;
    for (index, op) in batch.ops().enumerate() {
        let op = match op {
            Ok(op) => op,
            Err(e) => {
                done.error = Some(e);
                break;
            }
        };
        let ok = match op {
            Op::Bindings(b) => {
                bindings.clear();
                write_raw(&mut bindings, b);
                !in_record
            }
            Op::Record { level, time } => {
                out.extend_from_slice(b"{\"level\":");
                write_number(out, level as f64);
                if let Some(t) = time {
                    if t != time_text.0 {
                        time_text.0 = t;
                        time_text.1.clear();
                        write_number(&mut time_text.1, t);
                    }
                    out.extend_from_slice(b",\"time\":");
                    out.extend_from_slice(&time_text.1);
                }
                out.extend_from_slice(&bindings);
                !std::mem::replace(&mut in_record, true)
            }
            Op::Key(k) => {
                out.push(b',');
                write_str(out, k);
                out.push(b':');
                in_record && !std::mem::replace(&mut expect_value, true)
            }
            Op::Str(_) | Op::Num(_) | Op::Bool(_) | Op::Null | Op::Raw(_) => {
                match op {
                    Op::Str(s) => write_str(out, s),
                    Op::Num(v) => write_number(out, v),
                    Op::Bool(true) => out.extend_from_slice(b"true"),
                    Op::Bool(false) => out.extend_from_slice(b"false"),
                    Op::Raw(s) => write_raw(out, s),
                    _ => out.extend_from_slice(b"null"),
                }
                std::mem::replace(&mut expect_value, false)
            }
            Op::Members(m) => {
                write_raw(out, m);
                in_record && !expect_value
            }
            Op::Msg(m) => {
                out.extend_from_slice(&layout.msg_key);
                write_str(out, m);
                in_record && !expect_value
            }
            Op::End => {
                out.extend_from_slice(b"}\n");
                let ok = in_record && !expect_value;
                if ok {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::BatchBuilder;

    fn lines(batch: &Batch) -> (String, Formatted) {
        let mut out = Vec::new();
        let f = format_json(batch, &Layout::default(), &mut out);
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
        assert_eq!(f, Formatted { records: 1, error: None });
    }

    #[test]
    fn the_message_key_is_configurable() {
        let batch = BatchBuilder::default().record(30, None).msg("hi").end().build();
        let mut out = Vec::new();
        format_json(&batch, &Layout::new("message\n"), &mut out);
        assert_eq!(String::from_utf8(out).unwrap(), "{\"level\":30,\"message\\n\":\"hi\"}\n");
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
