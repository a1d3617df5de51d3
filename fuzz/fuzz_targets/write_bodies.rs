#![no_main]

libfuzzer_sys::fuzz_target!(init: sitrep_fuzz::harness::prepare_write_bodies(), |data: &[u8]| sitrep_fuzz::harness::write_bodies(data));
