//! Config stage: how declared names become AWS names and CloudFormation logical ids, so the
//! limits can be checked where the user wrote the name and every later stage agrees on them.

use super::model::{Config, Removal, Settings};

/// `signup-worker` → `SignupWorker`: CloudFormation logical ids allow only ASCII letters and digits.
pub fn pascal(name: &str) -> String {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut chars = p.chars();
            chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
        })
        .collect()
}

/// `signup-worker` → `SIGNUP_WORKER`, for environment variable names.
pub fn env_name(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' }).collect()
}

/// The environment variable that tells a function where a used resource is.
pub fn resource_env_var(kind: super::model::ResourceKind, name: &str) -> String {
    use super::model::ResourceKind::*;
    let suffix = match kind {
        Table => "TABLE",
        Queue => "QUEUE_URL",
        Bucket => "BUCKET",
        Topic => "TOPIC_ARN",
    };
    format!("{}_{suffix}", env_name(name))
}

pub fn stack_name(service: &str, stage: &str) -> String {
    format!("{service}-{stage}")
}

/// The deployed Lambda function name (64 characters at most).
pub fn function_name(service: &str, stage: &str, function: &str) -> String {
    format!("{service}-{stage}-{function}")
}

/// Tables, queues and topics: `{service}-{stage}-{name}`.
pub fn resource_name(service: &str, stage: &str, name: &str) -> String {
    format!("{service}-{stage}-{name}")
}

/// Bucket names are global, so the account id is part of them; `${AWS::AccountId}` is left for
/// `Fn::Sub`. The name is known before the bucket exists, which breaks the dependency cycle
/// between a bucket's notifications and the permission that lets S3 call the function.
pub fn bucket_name_template(service: &str, stage: &str, name: &str) -> String {
    format!("{}-${{AWS::AccountId}}", resource_name(service, stage, name).to_ascii_lowercase())
}

/// The length of a bucket name once the 12-digit account id is filled in.
pub fn bucket_name_len(service: &str, stage: &str, name: &str) -> usize {
    resource_name(service, stage, name).len() + 1 + 12
}

pub const MAX_FUNCTION_NAME: usize = 64;
pub const MAX_BUCKET_NAME: usize = 63;
pub const MAX_QUEUE_NAME: usize = 80;

/// Checks a service name (in `sls.yaml`, or the directory `new` creates); `Err` is the fix.
pub fn check_service(service: &str) -> Result<(), String> {
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
pub fn check_stage(stage: &str) -> Result<(), String> {
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
}

impl Config {
    pub fn stage_settings(&self, stage: &str) -> Option<&Settings> {
        self.stages.get(stage)
    }

    pub fn effective(&self, stage: &str, function: &Settings) -> Effective {
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
            env,
            tags,
        }
    }

    /// Whether data resources on this stage survive `remove` and replacement.
    pub fn removal(&self, stage: &str) -> Removal {
        self.stage_settings(stage).and_then(|s| s.removal).or(self.defaults.removal).unwrap_or(Removal::Destroy)
    }

    /// Tags that apply to every resource on this stage.
    pub fn stage_tags(&self, stage: &str) -> std::collections::BTreeMap<String, String> {
        let mut tags = self.defaults.tags.clone();
        if let Some(s) = self.stage_settings(stage) {
            tags.extend(s.tags.clone());
        }
        tags
    }

    pub fn region_for(&self, stage: &str) -> Option<&str> {
        self.stage_settings(stage).and_then(|s| s.region.as_deref()).or(self.region.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(pascal("signup-worker"), "SignupWorker");
        assert_eq!(pascal("a_b-c2"), "ABC2");
        assert_eq!(env_name("sign-ups"), "SIGN_UPS");
        assert_eq!(bucket_name_template("Shop", "dev", "uploads"), "shop-dev-uploads-${AWS::AccountId}");
        assert!(check_stage("prod").is_ok());
        assert!(check_stage("Prod").is_err());
        assert!(check_stage("").is_err());
    }
}
