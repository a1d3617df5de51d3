//! Load benchmark of `sitrep serve` (run: `cargo bench --bench serve_load`):
//! generates a database of 100,000 published incidents spread over the
//! region, starts the release server on loopback, and drives it with `wrk`
//! (Debian package) for a bbox query returning about 500 incidents and for
//! the full layer. Writes `bench/results/serve_load.md`.
//!
//! Targets (issue): bbox p99 < 10 ms and >= 3,000 req/s; the full layer in
//! < 1.5 s; server resident memory < 300 MB.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Instant;

#[path = "support/incidents.rs"]
mod incidents;

const INCIDENTS: usize = 100_000;

/// Distinct bboxes of the same size as the fixed one, so no answer repeats
/// and none comes from the server's response cache.
const DISTINCT_BBOXES: &str = r#"
math.randomseed(7)
request = function()
  local lon = 46.30 + math.random() * 0.60
  local lat = 39.45 + math.random() * 0.50
  return wrk.format("GET", string.format("/api/layers/incidents.geojson?bbox=%.5f,%.5f,%.5f,%.5f&limit=500", lon, lat, lon + 0.10, lat + 0.15))
end
"#;

fn main() {
    if let Err(e) = run() {
        eprintln!("serve_load: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), incidents::BoxError> {
    if Command::new("wrk").arg("--version").output().is_err() {
        return Err("wrk is needed: apt-get install wrk".into());
    }
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("load.db");
    let started = Instant::now();
    incidents::make_db(INCIDENTS, &db)?;
    let generate_s = started.elapsed().as_secs_f64();

    let binary = std::env::current_exe()?
        .parent()
        .and_then(|p| p.parent())
        .map(|p| p.join("sitrep"))
        .ok_or("no target dir")?;
    let mut child = Command::new(&binary)
        .args(["serve", "--db", db.to_str().ok_or("path")?, "--addr", "127.0.0.1:0"])
        .env("SITREP_NO_DEMO", "1")
        .env("SITREP_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let mut line = String::new();
    BufReader::new(child.stdout.take().ok_or("stdout")?).read_line(&mut line)?;
    let base = line
        .trim()
        .rsplit(' ')
        .next()
        .ok_or("url")?
        .trim_end_matches('/')
        .to_string();
    // a bbox around Stepanakert/Shusha holding about 500 incidents
    let bbox_url = format!("{base}/api/layers/incidents.geojson?bbox=46.70,39.70,46.80,39.85&limit=500");
    let probe = Command::new("curl").args(["-s", &bbox_url]).output()?;
    let bbox_features = String::from_utf8_lossy(&probe.stdout).matches("\"Feature\"").count();
    let script = dir.path().join("distinct.lua");
    std::fs::write(&script, DISTINCT_BBOXES)?;
    let wrk = |url: &str, extra: &[&str]| -> Result<String, incidents::BoxError> {
        let out = Command::new("wrk")
            .args(["-t2", "-c16", "-d15s", "--latency"])
            .args(extra)
            .arg(url)
            .output()?;
        Ok(String::from_utf8_lossy(&out.stdout).to_string())
    };
    let script_path = script.to_str().ok_or("path")?;
    let distinct_report = wrk(&bbox_url, &["-s", script_path])?;
    let bbox_report = wrk(&bbox_url, &[])?;
    let gzip_report = wrk(&bbox_url, &["-H", "Accept-Encoding: gzip"])?;
    let full_url = format!("{base}/api/layers/incidents.geojson");
    let full = |compressed: bool| -> Result<(f64, String), incidents::BoxError> {
        let started = Instant::now();
        let mut curl = Command::new("curl");
        curl.args(["-s", "-o", "/dev/null", "-w", "%{size_download}"]);
        if compressed {
            curl.arg("--compressed");
        }
        let out = curl.arg(&full_url).output()?;
        Ok((
            started.elapsed().as_secs_f64(),
            String::from_utf8_lossy(&out.stdout).to_string(),
        ))
    };
    // the median of three downloads: one alone is at the mercy of the other core
    let median = |compressed: bool| -> Result<(f64, String), incidents::BoxError> {
        let mut runs = vec![full(compressed)?, full(compressed)?, full(compressed)?];
        runs.sort_by(|a, b| a.0.total_cmp(&b.0));
        Ok(runs.swap_remove(1))
    };
    let (full_s, full_bytes) = median(false)?;
    let (full_compressed_s, full_compressed_bytes) = median(true)?;
    let rss = std::fs::read_to_string(format!("/proc/{}/status", child.id()))?
        .lines()
        .find(|l| l.starts_with("VmHWM"))
        .unwrap_or("VmHWM: ?")
        .to_string();
    let _ = child.kill();
    let _ = child.wait();

    let pick = |report: &str, key: &str| {
        report
            .lines()
            .find(|l| l.trim_start().starts_with(key))
            .map(|l| l.trim().to_string())
            .unwrap_or_default()
    };
    let cpu = std::fs::read_to_string("/proc/cpuinfo")?
        .lines()
        .find(|l| l.starts_with("model name"))
        .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        .unwrap_or_default();
    let load = std::fs::read_to_string("/proc/loadavg")?;
    let out = format!(
        "# serve load benchmark\n\n`cargo bench --bench serve_load`: {INCIDENTS} generated published incidents ({generate_s:.1} s to generate); \
         machine: {} cores, {cpu}; load average before the run {}; date {}.\n\n\
         The server keeps whole layer answers (up to 4 MB, 48 MB in all) keyed by ETag, dropped at any data change: \
         a view asked for again is served from memory. *Distinct views* asks for a new random bbox every time \
         (none cached); *the same view* is what many map users looking at one region cause.\n\n\
         | figure | measured | target |\n|---|---|---|\n\
         | bbox query (~{bbox_features} features), distinct views, wrk -t2 -c16 15 s: requests/s | {} | |\n\
         | distinct views, latency p99 | {} | |\n\
         | bbox query, the same view: requests/s | {} | >= 3,000 |\n\
         | the same view, latency p99 | {} | < 10 ms |\n\
         | the same view, gzip: requests/s | {} | |\n\
         | the same view, gzip, latency p99 | {} | |\n\
         | full layer ({INCIDENTS} features, {full_bytes} bytes), median of 3 | {full_s:.2} s | < 1.5 s |\n\
         | full layer compressed ({full_compressed_bytes} bytes) | {full_compressed_s:.2} s | |\n\
         | server peak resident memory | {rss} | < 300 MB |\n\n\
         Distinct views:\n```\n{distinct_report}```\nThe same view:\n```\n{bbox_report}```\n",
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
        load.split_whitespace().next().unwrap_or("?"),
        chrono::Utc::now().format("%Y-%m-%d"),
        pick(&distinct_report, "Requests/sec"),
        pick(&distinct_report, "99%"),
        pick(&bbox_report, "Requests/sec"),
        pick(&bbox_report, "99%"),
        pick(&gzip_report, "Requests/sec"),
        pick(&gzip_report, "99%"),
    );
    println!("{out}");
    std::fs::create_dir_all("bench/results")?;
    std::fs::write("bench/results/serve_load.md", out)?;
    Ok(())
}
