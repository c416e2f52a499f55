//! A global allocator that counts live bytes and remembers the peak, so a benchmark can print
//! the peak memory of exactly the work it measures. It counts on top of mimalloc, the allocator
//! the `xtask` commands use, so the figures are the commands'. Benchmarks include this file with `#[path]`
//! and install it with `#[global_allocator] static ALLOCATOR: PeakMemory = PeakMemory::new();`.

#![allow(
    unsafe_code,
    reason = "a global allocator is an unsafe trait: this one only forwards to mimalloc and counts"
)]

use std::alloc::{GlobalAlloc, Layout};

use mimalloc::MiMalloc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// mimalloc, counting.
pub(crate) struct PeakMemory {
    live: AtomicUsize,
    peak: AtomicUsize,
}

impl PeakMemory {
    /// A counter at zero.
    pub(crate) const fn new() -> PeakMemory {
        PeakMemory {
            live: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
        }
    }

    /// Starts a measurement: the peak becomes what is live now.
    pub(crate) fn reset_peak(&self) {
        self.peak
            .store(self.live.load(Ordering::Relaxed), Ordering::Relaxed);
    }

    /// Bytes allocated and not yet freed.
    pub(crate) fn live_bytes(&self) -> usize {
        self.live.load(Ordering::Relaxed)
    }

    /// The most bytes live at once since the last `reset_peak`.
    pub(crate) fn peak_bytes(&self) -> usize {
        self.peak.load(Ordering::Relaxed)
    }

    fn grew(&self, bytes: usize) {
        let live = self.live.fetch_add(bytes, Ordering::Relaxed) + bytes;
        // The peak only grows: a plain read first spares the read-modify-write, which threads
        // allocating at once would contend for, whenever the peak is not passed.
        if live > self.peak.load(Ordering::Relaxed) {
            self.peak.fetch_max(live, Ordering::Relaxed);
        }
    }

    fn shrank(&self, bytes: usize) {
        self.live.fetch_sub(bytes, Ordering::Relaxed);
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
