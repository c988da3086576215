//! What idle live handles cost: 100 handles, each watching a file of its
//! own (inotify) and 100 more polling theirs every second, left alone for
//! 10 s; the process's CPU time over that while, from getrusage. Run with
//! `cargo bench -p credenv-bench --features live --bench live_idle`;
//! BENCHMARKS.md has results.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use credenv::{Credentials, Live, SecretString, Watch};

#[derive(Credentials)]
#[allow(dead_code)] // the token is loaded, never read
struct Creds {
    api_token: SecretString,
}

const HANDLES: usize = 100;
const IDLE: Duration = Duration::from_secs(10);

fn main() {
    let dir = std::env::temp_dir().join(format!("credenv-bench-idle-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let start = |poll: Option<Duration>| -> Vec<Live<Creds>> {
        (0..HANDLES)
            .map(|i| {
                let path = dir.join(format!("token-{}-{i}", poll.is_some()));
                std::fs::write(&path, "t").unwrap();
                let vars =
                    HashMap::from([("API_TOKEN_FILE".to_owned(), path.display().to_string())]);
                let watch = match poll {
                    Some(every) => Watch::new().poll(every),
                    None => Watch::new(),
                };
                watch.start(vars).unwrap()
            })
            .collect()
    };
    for (what, poll) in [
        ("file events (inotify)", None),
        ("a poll every second", Some(Duration::from_secs(1))),
    ] {
        let handles = start(poll);
        std::thread::sleep(Duration::from_millis(500));
        let (cpu, wall) = (cpu_time(), Instant::now());
        std::thread::sleep(IDLE);
        let used = cpu_time() - cpu;
        println!(
            "{HANDLES} idle handles, {what}: {:.2} ms of CPU in {:.1} s ({:.4}% of a core)",
            used.as_secs_f64() * 1e3,
            wall.elapsed().as_secs_f64(),
            100.0 * used.as_secs_f64() / wall.elapsed().as_secs_f64()
        );
        drop(handles);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The process's user and system CPU time so far (Linux: /proc/self/stat,
/// in clock ticks of 10 ms).
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
    // The fields after the command's closing parenthesis: utime is the
    // 12th of them, stime the 13th.
    let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..].split(' ').collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    Duration::from_millis(ticks * 10)
}
