//! Build stage: checks that a `bootstrap` will start on Lambda — the right CPU, and no glibc
//! symbol newer than Amazon Linux 2023's (2.34), or no glibc at all (static).

use crate::config::Arch;
use object::{Object, ObjectSection};

/// glibc on `provided.al2023`.
pub const MAX_GLIBC: (u32, u32) = (2, 34);

#[derive(Debug, Clone, PartialEq)]
pub struct ElfFacts {
    pub arch: Arch,
    /// The newest `GLIBC_x.y` symbol version the binary needs; `None` when static or glibc-free.
    pub glibc: Option<(u32, u32)>,
}

/// Why a file cannot be a Lambda `bootstrap` at all.
#[derive(Debug, thiserror::Error)]
pub enum ElfError {
    #[error("not an executable: {0}")]
    NotExecutable(#[from] object::Error),
    #[error("a {0:?} binary, not a Linux (ELF) one")]
    NotElf(object::BinaryFormat),
    #[error("built for {0:?}, which Lambda does not run")]
    Architecture(object::Architecture),
}

pub fn inspect(bytes: &[u8]) -> Result<ElfFacts, ElfError> {
    let file = object::File::parse(bytes)?;
    if file.format() != object::BinaryFormat::Elf {
        return Err(ElfError::NotElf(file.format()));
    }
    let arch = match file.architecture() {
        object::Architecture::Aarch64 => Arch::Arm64,
        object::Architecture::X86_64 => Arch::X86_64,
        other => return Err(ElfError::Architecture(other)),
    };
    // Version needs are named in .dynstr; scanning it avoids parsing .gnu.version_r by hand.
    let glibc = file
        .section_by_name(".dynstr")
        .and_then(|s| s.data().ok())
        .map(|data| {
            data.split(|b| *b == 0)
                .filter_map(|s| std::str::from_utf8(s).ok()?.strip_prefix("GLIBC_"))
                .filter_map(|v| {
                    let mut parts = v.split('.');
                    Some((parts.next()?.parse().ok()?, parts.next().and_then(|p| p.parse().ok()).unwrap_or(0)))
                })
                .max()
        })
        .unwrap_or(None);
    Ok(ElfFacts { arch, glibc })
}

/// Why `facts` will not run on Lambda as `arch`, if it will not.
pub(crate) fn problem(facts: &ElfFacts, arch: Arch) -> Option<String> {
    if facts.arch != arch {
        return Some(format!("the binary is for {}, but the function is configured for {arch}", facts.arch));
    }
    match facts.glibc {
        Some(v) if v > MAX_GLIBC => Some(format!(
            "the binary needs glibc {}.{}, newer than the {}.{} of Lambda's provided.al2023 runtime",
            v.0, v.1, MAX_GLIBC.0, MAX_GLIBC.1
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_this_test_binary() {
        let me = std::fs::read(std::env::current_exe().unwrap()).unwrap();
        let facts = inspect(&me).unwrap();
        let host = if cfg!(target_arch = "aarch64") { Arch::Arm64 } else { Arch::X86_64 };
        assert_eq!(facts.arch, host);
        assert!(facts.glibc.is_some(), "a host test binary links glibc");
        let other = if host == Arch::Arm64 { Arch::X86_64 } else { Arch::Arm64 };
        assert!(problem(&facts, other).unwrap().contains("the function is configured for"));
        let too_new = ElfFacts { arch: Arch::Arm64, glibc: Some((2, 39)) };
        assert!(problem(&too_new, Arch::Arm64).unwrap().contains("glibc 2.39"));
        assert_eq!(problem(&ElfFacts { arch: Arch::Arm64, glibc: None }, Arch::Arm64), None);
    }

    #[test]
    fn rejects_non_elf() {
        assert!(inspect(b"#!/bin/sh\necho hi\n").is_err());
    }
}
