//! Descriptors the caller owns (stdout, stderr, a number): written to, never closed, checked
//! to be open when the logger is made.

use std::fs::File;
use std::io;
use std::mem::ManuallyDrop;

use super::{Output, SinkKey};

#[cfg(unix)]
pub(super) fn borrowed_fd(fd: i32) -> Output {
    use std::os::fd::FromRawFd;
    // SAFETY: ManuallyDrop with owned = false: the descriptor is never closed by us.
    let file = unsafe { File::from_raw_fd(fd) };
    Output { file: ManuallyDrop::new(file), owned: false, key: SinkKey::Fd(fd), #[cfg(test)] fault: None }
}

#[cfg(windows)]
pub(super) fn borrowed_fd(fd: i32) -> Output {
    use std::os::windows::io::FromRawHandle;
    extern "C" {
        fn _get_osfhandle(fd: i32) -> isize;
    }
    // SAFETY: the CRT maps the descriptor to its handle; ManuallyDrop keeps it open.
    let file = unsafe { File::from_raw_handle(_get_osfhandle(fd) as _) };
    Output { file: ManuallyDrop::new(file), owned: false, key: SinkKey::Fd(fd), #[cfg(test)] fault: None }
}

#[cfg(unix)]
pub(super) fn check_fd_open(fd: i32) -> io::Result<()> {
    // SAFETY: F_GETFL only reads the descriptor's flags.
    if unsafe { libc::fcntl(fd, libc::F_GETFL) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

#[cfg(not(unix))]
pub(super) fn check_fd_open(_fd: i32) -> io::Result<()> {
    Ok(())
}
