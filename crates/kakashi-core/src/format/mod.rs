//! Turning a batch into lines, in one of three formats: JSON (NDJSON with pino's keys and
//! order), logfmt and pretty, each in a file of its own with its own layout; `layout` holds the
//! choices made once per logger, `text` what logfmt and pretty share; `otlp` and `syslog` gather
//! records into a network target's requests.

mod json;
mod layout;
mod logfmt;
pub mod otlp;
mod pretty;
pub mod syslog;
mod text;

pub use crate::literal::{write_number, write_raw, write_str};
pub use crate::decode::write_nested;
pub use layout::{Format, Layout, LevelSpec, TimeFormat};
pub(crate) use text::write_iso;
pub use text::{for_each_member, write_clock, write_escaped, write_value, Member};

pub use crate::decode::Formatted;
use crate::batch::Batch;
use crate::decode::decode;

/// Records gathered for a network target until they are sealed into one request's bytes.
pub trait Requests: Send {
    /// Takes every complete record of `batch` that `layout`'s levels let through.
    fn add(&mut self, batch: &Batch, layout: &Layout) -> Formatted;
    /// Records gathered since the last seal.
    fn records(&self) -> u32;
    /// The request's bytes; gathering starts again.
    fn seal(&mut self) -> Vec<u8>;
}

/// Lines in the target's format, as a file would have them (what a pino transport is fed), or
/// each framed as a syslog message.
#[derive(Default)]
pub struct Lines {
    out: Vec<u8>,
    records: u32,
    syslog: Option<syslog::Header>,
}

impl Lines {
    pub fn syslog(header: syslog::Header) -> Lines {
        Lines { syslog: Some(header), ..Lines::default() }
    }
}

impl Requests for Lines {
    fn add(&mut self, batch: &Batch, layout: &Layout) -> Formatted {
        let f = match &self.syslog {
            Some(header) => syslog::frames(batch, layout, header, &mut self.out),
            None => format(batch, layout, &mut self.out),
        };
        self.records += f.records;
        f
    }

    fn records(&self) -> u32 {
        self.records
    }

    fn seal(&mut self) -> Vec<u8> {
        self.records = 0;
        std::mem::take(&mut self.out)
    }
}

/// Formats every complete record of `batch` into `out`, as `layout` says.
pub fn format(batch: &Batch, layout: &Layout, out: &mut Vec<u8>) -> Formatted {
    match layout.format {
        Format::Json => decode(batch, &mut json::Json::new(layout), layout.range(), out),
        Format::Logfmt => decode(batch, &mut text::TextRecord::new(layout, logfmt::Logfmt), layout.range(), out),
        Format::Pretty => decode(batch, &mut text::TextRecord::new(layout, pretty::Pretty), layout.range(), out),
    }
}

// What the corpus (spec/corpus, run by tests/corpus.rs and both engines) cannot say: ops only the
// safe path writes (MEMBERS), levels left out by a target, bindings in force across records,
// malformed batches.
#[cfg(test)]
#[allow(clippy::approx_constant)] // 3.14 is test data, not pi
mod tests {
    use super::layout::STANDARD;
    use super::*;
    use crate::batch::BatchBuilder;

    fn lines(batch: &Batch) -> (String, Formatted) {
        let mut out = Vec::new();
        let f = format(batch, &Layout::default(), &mut out);
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
        assert_eq!(f, Formatted { records: 1, skipped: 0, error: None });
    }

    #[test]
    fn the_message_key_is_configurable() {
        let batch = BatchBuilder::default().record(30, None).msg("hi").end().build();
        let mut out = Vec::new();
        format(&batch, &Layout::new("message\n"), &mut out);
        assert_eq!(String::from_utf8(out).unwrap(), "{\"level\":30,\"message\\n\":\"hi\"}\n");
    }

    fn sample() -> Batch {
        BatchBuilder::default()
            .bindings(r#","pid":42,"hostname":"box","name":"app","region":"eu west""#)
            .record(30, Some(1764091801123.0))
            .key("a").num(1.0)
            .key("b").str("two words")
            .key("c\n").bool(true)
            .key("o").raw(r#"{"x":"\u001b[31m"}"#)
            .members(r#","g":"[Throws]""#)
            .msg("hello\nworld \u{1b}[2J")
            .end()
            .record(50, None).end()
            .build()
    }

    fn text(layout: Layout) -> String {
        let mut out = Vec::new();
        let f = format(&sample(), &layout, &mut out);
        assert_eq!(f, Formatted { records: 2, skipped: 0, error: None });
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn logfmt_puts_level_time_and_message_first_and_quotes_what_needs_it() {
        assert_eq!(
            text(Layout::new("msg").with_format(Format::Logfmt)),
            "level=info time=2025-11-25T17:30:01.123Z msg=\"hello\\nworld \\u001b[2J\" pid=42 hostname=box name=app region=\"eu west\" a=1 b=\"two words\" \"c\\n\"=true o=\"{\\\"x\\\":\\\"\\\\u001b[31m\\\"}\" g=[Throws]\n\
             level=error pid=42 hostname=box name=app region=\"eu west\"\n"
        );
    }

    #[test]
    fn pretty_shows_clock_level_name_message_then_fields_with_controls_escaped() {
        assert_eq!(
            text(Layout::new("msg").with_format(Format::Pretty)),
            "17:30:01.123 INFO  app: hello\\nworld \\u001b[2J region=\"eu west\" a=1 b=\"two words\" \"c\\n\"=true o={\"x\":\"\\u001b[31m\"} g=[Throws]\n\
             ERROR app: region=\"eu west\"\n"
        );
        let coloured = text(Layout::new("msg").with_format(Format::Pretty).with_colour(true));
        assert!(coloured.starts_with("17:30:01.123 \x1b[32mINFO \x1b[39m app: hello"), "{coloured}");
        assert!(coloured.contains(" \x1b[2ma=\x1b[22m1"));
    }

    #[test]
    fn json_takes_iso_times_level_labels_and_formatted_levels() {
        let batch = BatchBuilder::default().record(40, Some(1764091801123.0)).msg("m").end().build();
        let json = |layout: Layout| {
            let mut out = Vec::new();
            format(&batch, &layout, &mut out);
            String::from_utf8(out).unwrap()
        };
        assert_eq!(json(Layout::default().with_iso_time(true)), "{\"level\":40,\"time\":\"2025-11-25T17:30:01.123Z\",\"msg\":\"m\"}\n");
        assert_eq!(json(Layout::default().with_level_key("severity", true)), "{\"severity\":\"warn\",\"time\":1764091801123,\"msg\":\"m\"}\n");
        let specs: Vec<LevelSpec> = STANDARD
            .iter()
            .map(|&(v, l)| LevelSpec { member: Some(format!("\"sev\":\"{}\"", &l[..1].to_uppercase())), ..LevelSpec::new(v, l) })
            .collect();
        assert_eq!(json(Layout::default().with_levels(&specs)), "{\"sev\":\"W\",\"time\":1764091801123,\"msg\":\"m\"}\n");
        assert_eq!(json(Layout::default().with_time_format(TimeFormat::UnixSeconds)), "{\"level\":40,\"time\":1764091801,\"msg\":\"m\"}\n");
        assert_eq!(json(Layout::default().with_crlf(true)), "{\"level\":40,\"time\":1764091801123,\"msg\":\"m\"}\r\n");
    }

    #[test]
    fn a_message_again_is_the_batchs_previous_one_and_malformed_before_any() {
        let batch = BatchBuilder::default()
            .record(30, None).msg("same").end()
            .record(30, None).key("a").num(1.0).msg_again().end()
            .record(20, None).msg("skipped, still the previous").end()
            .record(30, None).msg_again().end()
            .build();
        let mut out = Vec::new();
        let f = format(&batch, &Layout::default().with_min_level(30), &mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"level\":30,\"msg\":\"same\"}\n{\"level\":30,\"a\":1,\"msg\":\"same\"}\n{\"level\":30,\"msg\":\"skipped, still the previous\"}\n"
        );
        assert_eq!(f, Formatted { records: 3, skipped: 1, error: None });
        let first = BatchBuilder::default().record(30, None).msg("kept").end().build();
        let mut again = BatchBuilder::default();
        again.record(30, None).msg_again().end();
        let (text, f) = lines(&first);
        assert_eq!(text, "{\"level\":30,\"msg\":\"kept\"}\n");
        assert_eq!(f.records, 1);
        // A batch's first message cannot be an earlier batch's: the record is refused.
        let (text, f) = lines(&again.build());
        assert_eq!((text.as_str(), f.records, f.error.is_some()), ("", 0, true));
    }

    #[test]
    fn records_below_the_minimum_level_are_left_out() {
        let batch = BatchBuilder::default()
            .record(20, None).key("a").raw("{\"x\":1}").msg("debug").end()
            .record(50, None).msg("error").end()
            .record(30, None).members(",\"m\":1").end()
            .build();
        let mut out = Vec::new();
        let f = format(&batch, &Layout::default().with_min_level(30), &mut out);
        assert_eq!(String::from_utf8(out).unwrap(), "{\"level\":50,\"msg\":\"error\"}\n{\"level\":30,\"m\":1}\n");
        assert_eq!(f, Formatted { records: 2, skipped: 1, error: None });
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
