//! Parses fuzzed `.env` files: never a panic or a runaway allocation (an
//! expansion bomb is refused), and an error is exactly `cannot parse <path>:
//! entry N[ (after NAME)], at character C` or one of the two refusals. The only
//! part it takes from the file is the name of the entry before, never a
//! value or a line (dotenvy's own error quotes the line).

#![no_main]

use credenv::DotEnv;
use libfuzzer_sys::fuzz_target;

/// `digits` is all ASCII digits and not empty.
fn number(digits: &str) -> bool {
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

fn well_formed(message: &str) -> bool {
    let Some(rest) = message.strip_prefix("cannot parse fuzz.env: entry ") else {
        return false;
    };
    let Some((entry, rest)) = rest.split_once([' ', ',']) else {
        return false;
    };
    let rest = match rest.strip_prefix("(after ") {
        // A dotenv name: letters, digits, `_` and `.` (dotenvy's rule).
        Some(after) => match after.split_once("), ") {
            Some((name, rest))
                if !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.') =>
            {
                rest
            }
            _ => return false,
        },
        None => rest.trim_start(),
    };
    number(entry) && rest.strip_prefix("at character ").is_some_and(number)
}

fuzz_target!(|data: &[u8]| {
    if let Err(err) = DotEnv::from_reader(data, "fuzz.env") {
        let message = err.to_string();
        let io = message.starts_with("cannot read fuzz.env: ");
        let refused = [
            "cannot parse fuzz.env: it is larger than 1 MiB",
            "cannot parse fuzz.env: its $NAME references could expand to more than 1 MiB",
        ]
        .contains(&message.as_str());
        assert!(
            io || refused || well_formed(&message),
            "unexpected error: {message}"
        );
    }
});
