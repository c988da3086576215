//! Parses fuzzed `.env` files: never a panic, and an error never quotes the
//! file's contents (dotenvy's own error would).

#![no_main]

use credenv::DotEnv;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(err) = DotEnv::from_reader(data, "fuzz.env") {
        let message = err.to_string();
        let text = String::from_utf8_lossy(data);
        for line in text.lines().map(str::trim).filter(|l| l.len() >= 12) {
            assert!(
                !message.contains(line),
                "the error quotes a line: {message}"
            );
        }
    }
});
