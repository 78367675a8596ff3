//! Files at a path: created (with their folder, if asked), always opened for appending — an
//! `append: false` truncates only when the path's writer starts (writer.rs), never under one
//! already writing there — and keyed by their canonical path, so every logger of a file shares
//! one writer.

use std::fs::OpenOptions;
use std::io;
use std::mem::ManuallyDrop;
use std::path::Path;

use super::{Output, SinkKey};

pub(super) fn open(path: &Path, mkdir: bool) -> io::Result<Output> {
    if mkdir {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
    }
    let file = OpenOptions::new().create(true).append(true).open(path)?;
    if file.metadata()?.is_dir() {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "is a directory"));
    }
    // A path that cannot be canonicalized (/dev/stdout on a pipe) is its own key.
    let key = SinkKey::Path(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()));
    Ok(Output {
        key,
        file: ManuallyDrop::new(file),
        owned: true,
        #[cfg(test)]
        fault: None,
    })
}
