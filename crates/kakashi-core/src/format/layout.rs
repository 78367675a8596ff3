//! How a logger tree's lines are laid out: the format, the keys, every level in each format's
//! words, the time's form, colour, line ends, and the levels a target writes. Made once, when
//! the logger is made: formatting a record only copies what is here.

use crate::literal::{write_number, write_str};
use super::text::{write_escaped, write_value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    /// `level=info time=2026-01-01T00:00:00.000Z msg="…" key=value`
    Logfmt,
    /// `00:00:00.000 INFO  name: message key=value`, colour optional.
    Pretty,
}

/// The standard levels, pino's: what a layout knows unless it is given others.
pub(crate) const STANDARD: [(u32, &str); 6] = [(10, "trace"), (20, "debug"), (30, "info"), (40, "warn"), (50, "error"), (60, "fatal")];
/// SGR colours of the standard levels in pretty output: grey, cyan, green, yellow, red, magenta.
const COLOURS: [&str; 6] = ["\x1b[90m", "\x1b[36m", "\x1b[32m", "\x1b[33m", "\x1b[31m", "\x1b[35m"];

pub(crate) fn utf16(s: &str) -> Vec<u16> {
    s.encode_utf16().collect()
}

pub(crate) fn is(k: &[u16], s: &str) -> bool {
    k.iter().copied().eq(s.encode_utf16())
}

/// A level a logger tree knows (the standard six, or its custom levels), with how each format
/// writes it, made once per layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelSpec {
    pub value: u32,
    pub label: String,
    /// JSON members written in place of the level (`"level":30`, `"level":"info"`, or what
    /// `formatters.level` returned), without the leading comma; `None` for `"<levelKey>":<value>`.
    pub member: Option<String>,
}

impl LevelSpec {
    pub fn new(value: u32, label: &str) -> LevelSpec {
        LevelSpec { value, label: label.to_owned(), member: None }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LevelText {
    value: u32,
    /// OTLP's `severityText`: the label itself.
    pub(crate) name: String,
    /// JSON: `{"level":30` (the record's opening).
    pub(crate) open: Vec<u8>,
    /// logfmt: the label as a value.
    pub(crate) label: Vec<u8>,
    /// pretty: the label in capitals, padded to five columns.
    pub(crate) pretty: Vec<u8>,
    pub(crate) colour: Option<&'static str>,
}

/// How `time` is written in JSON (logfmt and pretty always show a UTC ISO time or clock).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TimeFormat {
    /// Epoch milliseconds, pino's default (`stdTimeFunctions.epochTime`).
    #[default]
    EpochMs,
    /// Epoch seconds, rounded (`stdTimeFunctions.unixTime`).
    UnixSeconds,
    /// `"2026-11-25T17:30:01.123Z"` (`stdTimeFunctions.isoTime`).
    Iso,
}

/// How a logger tree's lines are laid out: the format and the choices each takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub(crate) format: Format,
    /// JSON: `,"msg":`, or the `messageKey` chosen, escaped once here.
    pub(crate) msg_key: Vec<u8>,
    /// logfmt: the message and level keys as written there.
    pub(crate) msg_key_text: Vec<u8>,
    pub(crate) level_key: Vec<u16>,
    pub(crate) level_key_text: Vec<u8>,
    /// Every level the logger tree knows, in each format's words.
    levels: Vec<LevelText>,
    pub(crate) time: TimeFormat,
    pub(crate) colour: bool,
    /// `\n`, or `\r\n` (pino's `crlf`).
    pub(crate) eol: &'static [u8],
    /// Records below this level are left out (a target with its own level), and records at
    /// `below_level` or above (pino.multistream's dedupe: a higher target takes them).
    min_level: u32,
    below_level: u32,
}

impl Layout {
    /// The levels this layout writes: `[min_level, below_level)`.
    pub(crate) fn range(&self) -> (u32, u32) {
        (self.min_level, self.below_level)
    }
}

impl Default for Layout {
    fn default() -> Self {
        Layout::new("msg")
    }
}

impl Layout {
    pub fn new(message_key: &str) -> Layout {
        let units = utf16(message_key);
        let mut msg_key = vec![b','];
        write_str(&mut msg_key, &units);
        msg_key.push(b':');
        let mut msg_key_text = Vec::new();
        write_value(&mut msg_key_text, &units);
        Layout {
            format: Format::Json,
            msg_key,
            msg_key_text,
            level_key: Vec::new(),
            level_key_text: Vec::new(),
            levels: Vec::new(),
            time: TimeFormat::EpochMs,
            colour: false,
            eol: b"\n",
            min_level: 0,
            below_level: u32::MAX,
        }
        .with_level_key("level", false)
    }

    pub fn with_format(mut self, format: Format) -> Layout {
        self.format = format;
        self
    }

    /// The standard levels under `key`, written as numbers (pino's) or, with `labels`, as names.
    pub fn with_level_key(mut self, key: &str, labels: bool) -> Layout {
        self.level_key = utf16(key);
        self.level_key_text.clear();
        write_value(&mut self.level_key_text, &self.level_key);
        let mut specs: Vec<LevelSpec> = STANDARD.iter().map(|&(v, l)| LevelSpec::new(v, l)).collect();
        if labels {
            for spec in &mut specs {
                let mut member = Vec::new();
                write_str(&mut member, &self.level_key);
                member.push(b':');
                write_str(&mut member, &utf16(&spec.label));
                spec.member = String::from_utf8(member).ok();
            }
        }
        self.with_levels(&specs)
    }

    /// The levels this logger tree knows (standard, custom, or only custom), each with the
    /// JSON members written in its place; a level not listed is written as its number.
    pub fn with_levels(mut self, specs: &[LevelSpec]) -> Layout {
        self.levels = specs
            .iter()
            .map(|spec| {
                let mut open = vec![b'{'];
                match &spec.member {
                    Some(m) => open.extend_from_slice(m.as_bytes()),
                    None => {
                        write_str(&mut open, &self.level_key);
                        open.push(b':');
                        write_number(&mut open, f64::from(spec.value));
                    }
                }
                let mut label = Vec::new();
                write_value(&mut label, &utf16(&spec.label));
                let mut pretty = Vec::new();
                write_escaped(&mut pretty, &utf16(&format!("{:<5}", spec.label.to_uppercase())), false);
                // Custom levels are shown uncoloured: no colour says what they mean.
                let colour = STANDARD.iter().position(|s| *s == (spec.value, spec.label.as_str())).map(|i| COLOURS[i]);
                LevelText { value: spec.value, name: spec.label.clone(), open, label, pretty, colour }
            })
            .collect();
        self
    }

    pub(crate) fn level(&self, value: u32) -> Option<&LevelText> {
        self.levels.iter().find(|l| l.value == value)
    }

    pub fn with_time_format(mut self, time: TimeFormat) -> Layout {
        self.time = time;
        self
    }

    pub fn with_iso_time(self, iso: bool) -> Layout {
        self.with_time_format(if iso { TimeFormat::Iso } else { TimeFormat::EpochMs })
    }

    pub fn with_colour(mut self, colour: bool) -> Layout {
        self.colour = colour;
        self
    }

    /// Lines end with `\r\n` instead of `\n` (pino's `crlf`).
    pub fn with_crlf(mut self, crlf: bool) -> Layout {
        self.eol = if crlf { b"\r\n" } else { b"\n" };
        self
    }

    pub fn with_min_level(mut self, level: u32) -> Layout {
        self.min_level = level;
        self
    }

    /// Records at this level or above are left out too.
    pub fn with_below_level(mut self, level: u32) -> Layout {
        self.below_level = level;
        self
    }
}

