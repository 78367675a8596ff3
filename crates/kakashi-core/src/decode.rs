//! Reading a batch back: the op stream as tokens (`Ops`), and the record grammar over them
//! (`decode`), which checks the order of the ops and hands each record's parts to a format's
//! `Visitor`. Only complete records ever reach the output: a malformed batch (a facade bug,
//! never user input) stops at the last complete record.
//!
//! The grammar, per batch: `( BINDINGS | BOUND(n) (KEY scalar){n} | TIME? REC field* MEMBERS?
//! field* MSG? END )*`, where `field` is `KEY value`, `value` is `scalar | nested`, `scalar` is
//! `STR | NUM | TRUE | FALSE | NULL | RAW`, and `nested` is `OPEN (KEY value)* CLOSE` (an
//! object) or `OPEN value* CLOSE` (an array); BINDINGS stays in force for the records after it,
//! BOUND's members extend the last BINDINGS (the visitor sees the JSON text of both); a TIME
//! applies to the next record only; a `MSG` may be `MSG_AGAIN`, the batch's previous message
//! (refused before any). A nested value reaches the visitor through `Visitor::nested` (by
//! default its grammar checked, then one `Op::Nested`); a message may also be a TEMPLATE
//! (`OPEN + 64`, then text, JSON text and nested values up to `CLOSE`), which the visitor gets
//! as the message's text.

use crate::batch::{tag, Batch, LONG, MSG_AGAIN};
use crate::literal::{write_number, write_raw, write_str};

/// The deepest nesting a batch may hold (the JavaScript encoder stops well before it; one bit
/// per level in the readers' state).
pub(crate) const MAX_DEPTH: usize = 64;

/// What formatting a batch produced: complete lines are always left in `out`; a malformed
/// batch (a facade bug, never user input) stops at the last complete record.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Formatted {
    pub records: u32,
    /// Records below the layout's `min_level`, left out.
    pub skipped: u32,
    pub error: Option<Malformed>,
}

/// One decoded op; string payloads borrow the batch text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Op<'a> {
    Record { level: u32, time: Option<f64> },
    Bindings(&'a [u16]),
    /// This many bound members follow.
    Bound(u32),
    Key(&'a [u16]),
    Str(&'a [u16]),
    Num(f64),
    Bool(bool),
    Null,
    Raw(&'a [u16]),
    Msg(&'a [u16]),
    Members(&'a [u16]),
    Time(&'a [u16]),
    Open { array: bool },
    /// A printf message's parts follow, up to `Close`.
    Template,
    Close,
    /// A whole nested value (from `decode`, never from `Ops`).
    Nested(Nested<'a>),
    End,
}

/// A nested value whose ops `decode` has checked; `ops()` walks them.
#[derive(Debug, Clone, Copy)]
pub struct Nested<'a> {
    /// Positioned at the first op after the value's OPEN.
    inside: Ops<'a>,
    pub array: bool,
}

impl<'a> Nested<'a> {
    /// The ops inside the value, up to and including its CLOSE (then the batch goes on).
    pub fn ops(&self) -> Ops<'a> {
        self.inside
    }
}

impl PartialEq for Nested<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.inside.batch, other.inside.batch) && self.inside.op == other.inside.op && self.array == other.array
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    /// Where decoding stopped: the op's slot in `ops` for an op that cannot be read, or inside a
    /// nested value; its number among the batch's ops for one out of the record grammar.
    pub at_op: usize,
}

impl std::fmt::Display for Malformed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "malformed batch at op {}", self.at_op)
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Ops<'a> {
    batch: &'a Batch,
    op: usize,
    num: usize,
    text: usize,
    chars: usize,
    /// The last message read, for `MSG_AGAIN`.
    msg: Option<&'a [u16]>,
}

impl<'a> Ops<'a> {
    #[inline(always)]
    fn slot(&mut self) -> Option<u32> {
        let v = self.batch.ops.get(self.op).copied();
        self.op += 1;
        v
    }

    #[inline(always)]
    fn num(&mut self) -> Option<f64> {
        let v = self.batch.nums.get(self.num).copied();
        self.num += 1;
        v
    }

    #[inline(always)]
    fn take(&mut self, from_text: bool, len: usize) -> Option<&'a [u16]> {
        let (stream, at) = if from_text {
            (&self.batch.text, &mut self.text)
        } else {
            (&self.batch.chars, &mut self.chars)
        };
        let end = at.checked_add(len)?;
        let s = stream.get(*at..end)?;
        *at = end;
        Some(s)
    }
}

impl<'a> Iterator for Ops<'a> {
    type Item = Result<Op<'a>, Malformed>;

    // Inlined into the readers' loops: returned through memory, an op costs a store-forwarding
    // stall on every read (most of a record's formatting time, per `perf annotate`).
    #[inline(always)]
    fn next(&mut self) -> Option<Self::Item> {
        let at_op = self.op;
        let word = self.slot()?;
        let bad = || Some(Err(Malformed { at_op }));
        let from_text = (word >> 4) & 1 == 1;
        let len = word >> 5;
        let op = match (word & 15) as u8 {
            tag::REC => match self.num() {
                Some(t) => Op::Record { level: len, time: if t.is_nan() { None } else { Some(t) } },
                None => return bad(),
            },
            tag::NUM => match self.num() {
                Some(v) => Op::Num(v),
                None => return bad(),
            },
            tag::BOUND if !from_text => Op::Bound(len),
            tag::TRUE => Op::Bool(true),
            tag::FALSE => Op::Bool(false),
            tag::NULL => Op::Null,
            tag::END => Op::End,
            tag::OPEN if len <= 1 => Op::Open { array: len == 1 },
            tag::OPEN if len == 2 => Op::Template,
            tag::CLOSE => Op::Close,
            _ if word == MSG_AGAIN => match self.msg {
                Some(m) => Op::Msg(m),
                None => return bad(),
            },
            t @ (tag::BINDINGS | tag::KEY | tag::STR | tag::RAW | tag::MSG | tag::MEMBERS | tag::TIME) => {
                let len = if len == LONG { self.slot() } else { Some(len) };
                let Some(s) = len.and_then(|len| self.take(from_text, len as usize)) else { return bad() };
                match t {
                    tag::BINDINGS => Op::Bindings(s),
                    tag::KEY => Op::Key(s),
                    tag::STR => Op::Str(s),
                    tag::RAW => Op::Raw(s),
                    tag::MSG => {
                        self.msg = Some(s);
                        Op::Msg(s)
                    }
                    tag::TIME => Op::Time(s),
                    _ => Op::Members(s),
                }
            }
            _ => return bad(),
        };
        Some(Ok(op))
    }
}

impl Batch {
    pub fn ops(&self) -> Ops<'_> {
        Ops { batch: self, op: 0, num: 0, text: 0, chars: 0, msg: None }
    }
}

/// One format's way of writing the parts of a record, called in the order the ops come.
pub(crate) trait Visitor {
    fn bindings(&mut self, b: &[u16]);
    /// A child's bindings: `base` (the batch's last BINDINGS text, which `bindings` was given),
    /// then `members` (UTF-8 JSON members, `,"k":v`). By default joined as UTF-16 in `scratch`
    /// for `bindings`.
    fn bound(&mut self, base: &[u16], members: &[u8], scratch: &mut Vec<u16>) {
        scratch.clear();
        scratch.extend_from_slice(base);
        // The members are UTF-8 JSON (lone surrogates escaped): valid, so this loses nothing.
        scratch.extend(String::from_utf8_lossy(members).encode_utf16());
        self.bindings(scratch);
    }
    /// A custom timestamp's members (`,"time":…`), written in place of the next record's time.
    fn time(&mut self, t: &[u16]);
    fn record(&mut self, out: &mut Vec<u8>, level: u32, time: Option<f64>);
    fn key(&mut self, out: &mut Vec<u8>, k: &[u16]);
    /// A value op: `Str`, `Num`, `Bool`, `Null`, `Raw` or `Nested`.
    fn value(&mut self, out: &mut Vec<u8>, v: Op<'_>);
    /// A nested value whose `OPEN` was just read: its ops up to the matching `CLOSE`, checked,
    /// become one `Op::Nested` for `value` (a format that writes the JSON text at once may do
    /// both in one pass); how many ops it read.
    fn nested(&mut self, out: &mut Vec<u8>, ops: &mut Ops<'_>, array: bool) -> Result<usize, Malformed> {
        let inside = *ops;
        let read = check_nested(ops, array)?;
        self.value(out, Op::Nested(Nested { inside, array }));
        Ok(read)
    }
    fn members(&mut self, out: &mut Vec<u8>, m: &[u16]);
    fn msg(&mut self, out: &mut Vec<u8>, m: &[u16]);
    fn end(&mut self, out: &mut Vec<u8>);
}

/// Walks the ops, checking the record grammar, and keeps only complete records in `out`;
/// records at levels outside `[min_level, below_level)` are read (to stay in step) but not visited.
pub(crate) fn decode(batch: &Batch, lines: &mut impl Visitor, (min_level, below_level): (u32, u32), out: &mut Vec<u8>) -> Formatted {
    let mut done = Formatted::default();
    let mut committed = out.len();
    let mut in_record = false;
    let mut expect_value = false;
    // Inside a record below `min_level`: its ops are read (to stay in step) but not written.
    let mut skipping = false;
    let mut ops = batch.ops();
    let mut index = 0;
    // The last BINDINGS text, and it with the members of a BOUND after it.
    let mut base: &[u16] = &[];
    let (mut members, mut bound): (Vec<u8>, Vec<u16>) = (Vec::new(), Vec::new());
    let mut message: Vec<u16> = Vec::new();
    while let Some(op) = ops.next() {
        let op = match op {
            Ok(op) => op,
            Err(e) => {
                done.error = Some(e);
                break;
            }
        };
        index += 1;
        if skipping {
            if op == Op::End {
                skipping = false;
                done.skipped += 1;
            }
            continue;
        }
        let ok = match op {
            Op::Bindings(b) => {
                base = b;
                lines.bindings(b);
                !in_record
            }
            Op::Bound(n) if !in_record => match bound_members(&mut ops, n, &mut members) {
                Ok(read) => {
                    index += read;
                    lines.bound(base, &members, &mut bound);
                    true
                }
                Err(e) => {
                    done.error = Some(e);
                    break;
                }
            },
            Op::Bound(_) => false,
            Op::Time(t) => {
                lines.time(t);
                !in_record
            }
            Op::Record { level, .. } if level < min_level || level >= below_level => {
                skipping = true;
                !in_record
            }
            Op::Record { level, time } => {
                lines.record(out, level, time);
                !std::mem::replace(&mut in_record, true)
            }
            Op::Key(k) => {
                lines.key(out, k);
                in_record && !std::mem::replace(&mut expect_value, true)
            }
            Op::Str(_) | Op::Num(_) | Op::Bool(_) | Op::Null | Op::Raw(_) => {
                lines.value(out, op);
                std::mem::replace(&mut expect_value, false)
            }
            Op::Open { array } if expect_value => {
                match lines.nested(out, &mut ops, array) {
                    Ok(read) => {
                        index += read;
                        expect_value = false;
                        true
                    }
                    Err(e) => {
                        done.error = Some(e);
                        break;
                    }
                }
            }
            Op::Open { .. } | Op::Close | Op::Nested(_) => false,
            Op::Members(m) => {
                lines.members(out, m);
                in_record && !expect_value
            }
            Op::Msg(m) => {
                lines.msg(out, m);
                in_record && !expect_value
            }
            Op::Template if in_record && !expect_value => match read_template(&mut ops, &mut message) {
                Ok(read) => {
                    index += read;
                    lines.msg(out, &message);
                    true
                }
                Err(e) => {
                    done.error = Some(e);
                    break;
                }
            },
            Op::Template => false,
            Op::End => {
                let ok = in_record && !expect_value;
                if ok {
                    lines.end(out);
                    committed = out.len();
                    done.records += 1;
                    in_record = false;
                }
                ok
            }
        };
        if !ok {
            done.error = Some(Malformed { at_op: index - 1 });
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

/// Appends the JSON text of a nested value, as `JSON.stringify` writes the plain object or array
/// JavaScript captured: members in their order, commas and brackets, strings and numbers as at
/// the top level.
pub fn write_nested(out: &mut Vec<u8>, nested: &Nested<'_>) {
    // Per open level (bit `depth - 1`, as the decoder checked them): whether it is an array, and
    // whether something was written in it yet.
    let (mut arrays, mut started, mut depth) = (u64::from(nested.array), 0u64, 1usize);
    out.push(if nested.array { b'[' } else { b'{' });
    for op in nested.ops() {
        let Ok(op) = op else { return };
        let bit = 1u64 << (depth - 1);
        // A comma before each member's key, and before each element of an array.
        if matches!(op, Op::Key(_)) || (arrays & bit != 0 && op != Op::Close) {
            if started & bit != 0 {
                out.push(b',');
            }
            started |= bit;
        }
        match op {
            Op::Key(k) => {
                write_str(out, k);
                out.push(b':');
            }
            Op::Close => {
                out.push(if arrays & bit != 0 { b']' } else { b'}' });
                depth -= 1;
                if depth == 0 {
                    return;
                }
            }
            Op::Open { array } if depth < MAX_DEPTH => {
                out.push(if array { b'[' } else { b'{' });
                let inner = bit << 1;
                arrays = if array { arrays | inner } else { arrays & !inner };
                started &= !inner;
                depth += 1;
            }
            Op::Str(s) => write_str(out, s),
            Op::Num(n) => write_number(out, n),
            Op::Bool(b) => out.extend_from_slice(if b { b"true" } else { b"false" }),
            Op::Raw(r) => write_raw(out, r),
            _ => out.extend_from_slice(b"null"),
        }
    }
}

/// `check_nested` and `write_nested` in one pass, for a format that writes the JSON text
/// straight into `out`: what a malformed value wrote there is cut by `decode`, which keeps only
/// complete records. The `OPEN` was just read; how many ops it read.
pub(crate) fn write_checked_nested(out: &mut Vec<u8>, ops: &mut Ops<'_>, array: bool) -> Result<usize, Malformed> {
    walk_nested(ops, array, out)
}

/// A nested value's JSON text in UTF-16, for the formats that read it as JavaScript's JSON text.
pub(crate) fn nested_units(nested: &Nested<'_>) -> Vec<u16> {
    let mut json = Vec::new();
    write_nested(&mut json, nested);
    String::from_utf8_lossy(&json).encode_utf16().collect()
}

/// Reads a printf message whose `OPEN + 64` was just read, up to its `CLOSE`, into `into`: its
/// text parts and its values' JSON text, joined — the message's text; how many ops it read.
fn read_template(ops: &mut Ops<'_>, into: &mut Vec<u16>) -> Result<usize, Malformed> {
    into.clear();
    let mut read = 0;
    loop {
        let bad = Malformed { at_op: ops.op };
        let op = ops.next().unwrap_or(Err(bad.clone()))?;
        read += 1;
        match op {
            Op::Str(s) | Op::Raw(s) => into.extend_from_slice(s),
            Op::Open { array } => {
                let inside = *ops;
                read += check_nested(ops, array)?;
                into.extend(nested_units(&Nested { inside, array }));
            }
            Op::Close => return Ok(read),
            _ => return Err(bad),
        }
    }
}

/// Reads the `n` members of a `BOUND` into `members` as JSON text (`,"key":value`, as
/// JavaScript's JSON.stringify writes it); how many ops it read.
fn bound_members(ops: &mut Ops<'_>, n: u32, members: &mut Vec<u8>) -> Result<usize, Malformed> {
    members.clear();
    for _ in 0..n {
        let bad = Malformed { at_op: ops.op };
        let Some(Ok(Op::Key(k))) = ops.next() else { return Err(bad) };
        members.push(b',');
        write_str(members, k);
        members.push(b':');
        let bad = Malformed { at_op: ops.op };
        match ops.next() {
            Some(Ok(Op::Str(s))) => write_str(members, s),
            Some(Ok(Op::Num(v))) => write_number(members, v),
            Some(Ok(Op::Bool(v))) => members.extend_from_slice(if v { b"true" } else { b"false" }),
            Some(Ok(Op::Null)) => members.extend_from_slice(b"null"),
            Some(Ok(Op::Raw(r))) => write_raw(members, r),
            _ => return Err(bad),
        }
    }
    Ok(2 * n as usize)
}

/// Reads a nested value whose `OPEN` was just read, up to its matching `CLOSE`, checking its
/// grammar; how many ops it read.
fn check_nested(ops: &mut Ops<'_>, array: bool) -> Result<usize, Malformed> {
    walk_nested(ops, array, &mut Unwritten)
}

/// Where a nested value's JSON text goes while `walk_nested` checks its grammar.
trait NestedText {
    fn push(&mut self, b: u8);
    fn key(&mut self, k: &[u16]);
    /// A scalar value op (`Str`, `Num`, `Bool`, `Null`, `Raw`).
    fn scalar(&mut self, v: Op<'_>);
}

/// The text of a value only checked: nowhere (the calls compile to nothing).
struct Unwritten;

impl NestedText for Unwritten {
    fn push(&mut self, _: u8) {}
    fn key(&mut self, _: &[u16]) {}
    fn scalar(&mut self, _: Op<'_>) {}
}

impl NestedText for Vec<u8> {
    fn push(&mut self, b: u8) {
        Vec::push(self, b);
    }
    fn key(&mut self, k: &[u16]) {
        write_str(self, k);
        Vec::push(self, b':');
    }
    fn scalar(&mut self, v: Op<'_>) {
        match v {
            Op::Str(s) => write_str(self, s),
            Op::Num(n) => write_number(self, n),
            Op::Bool(b) => self.extend_from_slice(if b { b"true" } else { b"false" }),
            Op::Raw(r) => write_raw(self, r),
            _ => self.extend_from_slice(b"null"),
        }
    }
}

/// The one reader of a nested value's grammar, writing its JSON text into `out` as it goes.
fn walk_nested(ops: &mut Ops<'_>, array: bool, out: &mut impl NestedText) -> Result<usize, Malformed> {
    // Per open level (bit `depth - 1`): whether it is an array, whether a key awaits its value,
    // and whether something was written in it yet (a comma goes before the next). MAX_DEPTH
    // levels fit the bits.
    let (mut arrays, mut keyed, mut started, mut depth) = (u64::from(array), 0u64, 0u64, 1usize);
    let mut read = 0;
    out.push(if array { b'[' } else { b'{' });
    while depth > 0 {
        let bit = 1u64 << (depth - 1);
        let (in_array, after_key) = (arrays & bit != 0, keyed & bit != 0);
        let bad = Malformed { at_op: ops.op };
        let op = ops.next().unwrap_or(Err(bad.clone()))?;
        read += 1;
        match op {
            Op::Key(k) if !in_array && !after_key => {
                keyed |= bit;
                if started & bit != 0 {
                    out.push(b',');
                }
                started |= bit;
                out.key(k);
            }
            Op::Close if !after_key => {
                out.push(if in_array { b']' } else { b'}' });
                depth -= 1;
            }
            value if in_array || after_key => {
                keyed &= !bit;
                if in_array {
                    if started & bit != 0 {
                        out.push(b',');
                    }
                    started |= bit;
                }
                match value {
                    Op::Str(_) | Op::Num(_) | Op::Bool(_) | Op::Null | Op::Raw(_) => out.scalar(value),
                    Op::Open { array } if depth < MAX_DEPTH => {
                        out.push(if array { b'[' } else { b'{' });
                        let inner = bit << 1;
                        arrays = if array { arrays | inner } else { arrays & !inner };
                        keyed &= !inner;
                        started &= !inner;
                        depth += 1;
                    }
                    _ => return Err(bad),
                }
            }
            _ => return Err(bad),
        }
    }
    Ok(read)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::tag;

    #[test]
    fn a_long_length_is_read_from_the_next_slot() {
        let batch = Batch {
            text: "abc".encode_utf16().collect(),
            chars: vec![],
            ops: vec![u32::from(tag::KEY) + 16 + 32 * LONG, 3],
            nums: vec![],
            records: 0,
        };
        let ops: Vec<_> = batch.ops().collect();
        assert_eq!(ops, vec![Ok(Op::Key(&[97, 98, 99]))]);
    }

    fn json(batch: &Batch) -> (String, Formatted) {
        let mut out = Vec::new();
        let f = crate::format::format(batch, &crate::format::Layout::default(), &mut out);
        (String::from_utf8(out).unwrap(), f)
    }

    #[test]
    fn nested_ops_are_written_as_json_stringify_writes_them() {
        let mut b = crate::batch::BatchBuilder::default();
        b.record(30, None).key("req").open_object();
        b.key("method").str("GET").key("q\"").str("a\nb\u{2028}").key("n").num(-0.0).key("big").num(1e21);
        b.key("list").open_array().num(1.5).null().bool(false).open_object().close().open_array().close().raw("\"2020\"").close();
        b.key("long").str(&"x".repeat(40));
        b.close().msg("m").end();
        let (text, f) = json(&b.build());
        assert_eq!(f.error, None);
        let long = "x".repeat(40);
        assert_eq!(text, format!("{{\"level\":30,\"req\":{{\"method\":\"GET\",\"q\\\"\":\"a\\nb\u{2028}\",\"n\":0,\"big\":1e+21,\"list\":[1.5,null,false,{{}},[],\"2020\"],\"long\":\"{long}\"}},\"msg\":\"m\"}}\n"));
    }

    #[test]
    fn a_nested_value_out_of_its_grammar_is_malformed() {
        let cases: [&dyn Fn(&mut crate::batch::BatchBuilder); 6] = [
            // a value without its key in an object
            &|b| {
                b.open_object().num(1.0).close();
            },
            // a key in an array
            &|b| {
                b.open_array().key("k").num(1.0).close();
            },
            // a key with no value before the close
            &|b| {
                b.open_object().key("k").close();
            },
            // never closed
            &|b| {
                b.open_object().key("k").num(1.0);
            },
            // the record ends inside it
            &|b| {
                b.open_array().end();
            },
            // a close with nothing open
            &|b| {
                b.close();
            },
        ];
        for (i, case) in cases.iter().enumerate() {
            let mut b = crate::batch::BatchBuilder::default();
            b.record(30, None).msg("kept").end().record(30, None).key("v");
            case(&mut b);
            b.msg("m").end();
            let (text, f) = json(&b.build());
            assert!(f.error.is_some(), "case {i}");
            assert_eq!((f.records, text.as_str()), (1, "{\"level\":30,\"msg\":\"kept\"}\n"), "case {i}");
        }
    }

    #[test]
    fn nesting_up_to_the_limit_is_read_and_past_it_is_malformed() {
        let nested = |depth: usize| {
            let mut b = crate::batch::BatchBuilder::default();
            b.record(30, None).key("v");
            (0..depth).for_each(|_| {
                b.open_array();
            });
            (0..depth).for_each(|_| {
                b.close();
            });
            b.end();
            json(&b.build())
        };
        let (text, f) = nested(MAX_DEPTH);
        assert_eq!(f.error, None);
        assert_eq!(text, format!("{{\"level\":30,\"v\":{}{}}}\n", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH)));
        assert!(nested(MAX_DEPTH + 1).1.error.is_some());
    }

    #[test]
    fn bound_members_extend_the_last_bindings_until_the_next() {
        let mut b = crate::batch::BatchBuilder::default();
        b.bindings(",\"pid\":1").record(30, None).msg("root").end();
        b.bound(5).key("reqId").str("r\"1").key("n").num(0.5).key("ok").bool(true).key("none").null().key("o").raw("{\"a\":[1]}");
        b.record(30, None).msg("child").end().record(40, None).end();
        b.bound(1).key("reqId").str("r2").record(30, None).msg("next").end();
        b.bindings("").record(30, None).msg("none").end();
        let (text, f) = json(&b.build());
        assert_eq!(f.error, None);
        let child = ",\"pid\":1,\"reqId\":\"r\\\"1\",\"n\":0.5,\"ok\":true,\"none\":null,\"o\":{\"a\":[1]}";
        let want = format!(
            "{{\"level\":30,\"pid\":1,\"msg\":\"root\"}}\n{{\"level\":30{child},\"msg\":\"child\"}}\n{{\"level\":40{child}}}\n{{\"level\":30,\"pid\":1,\"reqId\":\"r2\",\"msg\":\"next\"}}\n{{\"level\":30,\"msg\":\"none\"}}\n"
        );
        assert_eq!(text, want);
    }

    #[test]
    fn bound_members_out_of_their_grammar_are_malformed() {
        let cases: [&dyn Fn(&mut crate::batch::BatchBuilder); 4] = [
            &|b| {
                b.bound(1).str("no key");
            },
            &|b| {
                b.bound(1).key("k").open_object().close();
            },
            &|b| {
                b.bound(2).key("k").num(1.0);
            },
            &|b| {
                b.record(30, None).bound(0).end();
            },
        ];
        for (i, case) in cases.iter().enumerate() {
            let mut b = crate::batch::BatchBuilder::default();
            b.record(30, None).msg("kept").end();
            case(&mut b);
            b.record(30, None).msg("m").end();
            let (text, f) = json(&b.build());
            assert!(f.error.is_some(), "case {i}");
            assert_eq!((f.records, text.as_str()), (1, "{\"level\":30,\"msg\":\"kept\"}\n"), "case {i}");
        }
    }

    #[test]
    fn a_template_message_joins_its_text_and_its_values_json() {
        let mut b = crate::batch::BatchBuilder::default();
        b.record(30, None).key("a").num(1.0).template().str("hello ").open_object().key("q").str("\"x\"").key("l").open_array().num(1.0).close().close();
        b.str(" and ").raw("[2]").str(" \n").close().end();
        b.record(30, None).template().close().end();
        let (text, f) = json(&b.build());
        assert_eq!(f.error, None);
        assert_eq!(text, "{\"level\":30,\"a\":1,\"msg\":\"hello {\\\"q\\\":\\\"\\\\\\\"x\\\\\\\"\\\",\\\"l\\\":[1]} and [2] \\n\"}\n{\"level\":30,\"msg\":\"\"}\n");
        let malformed: [&dyn Fn(&mut crate::batch::BatchBuilder); 4] = [
            &|b| {
                b.template().key("k").close();
            },
            &|b| {
                b.template().str("never closed");
            },
            &|b| {
                b.template().num(1.0).close();
            },
            &|b| {
                b.key("v").template().close();
            },
        ];
        for (i, case) in malformed.iter().enumerate() {
            let mut b = crate::batch::BatchBuilder::default();
            b.record(30, None).msg("kept").end().record(30, None);
            case(&mut b);
            b.end();
            let (text, f) = json(&b.build());
            assert!(f.error.is_some(), "case {i}");
            assert_eq!((f.records, text.as_str()), (1, "{\"level\":30,\"msg\":\"kept\"}\n"), "case {i}");
        }
    }

    #[test]
    fn lengths_past_a_stream_are_malformed() {
        let batch = Batch { chars: vec![1, 2], ops: vec![u32::from(tag::STR) + 32 * 3], ..Batch::default() };
        assert_eq!(batch.ops().next(), Some(Err(Malformed { at_op: 0 })));
    }
}
