//! Panics inside the reader libraries are caught and become a diagnostic
//! naming the file; the default hook would first print the raw panic text
//! ("thread panicked at …") to the terminal. This hook stays silent for a
//! thread that is reading a workbook and leaves every other panic to the
//! hook that was installed before.

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    static READING: Cell<bool> = const { Cell::new(false) };
}

static INSTALL: Once = Once::new();

/// Run `f`, turning a panic into `None` without a word on the terminal.
pub fn catch_silently<T>(f: impl FnOnce() -> T) -> Option<T> {
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !READING.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let was = READING.with(|r| r.replace(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    READING.with(|r| r.set(was));
    result.ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_none() {
        assert_eq!(catch_silently(|| 1), Some(1));
        let none: Option<()> = catch_silently(|| panic!("inside a reader"));
        assert!(none.is_none());
        assert!(!READING.with(Cell::get), "the flag is cleared after");
    }
}
