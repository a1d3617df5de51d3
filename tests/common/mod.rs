//! Helpers shared by the tests that run the `sitrep` binary and its server:
//! the CLI, a server on a loopback port, an HTTP client that never treats a
//! status as an error, accounts and browser sign-in.
//!
//! Each test file that uses them says `mod common;`; not every file uses
//! every helper, hence the `dead_code` allowance.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

/// The `sitrep` binary with a clean environment: no `SITREP_DB`, no demo
/// incidents (unless a test asks for them through `env`).
pub fn sitrep_command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sitrep"));
    command.args(args).env_remove("SITREP_DB").env("SITREP_NO_DEMO", "1");
    command
}

/// Runs `sitrep` with extra environment variables.
pub fn sitrep_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = sitrep_command(args);
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("sitrep runs")
}

/// Runs `sitrep`.
pub fn sitrep(args: &[&str]) -> Output {
    sitrep_env(args, &[])
}

/// Its standard output, after asserting it succeeded.
pub fn ok(out: Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Writes `text` to `dir/name` and returns the path.
pub fn write_file(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// Creates an account and returns its API token.
pub fn add_user(db: &str, name: &str, role: &str) -> String {
    let token = ok(sitrep(&["user", "add", name, "--role", role, "--db", db]));
    assert_eq!(token.lines().count(), 1, "the token alone on one line");
    token
}

/// Sets an account's browser password.
pub fn set_password(db: &str, name: &str, password: &str) {
    ok(sitrep_env(
        &["user", "passwd", name, "--db", db],
        &[("SITREP_PASSWORD", password)],
    ));
}

/// `PRAGMA integrity_check` of a database file.
pub fn integrity(db: &str) -> String {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("PRAGMA integrity_check", [], |r| r.get::<_, String>(0))
        .unwrap()
}

/// `sitrep serve` on a free loopback port; killed when dropped.
pub struct Server {
    pub child: Child,
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub base: String,
}

impl Server {
    /// Starts the server on `db` without the demo incidents.
    pub fn start(db: &str) -> Server {
        Server::start_with(db, false)
    }

    /// Starts the server; `demo` seeds a new database with the demo incidents.
    pub fn start_with(db: &str, demo: bool) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_sitrep"));
        command
            .args(["serve", "--db", db, "--addr", "127.0.0.1:0"])
            .env_remove("SITREP_DB")
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if demo {
            command.env_remove("SITREP_NO_DEMO");
        } else {
            command.env("SITREP_NO_DEMO", "1");
        }
        let mut child = command.spawn().expect("server starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("server prints its URL");
        let base = line
            .trim()
            .rsplit(' ')
            .next()
            .expect("url")
            .trim_end_matches('/')
            .to_string();
        assert!(base.starts_with("http://127.0.0.1:"), "{line:?}");
        Server { child, base }
    }

    /// `base` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Resident memory of the server process in kB (VmRSS).
    pub fn rss_kb(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmRSS in /proc/PID/status")
    }

    /// SIGKILL, and wait for the process to be gone.
    pub fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP client with keep-alive that returns every status as a reply.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into()
}

/// A response, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    /// The body as JSON (panics with the body when it is not).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// A header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The ETag (panics when there is none).
    pub fn etag(&self) -> String {
        self.header("etag")
            .unwrap_or_else(|| panic!("no ETag: {} {}", self.status, self.body))
            .to_string()
    }
}

/// Sends a request with `agent`; transport failures are `Err`.
pub fn try_send_with(
    agent: &ureq::Agent,
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> Result<Reply, ureq::Error> {
    let mut builder = ureq::http::Request::builder().method(method).uri(url);
    for (k, v) in headers {
        builder = builder.header(*k, *v);
    }
    let request = builder
        .body(body.map(<[u8]>::to_vec).unwrap_or_default())
        .expect("request");
    let mut response = agent.run(request)?;
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    let bytes = response
        .body_mut()
        .with_config()
        .limit(200 * 1024 * 1024)
        .read_to_vec()?;
    Ok(Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    })
}

/// Sends a request with `agent`; panics on a transport failure.
pub fn send_with(agent: &ureq::Agent, method: &str, url: &str, headers: &[(&str, &str)], body: Option<&[u8]>) -> Reply {
    try_send_with(agent, method, url, headers, body).unwrap_or_else(|e| panic!("{method} {url}: {e}"))
}

/// Sends a request on a fresh connection; panics on a transport failure.
pub fn send(method: &str, url: &str, headers: &[(&str, &str)], body: Option<&[u8]>) -> Reply {
    send_with(&agent(), method, url, headers, body)
}

/// `GET url`.
pub fn get(url: &str) -> Reply {
    send("GET", url, &[], None)
}

/// `Authorization: Bearer TOKEN`.
pub fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

/// A browser session: the cookie to send back and the CSRF token.
#[derive(Debug, Clone)]
pub struct Session {
    /// `sitrep_session=...`
    pub cookie: String,
    /// The `X-CSRF-Token` value.
    pub csrf: String,
}

/// `POST /api/login` (the raw reply).
pub fn login_reply(server: &Server, name: &str, password: &str, headers: &[(&str, &str)]) -> Reply {
    send(
        "POST",
        &server.url("/api/login"),
        headers,
        Some(json!({"name": name, "password": password}).to_string().as_bytes()),
    )
}

/// Signs in and returns the session (panics unless the login succeeds).
pub fn login(server: &Server, name: &str, password: &str) -> Session {
    let reply = login_reply(server, name, password, &[]);
    assert_eq!(reply.status, 200, "login: {}", reply.body);
    let cookie = reply
        .header("set-cookie")
        .expect("a session cookie")
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let csrf = reply.json()["csrf"].as_str().expect("a CSRF token").to_string();
    Session { cookie, csrf }
}

/// The `p`-th percentile (0-100) of sorted durations, in milliseconds.
pub fn percentile_ms(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

/// Long runs (`SITREP_LONG=1`) use `long`, the test suite `short`.
pub fn run_length(short: Duration, long: Duration) -> Duration {
    match std::env::var("SITREP_LONG").as_deref() {
        Ok("1") | Ok("true") | Ok("yes") => long,
        _ => short,
    }
}
