//! A network target's disk spill: a folder of segment files, one export request each, named
//! `<sequence>-<records>.req` so their order and size survive the process. A segment is
//! written to a temporary name and renamed into place (fsynced first when asked), so a crash
//! leaves whole segments only. The folder holds up to `SLOTS` slots (`0`, `1`, …), each locked
//! (`flock`) by the one process using it, which takes the lowest free slot: processes sharing a
//! folder (cluster workers) never mix their segments, and a process started after one exited
//! finds the segments left in the slot it takes, and sends them first.

use std::collections::VecDeque;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};


#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpillOptions {
    pub dir: PathBuf,
    pub max_bytes: u64,
    /// fsync each segment before it counts as spilled.
    pub fsync: bool,
}

#[derive(Debug)]
pub struct Segment {
    pub seq: u64,
    pub records: u32,
    bytes: u64,
    path: PathBuf,
}

/// How many processes can share one spill folder.
pub const SLOTS: usize = 64;

pub struct Spill {
    opts: SpillOptions,
    /// This process's slot of the folder.
    slot: PathBuf,
    /// Held for the life of the spill: the lock is the open descriptor's.
    _lock: File,
    segments: VecDeque<Segment>,
    bytes: u64,
    next: u64,
}

#[cfg(unix)]
fn lock(file: &File) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    // SAFETY: a valid descriptor for the duration of the call.
    if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(unix))]
fn lock(_file: &File) -> io::Result<()> {
    Ok(())
}

fn parse(name: &str) -> Option<(u64, u32)> {
    let (seq, records) = name.strip_suffix(".req")?.split_once('-')?;
    Some((seq.parse().ok()?, records.parse().ok()?))
}

impl Spill {
    pub fn open(opts: &SpillOptions) -> io::Result<Spill> {
        for n in 0..SLOTS {
            let slot = opts.dir.join(n.to_string());
            fs::create_dir_all(&slot)?;
            let lock_file = OpenOptions::new().create(true).truncate(false).write(true).open(slot.join("lock"))?;
            if lock(&lock_file).is_ok() {
                return Spill::take(opts, slot, lock_file);
            }
        }
        Err(io::Error::other(format!("every slot of the spill folder {} is in use by another process", opts.dir.display())))
    }

    fn take(opts: &SpillOptions, slot: PathBuf, lock_file: File) -> io::Result<Spill> {
        let mut segments = Vec::new();
        for entry in fs::read_dir(&slot)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".tmp") {
                // A segment whose writing was cut short: it never counted as spilled.
                let _ = fs::remove_file(entry.path());
            } else if let Some((seq, records)) = parse(&name) {
                segments.push(Segment { seq, records, bytes: entry.metadata()?.len(), path: entry.path() });
            }
        }
        segments.sort_by_key(|s| s.seq);
        let next = segments.last().map_or(0, |s| s.seq + 1);
        let bytes = segments.iter().map(|s| s.bytes).sum();
        Ok(Spill { opts: opts.clone(), slot, _lock: lock_file, segments: segments.into(), bytes, next })
    }

    pub fn is_empty(&self) -> bool {
        self.segments.is_empty()
    }

    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// This process's slot of the folder.
    pub fn dir(&self) -> &Path {
        &self.slot
    }

    /// Whether a request of `len` bytes fits under the cap.
    pub fn fits(&self, len: usize) -> bool {
        self.bytes + len as u64 <= self.opts.max_bytes
    }

    /// Appends one request; its sequence number.
    pub fn push(&mut self, body: &[u8], records: u32) -> io::Result<u64> {
        let seq = self.next;
        let path = self.slot.join(format!("{seq:016}-{records}.req"));
        let tmp = path.with_extension("tmp");
        let written = (|| {
            let mut f = File::create(&tmp)?;
            f.write_all(body)?;
            if self.opts.fsync {
                f.sync_data()?;
            }
            fs::rename(&tmp, &path)?;
            if self.opts.fsync {
                File::open(&self.slot)?.sync_all()?;
            }
            Ok(())
        })();
        if let Err(e) = written {
            let _ = fs::remove_file(&tmp);
            return Err(e);
        }
        self.next += 1;
        self.bytes += body.len() as u64;
        self.segments.push_back(Segment { seq, records, bytes: body.len() as u64, path });
        Ok(seq)
    }

    /// The oldest segment and its request.
    pub fn front(&self) -> Option<(&Segment, io::Result<Vec<u8>>)> {
        self.segments.front().map(|s| (s, fs::read(&s.path)))
    }

    /// Removes the oldest segment (sent, or unreadable).
    pub fn pop(&mut self) {
        if let Some(s) = self.segments.pop_front() {
            let _ = fs::remove_file(&s.path);
            self.bytes -= s.bytes;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(dir: &Path, max_bytes: u64) -> SpillOptions {
        SpillOptions { dir: dir.to_owned(), max_bytes, fsync: true }
    }

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("kakashi-spill-test-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn segments_come_back_in_order_to_the_next_opener_and_the_cap_holds() {
        let dir = temp("order");
        {
            let mut spill = Spill::open(&opts(&dir, 10)).unwrap();
            assert!(spill.fits(4));
            spill.push(b"aaaa", 1).unwrap();
            spill.push(b"bbbb", 2).unwrap();
            assert!(!spill.fits(4), "8 + 4 > 10");
            // A second opener takes the next slot, and its segments stay apart.
            let mut other = Spill::open(&opts(&dir, 10)).unwrap();
            assert_eq!(other.dir(), dir.join("1"));
            other.push(b"zz", 1).unwrap();
        }
        fs::write(dir.join("0").join("0000000000000009-1.tmp"), b"torn").unwrap();
        let mut spill = Spill::open(&opts(&dir, 10)).unwrap();
        assert_eq!(spill.bytes(), 8);
        let (seg, body) = spill.front().unwrap();
        assert_eq!((seg.seq, seg.records, body.unwrap()), (0, 1, b"aaaa".to_vec()));
        spill.pop();
        assert_eq!(spill.push(b"cc", 3).unwrap(), 2, "sequence numbers go on after the last left");
        let (seg, body) = spill.front().unwrap();
        assert_eq!((seg.seq, body.unwrap()), (1, b"bbbb".to_vec()));
        spill.pop();
        spill.pop();
        assert!(spill.is_empty() && spill.bytes() == 0);
        assert!(!dir.join("0").join("0000000000000009-1.tmp").exists(), "a torn segment is removed");
        let held: Vec<Spill> = (1..SLOTS).map(|_| Spill::open(&opts(&dir, 10)).unwrap()).collect();
        assert_eq!(held[0].bytes(), 2, "slot 1 kept its segment");
        let err = Spill::open(&opts(&dir, 10)).err().unwrap();
        assert!(err.to_string().contains("every slot"), "{err}");
        fs::remove_dir_all(&dir).unwrap();
    }
}
