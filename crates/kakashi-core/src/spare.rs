//! Spare batch buffers. A batch's vectors, once its writer has formatted it, wait here for the
//! next batch a JS thread submits, which then copies into memory already mapped. Without them
//! each submit asks the allocator for its ~40–100 KB afresh, and the writer thread frees it on
//! its own side: the JS thread's arena hands pages back and the kernel zeroes new ones, page by
//! page, on the JS thread (`clear_page` was ~4% of its time for large messages).
//!
//! Bounded: at most `SPARES` sets are kept, none larger than `MAX_BYTES`; the set is emptied
//! whenever a writer goes idle, so a quiet process holds none.

use std::sync::{Arc, Mutex};

use crate::batch::Batch;

/// Sets kept: a writer formats one batch while the JS thread fills the next; a few more cover
/// several destinations.
const SPARES: usize = 4;

/// A batch whose buffers hold more than this (a burst of huge records) is not kept.
const MAX_BYTES: usize = 1 << 20;

/// The process's spares: every destination's writer keeps into it, every submit takes from it.
static SPARES_OF_PROCESS: Spares = Spares(Mutex::new(Vec::new()));

/// An empty batch, with the room of one a writer finished with when there is one.
pub fn batch() -> Batch {
    SPARES_OF_PROCESS.take()
}

/// The writer is done with `batch` (see `Spares::keep`).
pub(crate) fn keep(batch: Arc<Batch>) {
    SPARES_OF_PROCESS.keep(batch);
}

/// A writer has nothing left to do: the kept buffers go back to the allocator.
pub(crate) fn release() {
    SPARES_OF_PROCESS.release();
}

struct Spares(Mutex<Vec<Batch>>);

impl Spares {
    fn take(&self) -> Batch {
        if let Ok(mut pool) = self.0.try_lock() {
            if let Some(b) = pool.pop() {
                return b;
            }
        }
        Batch::default()
    }

    /// Keeps `batch`'s buffers (emptied) when no one else holds it and there is room. Never
    /// waits: a contended pool frees the batch instead.
    fn keep(&self, batch: Arc<Batch>) {
        let Ok(mut b) = Arc::try_unwrap(batch) else { return };
        let bytes = capacity(&b);
        if bytes == 0 || bytes > MAX_BYTES {
            return;
        }
        let Ok(mut pool) = self.0.try_lock() else { return };
        if pool.len() < SPARES {
            b.text.clear();
            b.chars.clear();
            b.ops.clear();
            b.nums.clear();
            b.records = 0;
            pool.push(b);
        }
    }

    fn release(&self) {
        let drained = match self.0.lock() {
            Ok(mut pool) => std::mem::take(&mut *pool),
            Err(_) => return,
        };
        drop(drained);
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.0.lock().unwrap().len()
    }
}

fn capacity(b: &Batch) -> usize {
    (b.text.capacity() + b.chars.capacity()) * 2 + b.ops.capacity() * 4 + b.nums.capacity() * 8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_a_few_emptied_batches_and_releases_them() {
        let spares = Spares(Mutex::new(Vec::new()));
        let full = || Arc::new(Batch { text: vec![1; 100], chars: vec![2; 10], ops: vec![3; 10], nums: vec![4.0; 10], records: 7 });
        for _ in 0..SPARES + 2 {
            spares.keep(full());
        }
        assert_eq!(spares.len(), SPARES);
        let b = spares.take();
        assert!(b.text.is_empty() && b.chars.is_empty() && b.ops.is_empty() && b.nums.is_empty() && b.records == 0);
        assert!(b.text.capacity() >= 100 && b.nums.capacity() >= 10);
        assert_eq!(spares.len(), SPARES - 1);
        // Shared with another destination's writer, too large, or empty: not kept.
        let shared = full();
        let other = shared.clone();
        spares.keep(shared);
        spares.keep(Arc::new(Batch { nums: vec![0.0; MAX_BYTES / 8 + 1], ..Batch::default() }));
        spares.keep(Arc::new(Batch::default()));
        assert_eq!(spares.len(), SPARES - 1);
        drop(other);
        spares.release();
        assert_eq!(spares.len(), 0);
        assert_eq!(spares.take().text.capacity(), 0);
    }
}
