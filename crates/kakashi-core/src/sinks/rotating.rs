//! A rotating file: rotation done by the writer thread between writes, so a line is never split across
//! two files: by size (the file is closed before a write would take it past the limit), by
//! UTC hour or day, or both. A rotated file is renamed `<name>.<UTC time>`
//! (`app.log.2026-11-25T17-30-01-123Z`; a time already taken moves on by a millisecond, so the
//! names sort in rotation order), gzipped on a thread of its own when asked (the original is
//! removed only once the `.gz` is complete), and the oldest are deleted past `keep`.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Sender};
use std::thread::JoinHandle;

use super::{Destination, Output};
use crate::channel::now_ms;
use crate::format::write_iso;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rotate {
    /// Bytes after which the file is rotated.
    pub size: Option<u64>,
    /// Rotate when the UTC hour (3,600,000) or day (86,400,000) changes: the period in ms.
    pub interval_ms: Option<u64>,
    /// Rotated files kept; older ones are deleted.
    pub keep: usize,
    pub compress: bool,
}

/// One rotating file's state in its writer thread.
pub(crate) struct Rotation {
    rule: Rotate,
    path: PathBuf,
    /// Bytes in the current file.
    written: u64,
    /// The interval the current file belongs to.
    period: u64,
    /// The time in the last rotated file's name.
    last_stamp: u64,
    /// One compressing thread per rotating file, however fast files rotate: rotated files wait
    /// their turn (in order) on its queue.
    compressor: Option<(Sender<PathBuf>, JoinHandle<()>)>,
}

impl Rotation {
    pub(crate) fn new(rule: Rotate, path: &Path, current_len: u64) -> Rotation {
        let period = rule.interval_ms.map_or(0, |ms| now_ms() / ms);
        Rotation { rule, path: path.to_path_buf(), written: current_len, period, last_stamp: 0, compressor: None }
    }

    /// Whether the current file must be rotated before anything more is written to it. An empty
    /// file simply moves on to the new period.
    pub(crate) fn period_over(&mut self, now: u64) -> bool {
        let Some(ms) = self.rule.interval_ms else { return false };
        if now / ms == self.period {
            return false;
        }
        if self.written == 0 {
            self.period = now / ms;
            return false;
        }
        true
    }

    /// How much of `buf` (whole lines) goes into the current file: all of it, the lines that fit
    /// under the size limit, or — into an empty file — at least one line, however long.
    pub(crate) fn take(&self, buf: &[u8]) -> usize {
        let Some(size) = self.rule.size else { return buf.len() };
        let room = size.saturating_sub(self.written) as usize;
        if buf.len() <= room {
            return buf.len();
        }
        match buf[..room].iter().rposition(|&b| b == b'\n') {
            Some(end) => end + 1,
            None if self.written == 0 => buf.iter().position(|&b| b == b'\n').map_or(buf.len(), |end| end + 1),
            None => 0,
        }
    }

    pub(crate) fn wrote(&mut self, n: usize) {
        self.written += n as u64;
    }

    /// The file was opened again from outside (`reopen()`): it holds `len` bytes now.
    pub(crate) fn reset(&mut self, len: u64) {
        self.written = len;
    }

    /// Moves the current file aside; the caller then opens the path afresh and either commits
    /// (once the new file is open) or aborts (the file goes back where it was).
    pub(crate) fn begin(&mut self, now: u64) -> io::Result<PathBuf> {
        let rotated = self.rotated_name(now);
        fs::rename(&self.path, &rotated)?;
        Ok(rotated)
    }

    pub(crate) fn abort(&mut self, rotated: &Path) {
        let _ = fs::rename(rotated, &self.path);
    }

    /// The new file is open: compress and prune the rotated one in the background.
    pub(crate) fn commit(&mut self, rotated: PathBuf, now: u64) {
        self.written = 0;
        self.period = self.rule.interval_ms.map_or(0, |ms| now / ms);
        if !self.rule.compress {
            prune(&self.path, self.rule.keep);
            return;
        }
        if self.compressor.is_none() {
            let (tx, rx) = channel::<PathBuf>();
            let (path, keep) = (self.path.clone(), self.rule.keep);
            let spawned = std::thread::Builder::new().name("kakashi-gzip".into()).spawn(move || {
                for rotated in rx {
                    // A failed compression leaves the rotated file as it is: nothing is lost.
                    let _ = gzip(&rotated);
                    prune(&path, keep);
                }
            });
            match spawned {
                Ok(handle) => self.compressor = Some((tx, handle)),
                // No thread to compress with: the rotated file stays as it is.
                Err(_) => return prune(&self.path, self.rule.keep),
            }
        }
        if let Some((tx, _)) = &self.compressor {
            let _ = tx.send(rotated);
        }
    }

    fn rotated_name(&mut self, now: u64) -> PathBuf {
        let mut t = now.max(self.last_stamp + 1);
        loop {
            let mut stamp = Vec::new();
            write_iso(&mut stamp, t as f64);
            let name = format!("{}.{}", self.path.display(), String::from_utf8_lossy(&stamp).replace([':', '.'], "-"));
            if !Path::new(&name).exists() && !Path::new(&format!("{name}.gz")).exists() {
                self.last_stamp = t;
                return PathBuf::from(name);
            }
            t += 1;
        }
    }

    /// Waits for compressions under way (the writer is ending: `close()` returns after them).
    pub(crate) fn finish(&mut self) {
        if let Some((tx, handle)) = self.compressor.take() {
            drop(tx);
            let _ = handle.join();
        }
    }
}

/// `file` → `file.gz`, then `file` removed; a `.gz.partial` is never taken for a finished one.
fn gzip(file: &Path) -> io::Result<()> {
    use flate2::write::GzEncoder;
    let partial = PathBuf::from(format!("{}.gz.partial", file.display()));
    {
        let mut input = fs::File::open(file)?;
        let mut encoder = GzEncoder::new(fs::File::create(&partial)?, flate2::Compression::default());
        io::copy(&mut input, &mut encoder)?;
        encoder.finish()?.sync_all()?;
    }
    fs::rename(&partial, format!("{}.gz", file.display()))?;
    fs::remove_file(file)
}

/// Deletes the oldest rotated files of `path` past `keep` (names sort by time). A file counts
/// once whatever its state — plain, being compressed, or both for the moment between the
/// `.gz` appearing and the plain file going — and goes in every state.
fn prune(path: &Path, keep: usize) {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name().and_then(|n| n.to_str())) else { return };
    let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
    let prefix = format!("{name}.");
    let Ok(entries) = fs::read_dir(dir) else { return };
    let mut rotated: Vec<String> = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.strip_prefix(&prefix).is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit())))
        .map(|n| n.trim_end_matches(".partial").trim_end_matches(".gz").to_string())
        .collect();
    rotated.sort();
    rotated.dedup();
    let excess = rotated.len().saturating_sub(keep);
    for old in &rotated[..excess] {
        for suffix in ["", ".gz", ".gz.partial"] {
            let _ = fs::remove_file(dir.join(format!("{old}{suffix}")));
        }
    }
}

/// A rotating file as the writer writes it: the current file, its rule's state, and how to open
/// the path again.
pub(crate) struct Rotating<'a> {
    pub(crate) output: &'a mut Output,
    pub(crate) dest: &'a Destination,
    pub(crate) rotation: &'a mut Rotation,
}

impl Rotating<'_> {
    /// Writes `out`, rotating the file first or between whole lines where its rule says; on a
    /// failure, how many bytes of `out` reached the destination. A rotation that fails leaves
    /// the records in the current file (none is lost), and is reported through `warn`.
    pub(crate) fn write(&mut self, out: &[u8], warn: &mut dyn FnMut(&str)) -> Result<(), (usize, io::Error)> {
        let Rotating { output, dest, rotation } = self;
        let now = now_ms();
        let mut done = 0;
        let rotate = |rotation: &mut Rotation, output: &mut Output| -> Option<io::Error> {
            let rotated = match rotation.begin(now) {
                Ok(rotated) => rotated,
                Err(e) => return Some(e),
            };
            match again(dest) {
                Ok(fresh) => {
                    *output = fresh;
                    rotation.commit(rotated, now);
                    None
                }
                Err(e) => {
                    rotation.abort(&rotated);
                    Some(e)
                }
            }
        };
        let mut failed = if rotation.period_over(now) { rotate(rotation, output) } else { None };
        while done < out.len() {
            let rest = &out[done..];
            let n = if failed.is_some() { rest.len() } else { rotation.take(rest) };
            let written = output.write_all(&rest[..n]);
            let wrote = match &written {
                Ok(()) => n,
                Err((k, _)) => *k,
            };
            rotation.wrote(wrote);
            done += wrote;
            if let Err((_, e)) = written {
                return Err((done, e));
            }
            if done < out.len() {
                failed = rotate(rotation, output);
            }
        }
        if let Some(e) = failed {
            warn(&format!("rotation failed: {e}"));
        }
        Ok(())
    }
}

/// The destination opened again at its path, appending (after a rotation or logrotate's move).
pub(crate) fn again(dest: &Destination) -> io::Result<Output> {
    match dest {
        Destination::Path { path, mkdir, rotate, .. } => {
            Output::open(&Destination::Path { path: path.clone(), mkdir: *mkdir, append: true, rotate: rotate.clone() })
        }
        other => Output::open(other),
    }
}


#[cfg(test)]
mod tests {
    use super::*;

    fn rotation(size: Option<u64>, written: u64) -> Rotation {
        let rule = Rotate { size, interval_ms: None, keep: 2, compress: false };
        Rotation { rule, path: PathBuf::from("x.log"), written, period: 0, last_stamp: 0, compressor: None }
    }

    #[test]
    fn an_empty_file_moves_on_to_the_new_period_instead_of_rotating() {
        let rule = Rotate { size: None, interval_ms: Some(1000), keep: 2, compress: false };
        let mut r = Rotation { rule, path: PathBuf::from("x.log"), written: 0, period: 5, last_stamp: 0, compressor: None };
        assert!(!r.period_over(7_500), "empty: no rotation");
        assert_eq!(r.period, 7);
        r.wrote(10);
        assert!(!r.period_over(7_900));
        assert!(r.period_over(8_000));
    }

    #[test]
    fn only_whole_lines_go_into_a_file() {
        let buf = b"aaaa\nbbbb\ncccc\n";
        assert_eq!(rotation(None, 0).take(buf), 15);
        assert_eq!(rotation(Some(12), 0).take(buf), 10);
        assert_eq!(rotation(Some(12), 8).take(buf), 0, "not even one line fits: rotate first");
        assert_eq!(rotation(Some(3), 0).take(buf), 5, "an empty file takes one line, however long");
        assert_eq!(rotation(Some(100), 90).take(buf), 10);
    }
}
