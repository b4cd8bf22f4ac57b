//! Build stage: deterministic Lambda artifacts — a zip holding `bootstrap` (mode 0755) with
//! fixed timestamps, so the same binary always gives the same bytes and the same sha256.

use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::Path;

/// Bytes of the zip for `binary`, and their sha256 in hex.
pub(crate) fn zip_bootstrap(binary: &[u8]) -> std::io::Result<(Vec<u8>, String)> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    // 1980-01-01 00:00 (the zip epoch) instead of "now": timestamps are what usually make zips differ.
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(6))
        .unix_permissions(0o755)
        .last_modified_time(zip::DateTime::default());
    writer.start_file("bootstrap", options).map_err(std::io::Error::other)?;
    writer.write_all(binary)?;
    let bytes = writer.finish().map_err(std::io::Error::other)?.into_inner();
    let sha = sha256_hex(&bytes);
    Ok((bytes, sha))
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads `bootstrap` back out of an artifact (for checks and for local runs).
pub fn read_bootstrap(zip_path: &Path) -> std::io::Result<(Vec<u8>, u32)> {
    let file = std::fs::File::open(zip_path)?;
    let mut archive = zip::ZipArchive::new(file).map_err(std::io::Error::other)?;
    let mut entry = archive.by_name("bootstrap").map_err(std::io::Error::other)?;
    let mode = entry.unix_mode().unwrap_or(0);
    let mut out = Vec::new();
    std::io::copy(&mut entry, &mut out)?;
    Ok((out, mode))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_binary_same_zip() {
        let (a, sha_a) = zip_bootstrap(b"\x7fELF pretend binary").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(1100));
        let (b, sha_b) = zip_bootstrap(b"\x7fELF pretend binary").unwrap();
        assert_eq!(a, b);
        assert_eq!(sha_a, sha_b);
        let (_, sha_c) = zip_bootstrap(b"\x7fELF another binary").unwrap();
        assert_ne!(sha_a, sha_c);
    }

    #[test]
    fn bootstrap_is_executable_in_the_zip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.zip");
        std::fs::write(&path, zip_bootstrap(b"bin").unwrap().0).unwrap();
        let (bytes, mode) = read_bootstrap(&path).unwrap();
        assert_eq!(bytes, b"bin");
        assert_eq!(mode & 0o777, 0o755);
    }
}
