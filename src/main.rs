//! The `sitrep` command line: a thin layer over the library.

mod cli;

use std::process::ExitCode;

use clap::Parser;

// Layers and exports build and free millions of small JSON values; mimalloc
// does that markedly faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
