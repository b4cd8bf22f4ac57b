//! Plan stage: the rules that turn declared names into AWS names and CloudFormation logical
//! ids. `Plan::new` calls them and every later stage reads the results from the plan — except
//! `rule_name`, which synthesis calls for the rules whose logical ids only it makes.

use crate::config::ResourceKind;

/// The account id in the names of local stand-ins for AWS resources (`invoke --local`, `dev`).
pub(crate) const LOCAL_ACCOUNT: &str = "000000000000";
/// What a bucket's physical name holds in place of the account id until it is known.
pub(crate) const ACCOUNT_PLACEHOLDER: &str = "${AWS::AccountId}";

pub(crate) const MAX_FUNCTION_NAME: usize = 64;
pub(crate) const MAX_BUCKET_NAME: usize = 63;
pub(crate) const MAX_QUEUE_NAME: usize = 80;
pub(crate) const MAX_TABLE_NAME: usize = 255;
pub(crate) const MAX_TOPIC_NAME: usize = 256;

/// `signup-worker` → `SignupWorker`: CloudFormation logical ids allow only ASCII letters and digits.
pub(crate) fn pascal(name: &str) -> String {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut chars = p.chars();
            chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
        })
        .collect()
}

/// `signup-worker` → `SIGNUP_WORKER`, for environment variable names.
pub(crate) fn env_name(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' }).collect()
}

/// The environment variable that tells a function where a used resource is.
pub(crate) fn resource_env_var(kind: ResourceKind, name: &str) -> String {
    let suffix = match kind {
        ResourceKind::Table => "TABLE",
        ResourceKind::Queue => "QUEUE_URL",
        ResourceKind::Bucket => "BUCKET",
        ResourceKind::Topic => "TOPIC_ARN",
    };
    format!("{}_{suffix}", env_name(name))
}

pub(crate) fn stack_name(service: &str, stage: &str) -> String {
    format!("{service}-{stage}")
}

/// The IAM path of the stack's roles: CloudFormation names roles itself (truncating the
/// stack's name to fit), so the path is what lets a policy — the CI deploy role's — name
/// exactly this stack's roles: `arn:aws:iam::<account>:role/sls-rs/<stack>/*`.
pub(crate) fn role_path(stack_name: &str) -> String {
    format!("/sls-rs/{stack_name}/")
}

/// Where `ci github` keeps each stack's permissions boundary: a managed policy named after the
/// stack under this path, owned by the CI stack (so the deploy role, which can only make roles
/// that carry it, cannot change it). `policy/sls-rs-boundary/<stack>` in the policy's ARN.
pub(crate) const BOUNDARY_PATH: &str = "/sls-rs-boundary/";

/// The resource part of a stack's boundary ARN: `policy/sls-rs-boundary/<stack>`.
pub(crate) fn boundary_policy(stack_name: &str) -> String {
    format!("policy{BOUNDARY_PATH}{stack_name}")
}

/// The stack that makes the deployment bucket, once per account and region.
pub(crate) const BOOTSTRAP_STACK: &str = "sls-rs-bootstrap";

/// The deployment bucket of an account and region (also with `${AWS::AccountId}` and
/// `${AWS::Region}` for the CI policy, which CloudFormation fills in).
pub(crate) fn deployment_bucket(account: &str, region: &str) -> String {
    format!("sls-rs-{account}-{region}")
}

/// An EventBridge rule's name: the stack's, then a hash of what makes the rule itself (its
/// logical id and bus), so a policy can name the stack's rules (`rule/<stack>-*`) and a rule
/// moved to another bus gets a new name (CloudFormation cannot replace a named resource in
/// place). At most 57 + 7 = 64 characters, EventBridge's limit.
pub(crate) fn rule_name(stack_name: &str, logical_id: &str, bus: Option<&str>) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(format!("{logical_id}\n{}", bus.unwrap_or("default")));
    let hex: String = digest.iter().take(3).map(|b| format!("{b:02x}")).collect();
    format!("{stack_name}-{hex}")
}

/// Deployed functions, tables, queues and topics: `{service}-{stage}-{name}`.
pub(crate) fn physical_name(service: &str, stage: &str, name: &str) -> String {
    format!("{service}-{stage}-{name}")
}

/// In `dev`, the queue (and EventBridge rule) that relays a function's `index`-th event to it:
/// named from the function's physical name, so two services' functions of one name do not
/// share a relay, and within a rule name's 64 characters (a long one ends in a hash of itself,
/// so stays unique).
pub(crate) fn relay_name(physical_name: &str, index: usize) -> String {
    use sha2::Digest;
    let name = format!("sls-rs-relay-{physical_name}-{index}");
    if name.len() <= 64 {
        return name;
    }
    let hash = sha2::Sha256::digest(name.as_bytes());
    let hex: String = hash.iter().take(4).map(|b| format!("{b:02x}")).collect();
    format!("{}-{hex}", &name[..55])
}

/// Where the HTTP API writes its access logs.
pub(crate) fn api_log_group(stack_name: &str) -> String {
    format!("/aws/http-api/{stack_name}")
}

/// Where Lambda writes a function's logs.
pub(crate) fn log_group(function_name: &str) -> String {
    format!("/aws/lambda/{function_name}")
}

/// The logical id of a declared resource: `users` → `UsersTable`.
pub(crate) fn resource_id(kind: ResourceKind, name: &str) -> String {
    let suffix = match kind {
        ResourceKind::Table => "Table",
        ResourceKind::Queue => "Queue",
        ResourceKind::Bucket => "Bucket",
        ResourceKind::Topic => "Topic",
    };
    format!("{}{suffix}", pascal(name))
}

/// Bucket names are global, so the account id is part of them (left as `${AWS::AccountId}` for
/// `Fn::Sub`). The name is known before the bucket exists, which breaks the dependency cycle
/// between a bucket's notifications and the permission that lets S3 call the function.
pub(crate) fn bucket_name(service: &str, stage: &str, name: &str) -> String {
    format!("{}-{ACCOUNT_PLACEHOLDER}", physical_name(service, stage, name).to_ascii_lowercase())
}

/// A queue's name, and its dead-letter queue's: SQS wants `.fifo` last on FIFO queues.
pub(crate) fn queue_name(service: &str, stage: &str, name: &str, fifo: bool, dead_letter: bool) -> String {
    let dlq = if dead_letter { "-dlq" } else { "" };
    let fifo = if fifo { ".fifo" } else { "" };
    format!("{}{dlq}{fifo}", physical_name(service, stage, name))
}

/// The template parameter that receives another service's output: `users` + `SignupsQueueUrl`
/// → `UsersSignupsQueueUrl`.
pub(crate) fn reference_parameter(service: &str, output: &str) -> String {
    format!("{}{}", pascal(service), pascal(output))
}

/// Everything a stack keeps in the deployment bucket lies under this prefix: `<stack>/`.
pub(crate) fn artifact_prefix(stack_name: &str) -> String {
    format!("{stack_name}/")
}

/// The S3 key an artifact is stored under: content-addressed, so unchanged code is not re-uploaded.
pub(crate) fn artifact_key(stack_name: &str, function: &str, sha256: &str) -> String {
    format!("{}{function}/{sha256}.zip", artifact_prefix(stack_name))
}

/// What every change set sls-rs makes is called by: how a later run tells its own leftovers
/// from change sets someone else is reviewing.
const CHANGE_SET_PREFIX: &str = "sls-rs-";

/// A deploy's change set, unique per run (milliseconds since the epoch).
pub(crate) fn change_set(millis: u128) -> String {
    format!("{CHANGE_SET_PREFIX}{millis}")
}

/// `ci github`'s change set for its role stack (seconds since the epoch).
pub(crate) fn ci_change_set(secs: u64) -> String {
    format!("{CHANGE_SET_PREFIX}ci-{secs}")
}

/// Whether sls-rs made a change set of this name.
pub(crate) fn is_our_change_set(name: &str) -> bool {
    name.starts_with(CHANGE_SET_PREFIX)
}

/// The S3 key of a template too large to send inline, content-addressed like artifacts.
pub(crate) fn template_key(stack_name: &str, sha256: &str) -> String {
    format!("{}templates/{sha256}.json", artifact_prefix(stack_name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(pascal("signup-worker"), "SignupWorker");
        assert_eq!(pascal("a_b-c2"), "ABC2");
        assert_eq!(env_name("sign-ups"), "SIGN_UPS");
        assert_eq!(bucket_name("Shop", "dev", "uploads"), "shop-dev-uploads-${AWS::AccountId}");
        assert_eq!(queue_name("shop", "dev", "jobs", true, true), "shop-dev-jobs-dlq.fifo");
        assert_eq!(queue_name("shop", "dev", "jobs", false, false), "shop-dev-jobs");
        assert_eq!(log_group("shop-dev-api"), "/aws/lambda/shop-dev-api");
    }
}
