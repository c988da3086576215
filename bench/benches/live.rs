//! The live handle's `current()` (an `Arc` of the current generation,
//! through arc-swap) against the baseline a hand-written reloader would use,
//! a `RwLock<Arc<_>>`, and the floor, an `Arc` clone: alone, and while
//! other threads read too. Run with
//! `cargo bench -p credenv-bench --features live --bench live`; BENCHMARKS.md
//! has results.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

use credenv::{Credentials, Live, Loaded, SecretString};
use divan::{Bencher, black_box};

#[derive(Credentials)]
#[allow(dead_code)] // the token is loaded, never read
struct Creds {
    api_token: SecretString,
    #[credential(default = 8080)]
    port: u16,
}

fn main() {
    divan::main();
}

fn live() -> Live<Creds> {
    Creds::watch(HashMap::from([("API_TOKEN".to_owned(), "t".to_owned())])).unwrap()
}

fn rwlock() -> Arc<RwLock<Arc<Loaded<Creds>>>> {
    let loaded = Creds::load(&[("API_TOKEN", "t")]).unwrap();
    Arc::new(RwLock::new(Arc::new(loaded)))
}

/// Runs `bench` while `readers` other threads call `read` in a loop.
fn contended<R: Send + Sync + Clone + 'static>(
    bencher: Bencher<'_, '_>,
    shared: R,
    readers: usize,
    read: fn(&R),
) {
    let stop = Arc::new(AtomicBool::new(false));
    let threads: Vec<_> = (0..readers)
        .map(|_| {
            let (shared, stop) = (shared.clone(), Arc::clone(&stop));
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    read(&shared);
                }
            })
        })
        .collect();
    bencher.bench(|| read(&shared));
    stop.store(true, Ordering::Relaxed);
    threads.into_iter().for_each(|t| t.join().unwrap());
}

#[divan::bench(args = [0, 1, 3])]
fn live_current(bencher: Bencher<'_, '_>, readers: usize) {
    contended(bencher, live(), readers, |live| {
        black_box(live.current().port);
    });
}

#[divan::bench(args = [0, 1, 3])]
fn rwlock_read(bencher: Bencher<'_, '_>, readers: usize) {
    contended(bencher, rwlock(), readers, |lock| {
        let current = Arc::clone(&lock.read().unwrap());
        black_box(current.port);
    });
}

/// The floor: cloning an `Arc` that never changes.
#[divan::bench(args = [0, 1, 3])]
fn arc_clone(bencher: Bencher<'_, '_>, readers: usize) {
    let loaded = Arc::new(Creds::load(&[("API_TOKEN", "t")]).unwrap());
    contended(bencher, loaded, readers, |loaded| {
        black_box(Arc::clone(loaded).port);
    });
}
