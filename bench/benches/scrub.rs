//! Scrubbing a tool result with 50 secrets loaded (every form of each:
//! percent-encoded, JSON-escaped, base64 at three offsets): a 10 KiB and a
//! 1 MiB text of upstream JSON holding a few of them, against a naive
//! `str::replace` loop over the raw secrets alone and against no scrubbing
//! (a copy). Run with `cargo bench -p credenv-bench --features scrub --bench
//! scrub`; BENCHMARKS.md has results.

use credenv::scrub::Scrubber;
use divan::{Bencher, black_box};

fn main() {
    divan::main();
}

fn secrets() -> Vec<(String, String)> {
    (0..50)
        .map(|i| {
            (
                format!("SECRET_{i}"),
                format!(
                    "sk-live-{i:02}-{:016x}",
                    0x9e37_79b9_7f4a_7c15_u64.wrapping_mul(i + 1)
                ),
            )
        })
        .collect()
}

/// Upstream-like JSON of `size` bytes, with a secret echoed every 4 KiB.
fn text(size: usize, secrets: &[(String, String)]) -> String {
    let mut text = String::with_capacity(size + 256);
    let mut i = 0;
    while text.len() < size {
        text.push_str(&format!(
            r#"{{"id": {i}, "name": "item {i}", "tags": ["a", "b"], "note": "nothing to see here"}},"#
        ));
        if i % 50 == 0 {
            text.push_str(&format!(
                r#"{{"echo": "Bearer {}"}},"#,
                secrets[i % secrets.len()].1
            ));
        }
        i += 1;
    }
    text.truncate(size);
    text
}

const SIZES: [usize; 2] = [10 * 1024, 1024 * 1024];

#[divan::bench(args = SIZES)]
fn credenv_scrub(bencher: Bencher<'_, '_>, size: usize) {
    let secrets = secrets();
    let scrubber = Scrubber::new(secrets.iter().map(|(n, v)| (n.clone(), v.as_str())));
    let text = text(size, &secrets);
    bencher
        .counter(divan::counter::BytesCount::new(size))
        .bench(|| scrubber.scrub(black_box(&text)).len());
}

#[divan::bench(args = SIZES)]
fn naive_replace(bencher: Bencher<'_, '_>, size: usize) {
    let secrets = secrets();
    let text = text(size, &secrets);
    bencher
        .counter(divan::counter::BytesCount::new(size))
        .bench(|| {
            let mut out = black_box(&text).clone();
            for (name, value) in &secrets {
                out = out.replace(value.as_str(), &format!("[REDACTED:{name}]"));
            }
            out.len()
        });
}

#[divan::bench(args = SIZES)]
fn no_scrubbing(bencher: Bencher<'_, '_>, size: usize) {
    let text = text(size, &secrets());
    bencher
        .counter(divan::counter::BytesCount::new(size))
        .bench(|| black_box(&text).clone().len());
}
