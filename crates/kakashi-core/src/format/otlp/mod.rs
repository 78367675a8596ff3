//! OTLP: a batch's records as OpenTelemetry log records (the Logs Data Model, mapped as
//! instrumentation-pino maps pino's), grouped by resource and encoded as an
//! `ExportLogsServiceRequest` in protobuf (`json` re-encodes it for OTLP/HTTP JSON).
//!
//! | pino                                  | OTLP                                              |
//! |---------------------------------------|---------------------------------------------------|
//! | level 10/20/30/40/50/60 (custom: between) | `severityNumber` 1/5/9/13/17/21, `severityText` the label |
//! | the message                           | `body` (a string)                                 |
//! | `time`                                | `timeUnixNano`; `observedTimeUnixNano` when mapped |
//! | `trace_id`, `span_id`, `trace_flags`  | the record's `traceId`, `spanId`, `flags`         |
//! | `err` (`type`, `message`, `stack`)    | `exception.type`, `exception.message`, `exception.stacktrace` |
//! | bindings `name`, `hostname`, `pid`    | resource `service.name`, `host.name`, `process.pid` |
//! | every other field and binding         | an attribute; objects as kvlists, arrays as arrays |

pub mod json;
pub mod proto;

use prost::Message;
use serde_json::Value as Json;

use self::proto::*;
use crate::batch::Batch;
use crate::decode::{decode, Formatted, Nested, Op, Visitor};
use crate::format::{Layout, Requests};

/// The records of one or more batches, waiting to go out as one request.
#[derive(Debug, Default)]
pub struct Logs {
    groups: Vec<(Vec<KeyValue>, Vec<LogRecord>)>,
    records: u32,
    /// The target's own resource attributes: they win over what the bindings say.
    resource: Vec<KeyValue>,
}

impl Logs {
    pub fn new(resource: Vec<KeyValue>) -> Logs {
        Logs { resource, ..Logs::default() }
    }
}

impl Requests for Logs {
    /// Maps every complete record of `batch` that `layout`'s levels let through.
    fn add(&mut self, batch: &Batch, layout: &Layout) -> Formatted {
        let mut v = Mapper { layout, logs: self, bindings: Part::default(), resource: Vec::new(), custom_time: None, rec: None, key: None };
        decode(batch, &mut v, layout.range(), &mut Vec::new())
    }

    fn records(&self) -> u32 {
        self.records
    }

    /// The request in protobuf.
    fn seal(&mut self) -> Vec<u8> {
        self.records = 0;
        let groups = std::mem::take(&mut self.groups);
        let resource = &self.resource;
        let scope = InstrumentationScope { name: "kakashi".into(), version: env!("CARGO_PKG_VERSION").into() };
        let resource_logs = groups
            .into_iter()
            .map(|(mut attrs, log_records)| {
                attrs.retain(|a| !resource.iter().any(|r| r.key == a.key));
                attrs.extend_from_slice(resource);
                if !attrs.iter().any(|a| a.key == "service.name") {
                    // The semantic conventions' name for a service that did not give one.
                    attrs.push(kv("service.name", Json::from("unknown_service:node")));
                }
                ResourceLogs {
                    resource: Some(Resource { attributes: attrs }),
                    scope_logs: vec![ScopeLogs { scope: Some(scope.clone()), log_records }],
                }
            })
            .collect();
        ExportLogsServiceRequest { resource_logs }.encode_to_vec()
    }
}

/// OTLP's severity for a level: the standard six on their ranges' first number, a custom level
/// between two of them within the lower one's range of four (35 → 11).
pub fn severity(level: u32) -> i32 {
    if level < 10 {
        return 1;
    }
    let range = ((level / 10).min(6) - 1) as i32;
    let step = if level >= 70 { 3 } else { ((level % 10) * 4 / 10) as i32 };
    1 + 4 * range + step
}

/// What fields and bindings contribute to a record.
#[derive(Debug, Default, Clone)]
struct Part {
    attrs: Vec<KeyValue>,
    trace_id: Vec<u8>,
    span_id: Vec<u8>,
    flags: Option<u32>,
}

struct Mapper<'a> {
    layout: &'a Layout,
    logs: &'a mut Logs,
    bindings: Part,
    /// `service.name`, `host.name`, `process.pid` from the bindings in force.
    resource: Vec<KeyValue>,
    custom_time: Option<Vec<u16>>,
    rec: Option<(LogRecord, Part)>,
    key: Option<String>,
}

fn text(units: &[u16]) -> String {
    String::from_utf16_lossy(units)
}

/// `,"a":1,"b":{…}` (bindings, members, a custom time) as its members.
fn members(units: &[u16]) -> Vec<(String, Json)> {
    let s = text(units);
    let body = s.trim_start_matches(',');
    match serde_json::from_str::<serde_json::Map<String, Json>>(&format!("{{{body}}}")) {
        Ok(map) => map.into_iter().collect(),
        Err(_) => Vec::new(),
    }
}

pub fn any(v: Json) -> AnyValue {
    let value = match v {
        Json::Null => None,
        Json::Bool(b) => Some(Value::Bool(b)),
        Json::Number(n) => Some(match n.as_i64() {
            Some(i) => Value::Int(i),
            None => {
                let f = n.as_f64().unwrap_or(f64::NAN);
                if f.fract() == 0.0 && f.abs() < 9.007_199_254_740_992e15 { Value::Int(f as i64) } else { Value::Double(f) }
            }
        }),
        Json::String(s) => Some(Value::String(s)),
        Json::Array(a) => Some(Value::Array(ArrayValue { values: a.into_iter().map(any).collect() })),
        Json::Object(o) => Some(Value::Kvlist(KeyValueList { values: o.into_iter().map(|(k, v)| kv(k, v)).collect() })),
    };
    AnyValue { value }
}

pub fn kv(key: impl Into<String>, v: Json) -> KeyValue {
    KeyValue { key: key.into(), value: Some(any(v)) }
}

fn hex(s: &str, len: usize) -> Option<Vec<u8>> {
    if s.len() != 2 * len || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let bytes: Vec<u8> = (0..len).map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap_or(0)).collect();
    // All-zero ids are invalid in OTLP: such a record has no trace.
    bytes.iter().any(|&b| b != 0).then_some(bytes)
}

impl Part {
    /// Places one field: trace context on the record, `err` as `exception.*`, the rest as attributes.
    fn take(&mut self, key: String, v: Json) {
        match (key.as_str(), &v) {
            ("trace_id", Json::String(s)) if hex(s, 16).is_some() => self.trace_id = hex(s, 16).unwrap_or_default(),
            ("span_id", Json::String(s)) if hex(s, 8).is_some() => self.span_id = hex(s, 8).unwrap_or_default(),
            ("trace_flags", Json::String(s)) if u8::from_str_radix(s, 16).is_ok() => {
                self.flags = u8::from_str_radix(s, 16).ok().map(u32::from)
            }
            ("trace_flags", Json::Number(n)) if n.as_u64().is_some_and(|f| f < 256) => self.flags = n.as_u64().map(|f| f as u32),
            ("err", Json::Object(_)) => {
                let Json::Object(mut err) = v else { return };
                for (from, to) in [("type", "exception.type"), ("message", "exception.message"), ("stack", "exception.stacktrace")] {
                    if let Some(x) = err.remove(from) {
                        self.attrs.push(kv(to, x));
                    }
                }
                if !err.is_empty() {
                    self.attrs.push(kv("err", Json::Object(err)));
                }
            }
            _ => self.attrs.push(kv(key, v)),
        }
    }
}

fn op_json(v: Op<'_>) -> Json {
    match v {
        Op::Str(s) => Json::String(text(s)),
        Op::Num(n) => serde_json::Number::from_f64(n).map_or(Json::Null, Json::Number),
        Op::Bool(b) => Json::Bool(b),
        Op::Raw(r) => serde_json::from_str(&text(r)).unwrap_or_else(|_| Json::String(text(r))),
        Op::Nested(n) => nested_json(&n),
        _ => Json::Null,
    }
}

/// A nested value JavaScript captured member by member, as a JSON value (its numbers exact).
fn nested_json(n: &Nested<'_>) -> Json {
    enum Open {
        Array(Vec<Json>),
        Object(serde_json::Map<String, Json>, Option<String>),
    }
    let open = |array| if array { Open::Array(Vec::new()) } else { Open::Object(serde_json::Map::new(), None) };
    let mut levels = vec![open(n.array)];
    for op in n.ops() {
        let Ok(op) = op else { break };
        let value = match op {
            Op::Key(k) => {
                if let Some(Open::Object(_, key)) = levels.last_mut() {
                    *key = Some(text(k));
                }
                continue;
            }
            Op::Open { array } => {
                levels.push(open(array));
                continue;
            }
            Op::Close => match levels.pop() {
                Some(Open::Array(items)) => Json::Array(items),
                Some(Open::Object(members, _)) => Json::Object(members),
                None => break,
            },
            v => op_json(v),
        };
        match levels.last_mut() {
            Some(Open::Array(items)) => items.push(value),
            Some(Open::Object(members, key)) => {
                if let Some(k) = key.take() {
                    members.insert(k, value);
                }
            }
            None => return value,
        }
    }
    Json::Null
}

/// Whole milliseconds exactly (an f64 product would be off by tens of ns), the fraction rounded.
fn ms_to_ns(ms: f64) -> u64 {
    if !(ms >= 0.0) {
        return 0;
    }
    let whole = ms.trunc();
    (whole as u64).saturating_mul(1_000_000) + ((ms - whole) * 1e6).round() as u64
}

fn now_ns() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64)
}

impl Visitor for Mapper<'_> {
    fn bindings(&mut self, b: &[u16]) {
        self.bindings = Part::default();
        self.resource.clear();
        for (k, v) in members(b) {
            let to = match k.as_str() {
                "name" => "service.name",
                "hostname" => "host.name",
                "pid" => "process.pid",
                _ => {
                    self.bindings.take(k, v);
                    continue;
                }
            };
            self.resource.push(kv(to, v));
        }
    }

    fn time(&mut self, t: &[u16]) {
        self.custom_time = Some(t.to_vec());
    }

    fn record(&mut self, _out: &mut Vec<u8>, level: u32, time: Option<f64>) {
        let severity_text = self.layout.level(level).map_or_else(|| level.to_string(), |l| l.name.clone());
        let mut part = self.bindings.clone();
        let mut time_ms = time;
        if let Some(custom) = self.custom_time.take() {
            for (k, v) in members(&custom) {
                match v.as_f64() {
                    Some(ms) if k == "time" => time_ms = Some(ms),
                    _ => part.take(k, v),
                }
            }
        }
        let observed = now_ns();
        let rec = LogRecord {
            time_unix_nano: time_ms.map_or(0, ms_to_ns),
            observed_time_unix_nano: observed,
            severity_number: severity(level),
            severity_text,
            ..Default::default()
        };
        self.rec = Some((rec, part));
    }

    fn key(&mut self, _out: &mut Vec<u8>, k: &[u16]) {
        self.key = Some(text(k));
    }

    fn value(&mut self, _out: &mut Vec<u8>, v: Op<'_>) {
        if let (Some(key), Some((_, part))) = (self.key.take(), &mut self.rec) {
            part.take(key, op_json(v));
        }
    }

    fn members(&mut self, _out: &mut Vec<u8>, m: &[u16]) {
        if let Some((_, part)) = &mut self.rec {
            for (k, v) in members(m) {
                part.take(k, v);
            }
        }
    }

    fn msg(&mut self, _out: &mut Vec<u8>, m: &[u16]) {
        if let Some((rec, _)) = &mut self.rec {
            rec.body = Some(AnyValue { value: Some(Value::String(text(m))) });
        }
    }

    fn end(&mut self, _out: &mut Vec<u8>) {
        let Some((mut rec, part)) = self.rec.take() else { return };
        rec.attributes = part.attrs;
        rec.trace_id = part.trace_id;
        rec.span_id = part.span_id;
        rec.flags = part.flags.unwrap_or(0);
        match self.logs.groups.iter_mut().find(|(r, _)| *r == self.resource) {
            Some((_, records)) => records.push(rec),
            None => self.logs.groups.push((self.resource.clone(), vec![rec])),
        }
        self.logs.records += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::BatchBuilder;

    fn request(batch: &Batch) -> ExportLogsServiceRequest {
        let mut logs = Logs::new(vec![kv("deployment.environment", Json::from("test"))]);
        logs.add(batch, &Layout::default());
        ExportLogsServiceRequest::decode(&logs.seal()[..]).unwrap()
    }

    fn attr<'a>(attrs: &'a [KeyValue], key: &str) -> Option<&'a Value> {
        attrs.iter().find(|a| a.key == key).and_then(|a| a.value.as_ref()).and_then(|v| v.value.as_ref())
    }

    #[test]
    fn severities_follow_the_logs_data_model() {
        let got: Vec<i32> = [1, 10, 20, 30, 35, 40, 50, 60, 65, 100].iter().map(|&l| severity(l)).collect();
        assert_eq!(got, [1, 1, 5, 9, 11, 13, 17, 21, 23, 24]);
    }

    #[test]
    fn a_record_maps_to_a_log_record_with_its_resource() {
        let batch = BatchBuilder::default()
            .bindings(r#","pid":42,"hostname":"box","name":"api","region":"eu""#)
            .record(50, Some(1700000000123.0))
            .key("n").num(3.0)
            .key("ratio").num(0.5)
            .key("nested").raw(r#"{"a":[1,"x"],"b":null}"#)
            .key("captured").open_object().key("a").open_array().num(1.0).str("x").close().key("b").null().close()
            .key("trace_id").str("4bf92f3577b34da6a3ce929d0e0e4736")
            .key("span_id").str("00f067aa0ba902b7")
            .key("trace_flags").str("01")
            .key("err").raw(r#"{"type":"Error","message":"boom","stack":"Error: boom\n    at x","code":"E1"}"#)
            .msg("failed")
            .end()
            .build();
        let req = request(&batch);
        assert_eq!(req.resource_logs.len(), 1);
        let res = &req.resource_logs[0].resource.as_ref().unwrap().attributes;
        assert_eq!(attr(res, "service.name"), Some(&Value::String("api".into())));
        assert_eq!(attr(res, "host.name"), Some(&Value::String("box".into())));
        assert_eq!(attr(res, "process.pid"), Some(&Value::Int(42)));
        assert_eq!(attr(res, "deployment.environment"), Some(&Value::String("test".into())));
        let scope = &req.resource_logs[0].scope_logs[0];
        assert_eq!(scope.scope.as_ref().unwrap().name, "kakashi");
        let rec = &scope.log_records[0];
        assert_eq!((rec.severity_number, rec.severity_text.as_str()), (17, "error"));
        assert_eq!(rec.time_unix_nano, 1_700_000_000_123_000_000);
        assert!(rec.observed_time_unix_nano > rec.time_unix_nano);
        assert_eq!(rec.body.as_ref().unwrap().value, Some(Value::String("failed".into())));
        assert_eq!(rec.trace_id.len(), 16);
        assert_eq!(rec.span_id, [0x00, 0xf0, 0x67, 0xaa, 0x0b, 0xa9, 0x02, 0xb7]);
        assert_eq!(rec.flags, 1);
        let a = &rec.attributes;
        assert_eq!(attr(a, "region"), Some(&Value::String("eu".into())));
        assert_eq!(attr(a, "n"), Some(&Value::Int(3)));
        assert_eq!(attr(a, "ratio"), Some(&Value::Double(0.5)));
        assert_eq!(attr(a, "exception.type"), Some(&Value::String("Error".into())));
        assert_eq!(attr(a, "exception.message"), Some(&Value::String("boom".into())));
        assert!(matches!(attr(a, "exception.stacktrace"), Some(Value::String(s)) if s.starts_with("Error: boom")));
        assert!(matches!(attr(a, "err"), Some(Value::Kvlist(l)) if l.values.len() == 1 && l.values[0].key == "code"));
        let Some(Value::Kvlist(nested)) = attr(a, "nested") else { panic!("nested is a kvlist") };
        assert!(matches!(attr(&nested.values, "a"), Some(Value::Array(arr)) if arr.values.len() == 2));
        assert_eq!(nested.values[1].value, Some(AnyValue { value: None }));
        // A plain object JavaScript captured member by member is the same value.
        assert_eq!(attr(a, "captured"), attr(a, "nested"));
        for k in ["trace_id", "span_id", "trace_flags", "pid", "hostname", "name"] {
            assert!(attr(a, k).is_none(), "{k} is not an attribute");
        }
    }

    #[test]
    fn records_of_different_resources_go_in_different_groups_and_bad_ids_stay_attributes() {
        let batch = BatchBuilder::default()
            .bindings(r#","name":"a""#)
            .record(30, None).key("trace_id").str("nothex").msg("one").end()
            .bindings(r#","name":"b""#)
            .record(30, None).msg("two").end()
            .bindings(r#","name":"a""#)
            .record(30, None).msg("three").end()
            .build();
        let req = request(&batch);
        let counts: Vec<usize> = req.resource_logs.iter().map(|r| r.scope_logs[0].log_records.len()).collect();
        assert_eq!(counts, [2, 1]);
        let first = &req.resource_logs[0].scope_logs[0].log_records[0];
        assert!(first.trace_id.is_empty());
        assert_eq!(attr(&first.attributes, "trace_id"), Some(&Value::String("nothex".into())));
        assert_eq!(first.time_unix_nano, 0);
    }
}
