//! Coverage-guided fuzzing of config loading, validation, planning and synthesis: see
//! `fuzz/run.sh` and the README's Fuzzing paragraph.
#![no_main]

#[path = "../check.rs"]
mod check;

libfuzzer_sys::fuzz_target!(|data: &[u8]| check::config_property(data));
