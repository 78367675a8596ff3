//! The format specification (spec/corpus/*.json), run through the writer's formatters: each
//! case's records built into a batch as the JavaScript encoder builds them, formatted in every
//! format, and compared byte for byte with the case. `__test__/corpus.test.mjs` runs the same
//! cases through both engines.

use std::path::PathBuf;

use kakashi_core::format::{format, Format, Layout, LevelSpec, TimeFormat};
use kakashi_core::BatchBuilder;
use serde_json::Value;

fn corpus() -> Vec<(String, Value)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../spec/corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "json")).collect();
    files.sort();
    let mut cases = Vec::new();
    for f in files {
        let list: Value = serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        for c in list.as_array().unwrap() {
            cases.push((format!("{}: {}", f.file_name().unwrap().to_string_lossy(), c["name"].as_str().unwrap()), c.clone()));
        }
    }
    cases
}

fn layout(options: &Value, format_: Format) -> Layout {
    let mut layout = Layout::new(options["messageKey"].as_str().unwrap_or("msg"))
        .with_format(format_)
        .with_level_key(options["levelKey"].as_str().unwrap_or("level"), options["levelLabels"].as_bool().unwrap_or(false))
        .with_crlf(options["crlf"].as_bool().unwrap_or(false))
        .with_colour(options["colors"].as_bool().unwrap_or(false))
        .with_time_format(match options["timestamp"].as_str() {
            Some("iso") => TimeFormat::Iso,
            Some("unix") => TimeFormat::UnixSeconds,
            _ => TimeFormat::EpochMs,
        });
    if let Some(custom) = options["customLevels"].as_object() {
        let standard = [(10, "trace"), (20, "debug"), (30, "info"), (40, "warn"), (50, "error"), (60, "fatal")];
        let mut specs: Vec<LevelSpec> = standard.iter().map(|&(v, l)| LevelSpec::new(v, l)).collect();
        specs.extend(custom.iter().map(|(l, v)| LevelSpec::new(v.as_u64().unwrap() as u32, l)));
        layout = layout.with_levels(&specs);
    }
    layout
}

/// How a case's `raw` JSON values are captured: as JSON text (what JavaScript sends for values it
/// cannot capture member by member) or as nested ops (plain objects and arrays).
#[derive(Clone, Copy)]
enum Nested {
    AsText,
    AsOps,
}

/// A JSON value as the JavaScript encoder captures a plain object or array: member by member.
fn nested_ops(b: &mut BatchBuilder, v: &Value) {
    match v {
        Value::Object(members) => {
            b.open_object();
            for (k, v) in members {
                b.key(k);
                nested_ops(b, v);
            }
            b.close();
        }
        Value::Array(items) => {
            b.open_array();
            items.iter().for_each(|v| nested_ops(b, v));
            b.close();
        }
        Value::String(s) => {
            b.str(s);
        }
        Value::Number(n) => {
            b.num(n.as_f64().unwrap());
        }
        Value::Bool(x) => {
            b.bool(*x);
        }
        Value::Null => {
            b.null();
        }
    }
}

fn batch(c: &Value, nested: Nested) -> kakashi_core::Batch {
    let mut b = BatchBuilder::default();
    if let Some(bindings) = c["bindings"].as_str() {
        b.bindings(bindings);
    }
    let timestamp = &c["options"]["timestamp"];
    let (timed, custom) = (timestamp != &Value::Bool(false) && timestamp != "custom", timestamp == "custom");
    for r in c["records"].as_array().unwrap() {
        if custom {
            // The JavaScript encoder sends each record's custom time, even an empty one.
            b.time(r["customTime"].as_str().unwrap_or(""));
        }
        b.record(r["level"].as_u64().unwrap() as u32, if timed { r["time"].as_f64().or(Some(0.0)) } else { None });
        for field in r["fields"].as_array().map(Vec::as_slice).unwrap_or_default() {
            let (k, v) = (field[0].as_str().unwrap(), &field[1]);
            b.key(k);
            if let Some(s) = v.get("str") {
                b.str(s.as_str().unwrap());
            } else if let Some(units) = v.get("units") {
                let units: Vec<u16> = units.as_array().unwrap().iter().map(|u| u.as_u64().unwrap() as u16).collect();
                b.str_units(&units);
            } else if let Some(n) = v.get("num") {
                b.num(n.as_f64().unwrap());
            } else if let Some(x) = v.get("bool") {
                b.bool(x.as_bool().unwrap());
            } else if v.get("null").is_some() {
                b.null();
            } else if let Some(raw) = v.get("raw") {
                let raw = raw.as_str().unwrap();
                match (nested, serde_json::from_str::<Value>(raw)) {
                    (Nested::AsOps, Ok(v @ (Value::Object(_) | Value::Array(_)))) => nested_ops(&mut b, &v),
                    _ => {
                        b.raw(raw);
                    }
                }
            } else {
                panic!("unknown value {v}");
            }
        }
        if let Some(m) = r["msg"].as_str() {
            b.msg(m);
        }
        b.end();
    }
    b.build()
}

#[test]
fn every_case_of_the_corpus_formats_to_its_bytes() {
    let cases = corpus();
    assert!(cases.len() >= 10, "the corpus is there");
    for (name, c) in cases {
        for nested in [Nested::AsText, Nested::AsOps] {
            let batch = batch(&c, nested);
            for (key, format_) in [("json", Format::Json), ("logfmt", Format::Logfmt), ("pretty", Format::Pretty)] {
                let mut out = Vec::new();
                let done = format(&batch, &layout(&c["options"], format_), &mut out);
                assert!(done.error.is_none(), "{name} ({key}): {:?}", done.error);
                assert_eq!(String::from_utf8(out).unwrap(), c["expect"][key].as_str().unwrap(), "{name} ({key})");
            }
        }
    }
}
