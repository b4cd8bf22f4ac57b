//! Config stage: the rules for names the user chooses (service, stage) and the precedence of
//! settings (function > stage > defaults). What AWS names they become is the plan's business.

use super::model::{Config, Removal, Settings};

/// Checks a service name (in `sls.yaml`, or the directory `new` creates); `Err` is the fix.
pub(crate) fn check_service(service: &str) -> Result<(), String> {
    let ok = service.len() <= 40
        && service.starts_with(|c: char| c.is_ascii_alphabetic())
        && service.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if ok {
        Ok(())
    } else {
        Err("use letters, digits and `-`, start with a letter, at most 40 characters (it becomes part of stack and function names)".into())
    }
}

/// Checks a stage name given on the command line or under `stages:`.
pub(crate) fn check_stage(stage: &str) -> Result<(), String> {
    let ok = !stage.is_empty()
        && stage.len() <= 16
        && stage.starts_with(|c: char| c.is_ascii_lowercase())
        && stage.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if ok {
        Ok(())
    } else {
        Err(format!("`{stage}` is not a valid stage: use lowercase letters, digits and `-`, starting with a letter, at most 16 characters"))
    }
}

/// The effective settings of one function on one stage: function > stage > defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Effective {
    pub arch: super::model::Arch,
    pub memory: u32,
    pub timeout: u32,
    pub log_retention: u32,
    pub env: std::collections::BTreeMap<String, String>,
    pub tags: std::collections::BTreeMap<String, String>,
    pub tracing: bool,
}

impl Config {
    pub(crate) fn stage_settings(&self, stage: &str) -> Option<&Settings> {
        self.stages.get(stage)
    }

    pub(crate) fn effective(&self, stage: &str, function: &Settings) -> Effective {
        let empty = Settings::default();
        let stage = self.stage_settings(stage).unwrap_or(&empty);
        let layers = [&self.defaults, stage, function];
        let pick =
            |f: fn(&Settings) -> Option<u32>, default: u32| layers.iter().rev().find_map(|s| f(s)).unwrap_or(default);
        let mut env = std::collections::BTreeMap::new();
        let mut tags = std::collections::BTreeMap::new();
        for layer in layers {
            env.extend(layer.env.clone());
            tags.extend(layer.tags.clone());
        }
        Effective {
            arch: layers.iter().rev().find_map(|s| s.arch).unwrap_or(super::model::Arch::Arm64),
            memory: pick(|s| s.memory, 256),
            timeout: pick(|s| s.timeout, 10),
            log_retention: pick(|s| s.log_retention, 14),
            tracing: layers.iter().rev().find_map(|s| s.tracing).unwrap_or(false),
            env,
            tags,
        }
    }

    /// Whether data resources on this stage survive `remove` and replacement.
    pub(crate) fn removal(&self, stage: &str) -> Removal {
        self.stage_settings(stage).and_then(|s| s.removal).or(self.defaults.removal).unwrap_or(Removal::Destroy)
    }

    /// Tags that apply to every resource on this stage.
    pub(crate) fn stage_tags(&self, stage: &str) -> std::collections::BTreeMap<String, String> {
        let mut tags = self.defaults.tags.clone();
        if let Some(s) = self.stage_settings(stage) {
            tags.extend(s.tags.clone());
        }
        tags
    }

    pub(crate) fn region_for(&self, stage: &str) -> Option<&str> {
        self.stage_settings(stage).and_then(|s| s.region.as_deref()).or(self.region.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_names() {
        assert!(check_stage("prod").is_ok());
        assert!(check_stage("Prod").is_err());
        assert!(check_stage("").is_err());
    }
}
