//! The process environment read in place, entry by entry, without the copy
//! of every name and value that `std::env::vars_os` makes: the crate's only
//! unsafe code (Unix only; elsewhere a load looks each variable up).
#![allow(unsafe_code)]
#![deny(clippy::undocumented_unsafe_blocks)]

use std::marker::PhantomData;

use libc::c_char;

/// Whether some entry's name satisfies `test`; after the first that does,
/// the rest of the walk reads no entry.
pub(super) fn any_name(mut test: impl FnMut(&[u8]) -> bool) -> bool {
    let mut found = false;
    for_each(|entry| {
        if !found {
            found = entry.split().is_some_and(|(name, _)| test(name));
        }
    });
    found
}

/// Calls `each` with every entry, which lives only for the call.
pub(super) fn for_each(mut each: impl FnMut(Entry<'_>)) {
    // SAFETY: `environ`, under `set_var`'s contract (see `walk`).
    unsafe { walk(entries(), |start| each(Entry::at(start))) }
}

/// Calls `each` with every entry of `list`, as [`for_each`] does with the
/// process environment's: for tests, which cannot set their own.
#[cfg(test)]
pub(super) fn for_each_of(list: &[std::ffi::CString], mut each: impl FnMut(Entry<'_>)) {
    let mut pointers: Vec<*const c_char> = list.iter().map(|entry| entry.as_ptr()).collect();
    pointers.push(std::ptr::null());
    // SAFETY: a NULL-terminated array of the strings of `list`, which
    // outlive the walk and do not change.
    unsafe { walk(pointers.as_ptr(), |start| each(Entry::at(start))) }
}

/// One `NAME=value` entry, read only as far as it is asked: most entries of
/// a large environment are told apart by their first byte.
pub(super) struct Entry<'e> {
    start: *const c_char,
    _entry: PhantomData<&'e [u8]>,
}

impl<'e> Entry<'e> {
    /// The entry that starts at `start`.
    ///
    /// # Safety
    ///
    /// `start` is a NUL-terminated string that lives, unchanged, for `'e`
    /// (a walk's entry, within its call).
    unsafe fn at(start: *const c_char) -> Self {
        Entry {
            start,
            _entry: PhantomData,
        }
    }

    /// The name's first byte (0 for an empty entry).
    pub(super) fn first_byte(&self) -> u8 {
        // SAFETY: a NUL-terminated string has at least its NUL.
        unsafe { *self.start.cast::<u8>() }
    }

    /// The name, up to the first `=` after its first byte (as std: a name
    /// may start with `=`), and where the value starts; `None` for an entry
    /// without a `=`.
    pub(super) fn split(&self) -> Option<(&'e [u8], Rest<'e>)> {
        if self.first_byte() == 0 {
            return None;
        }
        // SAFETY: the first byte is not the NUL, so the string goes on after
        // it, and strchr stops at its NUL.
        let equals = unsafe { libc::strchr(self.start.add(1), i32::from(b'=')) };
        if equals.is_null() {
            return None;
        }
        // SAFETY: `equals` points into the same entry, after `start`.
        let name = unsafe {
            let length = equals.offset_from(self.start).unsigned_abs();
            std::slice::from_raw_parts(self.start.cast::<u8>(), length)
        };
        // SAFETY: `equals` is not the NUL, so the byte after it is in the
        // string, at worst its NUL.
        let value = unsafe { equals.add(1) };
        Some((name, Rest(value, PhantomData)))
    }
}

/// An entry's value, measured only when it is read.
#[derive(Clone, Copy)]
pub(super) struct Rest<'e>(*const c_char, PhantomData<&'e [u8]>);

impl<'e> Rest<'e> {
    pub(super) fn bytes(self) -> &'e [u8] {
        // SAFETY: `split` made it point into a NUL-terminated entry.
        unsafe { std::ffi::CStr::from_ptr(self.0) }.to_bytes()
    }

    /// The value as text, or `None` when it is not UTF-8. Most values
    /// are ASCII, which is told faster than UTF-8 is validated.
    pub(super) fn text(self) -> Option<&'e str> {
        let bytes = self.bytes();
        match bytes.is_ascii() {
            // SAFETY: ASCII is UTF-8.
            true => Some(unsafe { std::str::from_utf8_unchecked(bytes) }),
            false => std::str::from_utf8(bytes).ok(),
        }
    }
}

/// Calls `each` with the pointer of every entry (`NAME=value`,
/// NUL-terminated) of `entry`, the environment's array or a test's.
///
/// # Safety
///
/// `entry` is null or a NULL-terminated array of NUL-terminated strings,
/// and neither changes during the walk. For the environment, std's own
/// reads hold a lock that its `set_var` takes; this one cannot, and relies
/// on `set_var`'s contract instead (unsafe since edition 2024): a program
/// that changes its environment while another thread runs must ensure no
/// other thread reads it through anything but `std::env`, since libc's
/// `getenv` and the C libraries that call it race the same way.
unsafe fn walk(mut entry: *const *const c_char, mut each: impl FnMut(*const c_char)) {
    if entry.is_null() {
        return;
    }
    // SAFETY: the caller's promise.
    unsafe {
        while !(*entry).is_null() {
            each(*entry);
            entry = entry.add(1);
        }
    }
}

#[cfg(not(target_vendor = "apple"))]
fn entries() -> *const *const c_char {
    unsafe extern "C" {
        // `mut`: libc's `setenv` assigns it, and Rust must not assume it
        // never changes.
        static mut environ: *const *const c_char;
    }
    // SAFETY: reading the pointer itself, as std does; see `walk`.
    unsafe { (&raw const environ).read() }
}

#[cfg(target_vendor = "apple")]
fn entries() -> *const *const c_char {
    // SAFETY: the documented way to reach `environ` from a library.
    unsafe { *libc::_NSGetEnviron() as *const *const c_char }
}
