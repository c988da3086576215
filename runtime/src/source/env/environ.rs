//! The process environment read in place, entry by entry, without the copy
//! of every name and value that `std::env::vars_os` makes: the crate's only
//! unsafe code.
#![allow(unsafe_code)]

/// How many entries the environment holds, when that is cheap to tell (a
/// walk of the entry pointers, reading no string); `None` elsewhere.
pub(super) fn len() -> Option<usize> {
    #[cfg(unix)]
    {
        let mut count = 0;
        unix::walk(|_| count += 1);
        Some(count)
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// Calls `each` with every entry, which lives only for the call.
pub(super) fn for_each(mut each: impl FnMut(Entry<'_>)) {
    #[cfg(unix)]
    unix::walk(|start| {
        each(Entry {
            start,
            _entry: std::marker::PhantomData,
        })
    });
    #[cfg(not(unix))]
    for (name, value) in std::env::vars_os() {
        each(Entry {
            name: name.as_encoded_bytes(),
            value: value.as_encoded_bytes(),
        });
        super::super::zeroize_os(value);
    }
}

/// One `NAME=value` entry, read only as far as it is asked: most entries of
/// a large environment are told apart by their first byte.
pub(super) struct Entry<'e> {
    #[cfg(unix)]
    start: *const libc::c_char,
    #[cfg(unix)]
    _entry: std::marker::PhantomData<&'e [u8]>,
    #[cfg(not(unix))]
    name: &'e [u8],
    #[cfg(not(unix))]
    value: &'e [u8],
}

#[cfg(unix)]
impl<'e> Entry<'e> {
    /// The name's first byte (0 for an empty entry).
    pub(super) fn first_byte(&self) -> u8 {
        // SAFETY: a NUL-terminated string has at least its NUL.
        unsafe { *self.start.cast::<u8>() }
    }

    /// The name: up to the first `=` after the first byte (as std: a name
    /// may start with `=`); `None` for an entry without one.
    pub(super) fn name(&self) -> Option<&'e [u8]> {
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
        Some(unsafe {
            let length = equals.offset_from(self.start).unsigned_abs();
            std::slice::from_raw_parts(self.start.cast::<u8>(), length)
        })
    }

    /// The value that follows `name`, this entry's [`name`](Entry::name).
    pub(super) fn value(&self, name: &[u8]) -> &'e [u8] {
        // SAFETY: the entry is `name`, `=`, the value and its NUL.
        unsafe { std::ffi::CStr::from_ptr(self.start.add(name.len() + 1)) }.to_bytes()
    }
}

#[cfg(not(unix))]
impl<'e> Entry<'e> {
    pub(super) fn first_byte(&self) -> u8 {
        self.name.first().copied().unwrap_or(0)
    }

    pub(super) fn name(&self) -> Option<&'e [u8]> {
        Some(self.name)
    }

    pub(super) fn value(&self, _name: &[u8]) -> &'e [u8] {
        self.value
    }
}

#[cfg(unix)]
mod unix {
    use libc::c_char;

    /// Calls `each` with every entry's pointer (`NAME=value`, NUL-terminated).
    ///
    /// std's own reads hold a lock that its `set_var` takes; this one cannot.
    /// It relies on `set_var`'s contract instead: a program that changes its
    /// environment while another thread runs must ensure no other thread
    /// reads it through anything but `std::env`, and libc's own `getenv`
    /// (DNS lookups call it) would race the same way.
    pub(super) fn walk(mut each: impl FnMut(*const c_char)) {
        let mut entry = entries();
        if entry.is_null() {
            return;
        }
        // SAFETY: `environ` is a NULL-terminated array of C strings, and
        // nothing changes it during the walk (above).
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
            static environ: *const *const c_char;
        }
        // SAFETY: reading the pointer itself; see `walk`.
        unsafe { environ }
    }

    #[cfg(target_vendor = "apple")]
    fn entries() -> *const *const c_char {
        // SAFETY: the documented way to reach `environ` from a library.
        unsafe { *libc::_NSGetEnviron() as *const *const c_char }
    }
}
