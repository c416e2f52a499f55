//! A global allocator that counts live bytes and remembers the peak, so a benchmark can print
//! the peak memory of exactly the work it measures. It counts on top of mimalloc, the allocator
//! the `xtask` commands use, so the figures are the commands'. Each thread counts in a plain
//! thread-local first and adds to the shared counters only once its count has moved by
//! [`FLUSH_BYTES`]: a shared atomic touched on every allocation made allocation-heavy work (the
//! generator's token trees) twice as slow as it is, and the bench would time the counter. The
//! peak can so be low by at most `FLUSH_BYTES` a thread. Benchmarks include this file with `#[path]`
//! and install it with `#[global_allocator] static ALLOCATOR: PeakMemory = PeakMemory::new();`.

#![allow(
    unsafe_code,
    reason = "a global allocator is an unsafe trait: this one only forwards to mimalloc and counts"
)]

use std::alloc::{GlobalAlloc, Layout};

use std::cell::Cell;
use std::sync::atomic::{AtomicIsize, AtomicUsize, Ordering};

use mimalloc::MiMalloc;

/// How far a thread's own count moves before it is added to the shared one.
const FLUSH_BYTES: isize = 64 * 1024;

thread_local! {
    /// Bytes this thread allocated (positive) or freed (negative) and has not yet added to the
    /// shared count. `const` and without a destructor: reading it never allocates.
    static PENDING_BYTES: Cell<isize> = const { Cell::new(0) };
}

/// mimalloc, counting.
pub(crate) struct PeakMemory {
    /// Signed: one thread may add its frees before another adds the allocations they free.
    live: AtomicIsize,
    peak: AtomicUsize,
}

impl PeakMemory {
    /// A counter at zero.
    pub(crate) const fn new() -> PeakMemory {
        PeakMemory {
            live: AtomicIsize::new(0),
            peak: AtomicUsize::new(0),
        }
    }

    /// Starts a measurement: the peak becomes what is live now.
    pub(crate) fn reset_peak(&self) {
        self.flush_this_thread();
        self.peak.store(self.live_bytes(), Ordering::Relaxed);
    }

    /// Bytes allocated and not yet freed (less what other threads have not yet added).
    pub(crate) fn live_bytes(&self) -> usize {
        self.flush_this_thread();
        usize::try_from(self.live.load(Ordering::Relaxed)).unwrap_or(0)
    }

    /// The most bytes live at once since the last `reset_peak`.
    pub(crate) fn peak_bytes(&self) -> usize {
        self.flush_this_thread();
        self.peak.load(Ordering::Relaxed)
    }

    fn flush_this_thread(&self) {
        let pending = PENDING_BYTES.with(|pending| pending.replace(0));
        self.add(pending);
    }

    fn add(&self, bytes: isize) {
        let live = self.live.fetch_add(bytes, Ordering::Relaxed) + bytes;
        let live = usize::try_from(live).unwrap_or(0);
        // The peak only grows: a plain read first spares the read-modify-write, which threads
        // allocating at once would contend for, whenever the peak is not passed.
        if live > self.peak.load(Ordering::Relaxed) {
            self.peak.fetch_max(live, Ordering::Relaxed);
        }
    }

    fn moved(&self, bytes: isize) {
        let pending = PENDING_BYTES.with(|pending| {
            let moved = pending.get() + bytes;
            if moved.abs() >= FLUSH_BYTES {
                pending.set(0);
                moved
            } else {
                pending.set(moved);
                0
            }
        });
        if pending != 0 {
            self.add(pending);
        }
    }

    fn grew(&self, bytes: usize) {
        self.moved(isize::try_from(bytes).unwrap_or(isize::MAX));
    }

    fn shrank(&self, bytes: usize) {
        self.moved(-isize::try_from(bytes).unwrap_or(isize::MAX));
    }
}

impl Default for PeakMemory {
    fn default() -> Self {
        PeakMemory::new()
    }
}

// SAFETY: every call is forwarded to `MiMalloc` unchanged; only counters are added.
unsafe impl GlobalAlloc for PeakMemory {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's layout.
        let pointer = unsafe { MiMalloc.alloc(layout) };
        if !pointer.is_null() {
            self.grew(layout.size());
        }
        pointer
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's layout.
        let pointer = unsafe { MiMalloc.alloc_zeroed(layout) };
        if !pointer.is_null() {
            self.grew(layout.size());
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: forwarded with the caller's pointer and layout.
        unsafe { MiMalloc.dealloc(pointer, layout) };
        self.shrank(layout.size());
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded with the caller's pointer, layout and size.
        let new_pointer = unsafe { MiMalloc.realloc(pointer, layout, new_size) };
        if !new_pointer.is_null() {
            self.shrank(layout.size());
            self.grew(new_size);
        }
        new_pointer
    }
}

/// `12.3 MB` (10^6 bytes).
pub(crate) fn megabytes(bytes: usize) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}
