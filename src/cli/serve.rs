//! `sitrep serve` and `sitrep user`.

use std::net::SocketAddr;

use anyhow::{anyhow, Context};
use clap::Subcommand;

use sitrep::server::{serve, ServerConfig};
use sitrep::store::Role;

use super::{open_store, DbArg};

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "SITREP_ADDR", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Use this online MapLibre style instead of the offline basemap.
    #[arg(long, env = "SITREP_BASEMAP_STYLE")]
    basemap_style: Option<String>,
    /// Megabytes of whole layer answers kept in memory, so repeated views and
    /// full-layer downloads are not rebuilt until the data changes (0: none).
    #[arg(long, env = "SITREP_CACHE_MB", default_value_t = sitrep::server::DEFAULT_CACHE_MB)]
    cache_mb: usize,
    /// Log as JSON lines.
    #[arg(long, env = "SITREP_LOG_JSON")]
    log_json: bool,
    #[command(flatten)]
    db: DbArg,
}

pub fn run(args: ServeArgs) -> anyhow::Result<()> {
    let filter = tracing_subscriber::EnvFilter::try_from_env("SITREP_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if args.log_json {
        builder.json().init();
    } else {
        builder.init();
    }
    limit_malloc_arenas();
    // create, seed and load before listening, so the first request is fast
    let (store, gazetteer) = open_store(&args.db)?;
    drop(store);
    let config = ServerConfig {
        db: args.db.path(),
        addr: args.addr,
        basemap_style: args.basemap_style,
        cache_bytes: args.cache_mb.saturating_mul(1024 * 1024),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the runtime")?;
    runtime.block_on(async move {
        // listen for the signals before the server listens: a SIGTERM sent
        // as soon as it answers must stop it cleanly, not kill it
        let shutdown = shutdown_signal();
        serve(config, gazetteer, shutdown, |addr| {
            println!("sitrep is serving the map at http://{addr}/");
            tracing::info!(%addr, "listening");
        })
        .await
    })?;
    tracing::info!("stopped cleanly");
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM. The handlers are installed when this is
/// called, not when the future is first polled (which the server does on a
/// task of its own, possibly after it has answered its first request).
/// Call it inside the runtime.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate());
    #[cfg(unix)]
    let interrupt = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt());
    async move {
        #[cfg(unix)]
        match (terminate, interrupt) {
            (Ok(mut terminate), Ok(mut interrupt)) => {
                tokio::select! {
                    _ = terminate.recv() => {},
                    _ = interrupt.recv() => {},
                }
            }
            _ => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
        tracing::info!("shutting down: finishing requests in flight");
    }
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account (or reset its token); prints the API token alone on stdout.
    Add {
        /// Login name.
        name: String,
        /// viewer, editor or admin.
        #[arg(long, default_value = "viewer")]
        role: String,
        #[command(flatten)]
        db: DbArg,
    },
    /// Set the password for browser sign-in (read from SITREP_PASSWORD or standard input).
    Passwd {
        /// Login name.
        name: String,
        #[command(flatten)]
        db: DbArg,
    },
}

pub fn user(command: UserCommand) -> anyhow::Result<()> {
    match command {
        UserCommand::Add { name, role, db } => {
            let role =
                Role::parse(&role).ok_or_else(|| anyhow!("unknown role {role:?}: use viewer, editor or admin"))?;
            let mut store = sitrep::store::Store::open(&db.path())?;
            let token = sitrep::server::issue_token(&mut store, &name, role).map_err(|e| anyhow!(e))?;
            println!("{token}");
            Ok(())
        }
        UserCommand::Passwd { name, db } => {
            let password = match std::env::var("SITREP_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    let mut line = String::new();
                    std::io::stdin().read_line(&mut line)?;
                    line.trim_end_matches(['\n', '\r']).to_string()
                }
            };
            if password.chars().count() < 8 {
                return Err(anyhow!("a password needs at least 8 characters"));
            }
            let hash = sitrep::server::hash_secret(&password).map_err(|e| anyhow!(e))?;
            let mut store = sitrep::store::Store::open(&db.path())?;
            store.set_password_hash(&name, &hash)?;
            eprintln!("password set for {name}");
            Ok(())
        }
    }
}

/// glibc gives each thread that allocates its own arena (up to 8 per core);
/// with the blocking pool's threads building layers, freed memory then sits
/// in many arenas and the server's resident memory doubles under load. Two
/// arenas keep it near its working set at no measurable cost in throughput.
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: mallopt only sets an allocator parameter; it is called
        // before the runtime starts any thread.
        let done = unsafe { libc::mallopt(libc::M_ARENA_MAX, 2) };
        if done != 1 {
            tracing::warn!("could not limit malloc arenas");
        }
    }
}
