//! pretty, for people at a terminal: `17:30:01.123 INFO  name: message key=value`, the level
//! coloured when asked, controls escaped so a line cannot be forged or recolour the terminal.
//! `src/format/pretty.ts` writes the same bytes for the pure-JS engine.

use crate::literal::write_number;
use super::layout::Layout;
use super::text::{write_clock, write_escaped, write_value, TextRecord, TextStyle};

pub(crate) struct Pretty;

impl TextStyle for Pretty {
    fn key(&self, layout: &Layout, into: &mut Vec<u8>, k: &[u16]) {
        into.push(b' ');
        if layout.colour {
            into.extend_from_slice(b"\x1b[2m");
        }
        write_value(into, k);
        into.push(b'=');
        if layout.colour {
            into.extend_from_slice(b"\x1b[22m");
        }
    }

    /// A nested value is shown as its JSON, controls escaped.
    fn raw(&self, into: &mut Vec<u8>, raw: &[u16]) {
        write_escaped(into, raw, false);
    }

    fn msg(&self, into: &mut Vec<u8>, m: &[u16]) {
        write_escaped(into, m, false);
    }

    fn takes_name(&self) -> bool {
        true
    }

    fn line(&self, layout: &Layout, r: &TextRecord<'_, Self>, out: &mut Vec<u8>) {
        let level = layout.level(r.level);
        if let Some(t) = r.time {
            write_clock(out, t);
            out.push(b' ');
        } else if let Some(pairs) = r.custom_time.as_ref().filter(|p| !p.is_empty()) {
            // The pairs start with a space; the line must not.
            out.extend_from_slice(pairs.strip_prefix(b" ").unwrap_or(pairs));
            out.push(b' ');
        }
        let colour = layout.colour.then(|| level.and_then(|l| l.colour)).flatten();
        if let Some(c) = colour {
            out.extend_from_slice(c.as_bytes());
        }
        match level {
            Some(l) => out.extend_from_slice(&l.pretty),
            None => write_number(out, f64::from(r.level)),
        }
        if colour.is_some() {
            out.extend_from_slice(b"\x1b[39m");
        }
        if !r.name.is_empty() {
            out.push(b' ');
            out.extend_from_slice(&r.name);
            out.push(b':');
        }
        if let Some(m) = &r.msg {
            out.push(b' ');
            out.extend_from_slice(m);
        }
    }
}
