//! The binary's allocator (mimalloc) and handing freed memory back to the
//! system between stages.

use libmimalloc_sys::{mi_option_set, mi_option_t};

/// mimalloc's option number (mimalloc.h, `mi_option_e`; the crate names
/// only some of them).
const PURGE_DELAY: mi_option_t = 15;
const ALLOW_THP: mi_option_t = 43;

/// Freed memory goes back to the system after 10 ms (mimalloc 2's
/// default). mimalloc 3's default, a second, held about 30 MB more at the
/// peak at 10,000 units (290 MB, near the 300 MB target); at once, memory
/// was given back and faulted in again: 0.2 s more of the system's time.
const PURGE_AFTER_MS: std::ffi::c_long = 10;

/// Set at the start of `main`. Transparent huge pages are turned off for
/// the process and the workers it starts (the flag survives `exec`):
/// mimalloc asks for them, and each first touch of a 2 MB page zeroes all
/// of it. At 500 units that was 65–75 huge pages, a peak of 118–128 MB
/// where 84–92 MB is used; at 10,000 units 255–265 MB against 225–245 MB,
/// and a little more of the system's time (README, speed).
pub fn allocator_settings() {
    // SAFETY: setting an option is safe at any time; it affects later purges.
    unsafe {
        mi_option_set(PURGE_DELAY, PURGE_AFTER_MS);
        mi_option_set(ALLOW_THP, 0);
    }
    // SAFETY: PR_SET_THP_DISABLE sets a flag of this process; no memory is
    // touched. A kernel without it answers -1, and nothing changes.
    #[cfg(target_os = "linux")]
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// The environment a capped child process (a reading worker, the template
/// renderer) starts with. mimalloc reserves a 1 GiB arena at its first
/// allocation, before `main`, and on a system that overcommits it commits
/// it whole: a writable mapping that RLIMIT_DATA counts, so the child's
/// 900 MB cap would fail allocations it should allow. Committed as used,
/// the cap counts what the child really takes.
pub fn child_environment() -> [(&'static str, String); 1] {
    [("MIMALLOC_ARENA_EAGER_COMMIT", "0".to_owned())]
}

/// glibc keeps what the aggregation's frames freed in its per-thread arenas:
/// at 10,000 units a couple of hundred MB the rest of the run never uses
/// but stays resident. `malloc_trim` returns it. (The binary's mimalloc
/// returns freed pages by itself, [`PURGE_AFTER_MS`] later; this is for
/// the library under glibc's allocator, as in the tests, and for C code.)
pub fn give_back() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks glibc's own heap.
    unsafe {
        libc::malloc_trim(0);
    }
}
