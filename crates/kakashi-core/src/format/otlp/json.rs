//! The same request in OTLP/HTTP's JSON encoding (opentelemetry-proto's "JSON Protobuf
//! Encoding"): lowerCamelCase names, ids as hex, 64-bit integers as decimal strings, enums as
//! numbers, default values left out. Written from the prost messages so both encodings carry
//! exactly the same records.

use std::fmt::Write as _;

use super::proto::*;

pub fn encode(req: &ExportLogsServiceRequest) -> Vec<u8> {
    let mut o = String::with_capacity(256 * req.resource_logs.iter().map(|r| r.scope_logs.len()).sum::<usize>().max(1));
    o.push_str("{\"resourceLogs\":[");
    for (i, rl) in req.resource_logs.iter().enumerate() {
        comma(&mut o, i);
        o.push('{');
        if let Some(res) = &rl.resource {
            o.push_str("\"resource\":{\"attributes\":");
            attributes(&mut o, &res.attributes);
            o.push_str("},");
        }
        o.push_str("\"scopeLogs\":[");
        for (j, sl) in rl.scope_logs.iter().enumerate() {
            comma(&mut o, j);
            o.push('{');
            if let Some(scope) = &sl.scope {
                o.push_str("\"scope\":{\"name\":");
                string(&mut o, &scope.name);
                o.push_str(",\"version\":");
                string(&mut o, &scope.version);
                o.push_str("},");
            }
            o.push_str("\"logRecords\":[");
            for (k, r) in sl.log_records.iter().enumerate() {
                comma(&mut o, k);
                record(&mut o, r);
            }
            o.push_str("]}");
        }
        o.push_str("]}");
    }
    o.push_str("]}");
    o.into_bytes()
}

fn record(o: &mut String, r: &LogRecord) {
    let _ = write!(o, "{{\"timeUnixNano\":\"{}\"", r.time_unix_nano);
    if r.observed_time_unix_nano != 0 {
        let _ = write!(o, ",\"observedTimeUnixNano\":\"{}\"", r.observed_time_unix_nano);
    }
    let _ = write!(o, ",\"severityNumber\":{},\"severityText\":", r.severity_number);
    string(o, &r.severity_text);
    if let Some(body) = &r.body {
        o.push_str(",\"body\":");
        any(o, body);
    }
    if !r.attributes.is_empty() {
        o.push_str(",\"attributes\":");
        attributes(o, &r.attributes);
    }
    if r.flags != 0 {
        let _ = write!(o, ",\"flags\":{}", r.flags);
    }
    if !r.trace_id.is_empty() {
        o.push_str(",\"traceId\":");
        hex(o, &r.trace_id);
    }
    if !r.span_id.is_empty() {
        o.push_str(",\"spanId\":");
        hex(o, &r.span_id);
    }
    o.push('}');
}

fn attributes(o: &mut String, kvs: &[KeyValue]) {
    o.push('[');
    for (i, kv) in kvs.iter().enumerate() {
        comma(o, i);
        o.push_str("{\"key\":");
        string(o, &kv.key);
        o.push_str(",\"value\":");
        match &kv.value {
            Some(v) => any(o, v),
            None => o.push_str("{}"),
        }
        o.push('}');
    }
    o.push(']');
}

fn any(o: &mut String, v: &AnyValue) {
    match &v.value {
        None => o.push_str("{}"),
        Some(Value::String(s)) => {
            o.push_str("{\"stringValue\":");
            string(o, s);
            o.push('}');
        }
        Some(Value::Bool(b)) => {
            let _ = write!(o, "{{\"boolValue\":{b}}}");
        }
        Some(Value::Int(i)) => {
            let _ = write!(o, "{{\"intValue\":\"{i}\"}}");
        }
        Some(Value::Double(d)) => {
            // JSON has no NaN or infinities: protobuf's JSON mapping spells them as strings.
            if d.is_nan() {
                o.push_str("{\"doubleValue\":\"NaN\"}");
            } else if d.is_infinite() {
                o.push_str(if *d > 0.0 { "{\"doubleValue\":\"Infinity\"}" } else { "{\"doubleValue\":\"-Infinity\"}" });
            } else {
                let _ = write!(o, "{{\"doubleValue\":{d:?}}}");
            }
        }
        Some(Value::Array(a)) => {
            o.push_str("{\"arrayValue\":{\"values\":[");
            for (i, v) in a.values.iter().enumerate() {
                comma(o, i);
                any(o, v);
            }
            o.push_str("]}}");
        }
        Some(Value::Kvlist(l)) => {
            o.push_str("{\"kvlistValue\":{\"values\":");
            attributes(o, &l.values);
            o.push_str("}}");
        }
    }
}

fn comma(o: &mut String, i: usize) {
    if i > 0 {
        o.push(',');
    }
}

fn string(o: &mut String, s: &str) {
    // serde_json's escaping: the text is valid UTF-8 already, so this cannot fail.
    o.push_str(&serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into()));
}

fn hex(o: &mut String, bytes: &[u8]) {
    o.push('"');
    for b in bytes {
        let _ = write!(o, "{b:02x}");
    }
    o.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_in_otlp_json() {
        let rec = LogRecord {
            time_unix_nano: 1_700_000_000_123_000_000,
            observed_time_unix_nano: 0,
            severity_number: 9,
            severity_text: "info".into(),
            body: Some(AnyValue { value: Some(Value::String("hi \"x\"".into())) }),
            attributes: vec![
                KeyValue { key: "n".into(), value: Some(AnyValue { value: Some(Value::Int(-3)) }) },
                KeyValue { key: "f".into(), value: Some(AnyValue { value: Some(Value::Double(1.5)) }) },
                KeyValue { key: "inf".into(), value: Some(AnyValue { value: Some(Value::Double(f64::INFINITY)) }) },
                KeyValue {
                    key: "o".into(),
                    value: Some(AnyValue {
                        value: Some(Value::Kvlist(KeyValueList {
                            values: vec![KeyValue { key: "a".into(), value: Some(AnyValue { value: Some(Value::Array(ArrayValue { values: vec![AnyValue { value: Some(Value::Bool(true)) }, AnyValue { value: None }] })) }) }],
                        })),
                    }),
                },
            ],
            flags: 1,
            trace_id: vec![0xab; 16],
            span_id: vec![0x01; 8],
        };
        let req = ExportLogsServiceRequest {
            resource_logs: vec![ResourceLogs {
                resource: Some(Resource { attributes: vec![KeyValue { key: "service.name".into(), value: Some(AnyValue { value: Some(Value::String("svc".into())) }) }] }),
                scope_logs: vec![ScopeLogs { scope: Some(InstrumentationScope { name: "kakashi".into(), version: "1".into() }), log_records: vec![rec] }],
            }],
        };
        let text = String::from_utf8(encode(&req)).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let r = &v["resourceLogs"][0]["scopeLogs"][0]["logRecords"][0];
        assert_eq!(v["resourceLogs"][0]["resource"]["attributes"][0]["value"]["stringValue"], "svc");
        assert_eq!(r["timeUnixNano"], "1700000000123000000");
        assert!(r.get("observedTimeUnixNano").is_none());
        assert_eq!(r["severityNumber"], 9);
        assert_eq!(r["body"]["stringValue"], "hi \"x\"");
        assert_eq!(r["attributes"][0]["value"]["intValue"], "-3");
        assert_eq!(r["attributes"][1]["value"]["doubleValue"], 1.5);
        assert_eq!(r["attributes"][2]["value"]["doubleValue"], "Infinity");
        assert_eq!(r["attributes"][3]["value"]["kvlistValue"]["values"][0]["value"]["arrayValue"]["values"][0]["boolValue"], true);
        assert_eq!(r["traceId"], "ab".repeat(16));
        assert_eq!(r["spanId"], "0101010101010101");
        assert_eq!(r["flags"], 1);
    }
}
