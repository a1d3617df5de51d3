//! Fuzz targets of sitrep. The harnesses live in `harness.rs`, which the
//! main crate's `tests/fuzz_corpus.rs` also compiles, to replay the seed
//! corpus in CI without libFuzzer or nightly.

#[path = "harness.rs"]
pub mod harness;
