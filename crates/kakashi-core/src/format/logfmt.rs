//! logfmt: `level=info time=2026-11-25T17:30:01.123Z msg="…" key=value`, every value bare or
//! quoted as logfmt reads it; nested objects are their JSON text, quoted. `src/format/logfmt.ts`
//! writes the same bytes for the pure-JS engine.

use crate::literal::write_number;
use super::layout::Layout;
use super::text::{write_iso, write_value, TextRecord, TextStyle};

pub(crate) struct Logfmt;

impl TextStyle for Logfmt {
    fn key(&self, _layout: &Layout, into: &mut Vec<u8>, k: &[u16]) {
        into.push(b' ');
        write_value(into, k);
        into.push(b'=');
    }

    fn raw(&self, into: &mut Vec<u8>, raw: &[u16]) {
        write_value(into, raw);
    }

    fn msg(&self, into: &mut Vec<u8>, m: &[u16]) {
        write_value(into, m);
    }

    fn takes_name(&self) -> bool {
        false
    }

    fn line(&self, layout: &Layout, r: &TextRecord<'_, Self>, out: &mut Vec<u8>) {
        out.extend_from_slice(&layout.level_key_text);
        out.push(b'=');
        match layout.level(r.level) {
            Some(l) => out.extend_from_slice(&l.label),
            None => write_number(out, f64::from(r.level)),
        }
        if let Some(t) = r.time {
            out.extend_from_slice(b" time=");
            write_iso(out, t);
        } else if let Some(pairs) = &r.custom_time {
            out.extend_from_slice(pairs);
        }
        if let Some(m) = &r.msg {
            out.push(b' ');
            out.extend_from_slice(&layout.msg_key_text);
            out.push(b'=');
            out.extend_from_slice(m);
        }
    }
}
