#![no_main]

libfuzzer_sys::fuzz_target!(init: sitrep_fuzz::harness::prepare_geoparse(), |data: &[u8]| sitrep_fuzz::harness::geoparse(data));
