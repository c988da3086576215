//! Parses fuzzed `.env` files: never a panic or a runaway allocation (an
//! expansion bomb is refused), and an error is exactly `cannot parse <path>:
//! line N, column C` or one of the two refusals: never a value or a line
//! (dotenvy's own error quotes the line).

#![no_main]

use credenv::DotEnv;
use libfuzzer_sys::fuzz_target;

/// `digits` is all ASCII digits and not empty.
fn number(digits: &str) -> bool {
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

fn well_formed(message: &str) -> bool {
    let Some(rest) = message.strip_prefix("cannot parse fuzz.env: ") else {
        return false;
    };
    if rest == "a line dotenvy cannot read" {
        return true;
    }
    let Some((line, column)) = rest
        .strip_prefix("line ")
        .and_then(|rest| rest.split_once(", column "))
    else {
        return false;
    };
    number(line) && number(column)
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
