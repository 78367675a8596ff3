//! Where bytes go: destinations (descriptors, files, rotating files, OTLP and syslog receivers
//! with their disk spill), opened and written without losing a byte to `EINTR`, short writes or a non-blocking
//! descriptor (`EAGAIN`).

mod fd;
mod file;
pub mod net;
pub mod otlp;
mod rotating;
pub mod spill;
pub mod syslog;
pub mod transport;

pub use rotating::Rotate;
pub(crate) use rotating::{again, Rotating, Rotation};

use std::fs::File;
use std::io::{self, Write};
use std::mem::ManuallyDrop;
use std::path::PathBuf;


#[derive(Debug, Clone, PartialEq)]
pub enum Destination {
    Stdout,
    Stderr,
    /// A descriptor the caller owns: written to, never closed.
    Fd(i32),
    Path { path: PathBuf, mkdir: bool, append: bool, rotate: Option<Rotate> },
    /// An OpenTelemetry receiver over OTLP/HTTP, sent to by the shipper thread.
    Otlp(Box<otlp::Otlp>),
    /// A syslog receiver (TCP, TLS, UDP or RELP), sent to by the shipper thread.
    Syslog(Box<syslog::Syslog>),
    /// A pino transport in a worker thread, fed by the shipper thread.
    Transport(Box<transport::Transport>),
}

impl std::fmt::Display for Destination {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Destination::Stdout => f.write_str("stdout"),
            Destination::Stderr => f.write_str("stderr"),
            Destination::Fd(fd) => write!(f, "fd {fd}"),
            Destination::Path { path, .. } => write!(f, "{}", path.display()),
            Destination::Otlp(o) => f.write_str(&o.shipping.url),
            Destination::Syslog(s) => f.write_str(&s.shipping.url),
            Destination::Transport(t) => f.write_str(&t.shipping.url),
        }
    }
}

/// Identifies one destination, so that every logger in the process writing to it shares one
/// writer thread: lines from different threads never interleave, and a rotating file is
/// rotated by one writer only. Files go by their canonical path (a file moved away by
/// logrotate or a rotation leaves the key with the path, where new records belong).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SinkKey {
    Fd(i32),
    Path(PathBuf),
    Url(String),
}

/// A test's stand-in for the write system call.
#[cfg(test)]
pub(crate) type Fault = Box<dyn FnMut(&[u8]) -> io::Result<usize> + Send>;

pub struct Output {
    pub(super) file: ManuallyDrop<File>,
    pub(super) owned: bool,
    pub key: SinkKey,
    /// Tests: each write goes to this instead of the file (short writes, EINTR, EIO, ENOSPC…).
    #[cfg(test)]
    pub(crate) fault: Option<Fault>,
}

impl Drop for Output {
    fn drop(&mut self) {
        if self.owned {
            // SAFETY: dropped exactly once, here; borrowed descriptors are never closed.
            unsafe { ManuallyDrop::drop(&mut self.file) }
        }
    }
}

impl Output {
    pub fn open(dest: &Destination) -> io::Result<Output> {
        match dest {
            // A closed stdout or stderr is an error now, not lines lost later.
            Destination::Stdout => fd::check_fd_open(1).map(|()| fd::borrowed_fd(1)),
            Destination::Stderr => fd::check_fd_open(2).map(|()| fd::borrowed_fd(2)),
            Destination::Fd(fd) => {
                if *fd < 0 {
                    return Err(io::Error::new(io::ErrorKind::InvalidInput, "negative file descriptor"));
                }
                fd::check_fd_open(*fd)?;
                Ok(fd::borrowed_fd(*fd))
            }
            Destination::Path { path, mkdir, .. } => file::open(path, *mkdir),
            Destination::Otlp(_) | Destination::Syslog(_) | Destination::Transport(_) => Err(io::Error::new(io::ErrorKind::InvalidInput, "a network destination has no output to open")),
        }
    }

    /// Empties a file (`append: false`); a descriptor is left as it is.
    pub fn truncate(&mut self) -> io::Result<()> {
        if self.owned && self.file.metadata()?.is_file() {
            self.file.set_len(0)?;
        }
        Ok(())
    }

    /// The file's current length (0 for what is not a file).
    pub fn file_len(&self) -> u64 {
        self.file.metadata().map_or(0, |m| if m.is_file() { m.len() } else { 0 })
    }

    /// Writes all of `buf`, through short writes and `EINTR`; waits for a non-blocking
    /// descriptor to drain instead of failing. On a failure, how many bytes went out first.
    pub fn write_all(&mut self, buf: &[u8]) -> Result<(), (usize, io::Error)> {
        let mut done = 0;
        while done < buf.len() {
            match self.write_some(&buf[done..]) {
                Ok(0) => return Err((done, io::ErrorKind::WriteZero.into())),
                Ok(n) => done += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => self.wait_writable(),
                Err(e) => return Err((done, e)),
            }
        }
        Ok(())
    }

    fn write_some(&mut self, buf: &[u8]) -> io::Result<usize> {
        #[cfg(test)]
        if let Some(fault) = &mut self.fault {
            return fault(buf);
        }
        self.file.write(buf)
    }

    #[cfg(unix)]
    fn wait_writable(&self) {
        use std::os::fd::AsRawFd;
        let mut pfd = libc::pollfd { fd: self.file.as_raw_fd(), events: libc::POLLOUT, revents: 0 };
        // SAFETY: one valid pollfd, for the duration of the call.
        unsafe { libc::poll(&mut pfd, 1, 100) };
    }

    #[cfg(not(unix))]
    fn wait_writable(&self) {
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}

