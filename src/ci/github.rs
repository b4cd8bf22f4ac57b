//! Beside the pipeline — CI credentials for GitHub Actions: whom the deploy role trusts (one
//! repository's workflows, on one branch or in one environment, through GitHub's OIDC
//! provider), the names GitHub allows for each, and the stack that holds the role, its policies
//! and the stacks' permissions boundaries. Pure: no AWS call.

use super::scope::StackScope;
use super::{boundary, policy};
use crate::synth::cfn::{Output, Parameter, Props, Resource, Tag, Template};
use serde_json::{json, Value};
use std::collections::BTreeMap;

pub(crate) const ISSUER_HOST: &str = "token.actions.githubusercontent.com";
pub(crate) const AUDIENCE: &str = "sts.amazonaws.com";
/// The role's IAM path: deploy roles sls-rs made for CI, apart from the stacks' own roles.
pub(crate) const ROLE_PATH: &str = "/sls-rs-ci/";
/// The tag that records which repository a CI stack's role trusts.
pub(crate) const REPOSITORY_TAG: &str = "sls-rs:repository";
/// Managed policies IAM attaches to one role, by default.
const MAX_POLICIES: usize = 10;
/// What a role's inline policies may hold together, whitespace aside.
const INLINE_POLICY_LIMIT: usize = 10_240;
/// The inline policy's name, when the role's permissions fit in one.
pub(crate) const INLINE_POLICY: &str = "sls-rs-deploy";
/// CloudFormation's limit on a stack name.
const MAX_STACK_NAME: usize = 128;

/// Which workflow runs may assume the role: GitHub puts it in the token's `sub` claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Runs {
    /// Jobs that declare `environment: <name>` (the generated workflow's deploy job: `prod`).
    Environment(String),
    /// Jobs on pushes to this branch that declare no environment.
    Branch(String),
}

#[derive(Debug, Clone)]
pub(crate) struct Trust {
    /// `owner/name`.
    pub repo: String,
    pub runs: Runs,
}

impl Trust {
    pub(crate) fn subject(&self) -> String {
        match &self.runs {
            Runs::Environment(env) => format!("repo:{}:environment:{env}", self.repo),
            Runs::Branch(branch) => format!("repo:{}:ref:refs/heads/{branch}", self.repo),
        }
    }

    /// Exactly this repository and branch or environment: `StringEquals`, never a wildcard.
    pub(crate) fn assume_role_policy(&self, provider: Value) -> Value {
        json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Principal": { "Federated": provider },
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": { "StringEquals": {
                    format!("{ISSUER_HOST}:aud"): AUDIENCE,
                    format!("{ISSUER_HOST}:sub"): self.subject(),
                } },
            }],
        })
    }
}

/// `owner/name` as GitHub allows them: an owner of letters, digits and single inner `-` (at
/// most 39), a name of letters, digits, `-`, `_` and `.` (at most 100, not `.` or `..`).
pub(crate) fn check_repo(repo: &str) -> Result<(), String> {
    let Some((owner, name)) = repo.split_once('/') else {
        return Err(format!("`{}` is not a GitHub repository: write it as `owner/name`", shown(repo)));
    };
    let owner_ok = (1..=39).contains(&owner.len())
        && owner.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !owner.starts_with('-')
        && !owner.ends_with('-')
        && !owner.contains("--");
    if !owner_ok {
        return Err(format!(
            "`{}` is not a GitHub account name: letters, digits and single hyphens between them, at most 39",
            shown(owner)
        ));
    }
    let name_ok = (1..=100).contains(&name.len())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        && name != "."
        && name != "..";
    if !name_ok {
        return Err(format!(
            "`{}` is not a GitHub repository name: letters, digits, `-`, `_` and `.`, at most 100, not `.` or `..`",
            shown(name)
        ));
    }
    if name.to_ascii_lowercase().ends_with(".git") {
        return Err(format!("`{repo}` ends with `.git`: name the repository without it"));
    }
    Ok(())
}

/// A GitHub environment name: at most 255 characters, none of them control characters, and
/// not blank or padded with spaces (GitHub trims them, so the token would not match).
pub(crate) fn check_environment(env: &str) -> Result<(), String> {
    if env.is_empty() || env.chars().count() > 255 {
        return Err("an environment name has 1 to 255 characters".into());
    }
    if env.chars().any(char::is_control) {
        return Err(format!("`{}` holds a control character, which no environment name has", shown(env)));
    }
    if env.trim() != env {
        return Err(format!("`{env}` starts or ends with a space, which GitHub removes from environment names"));
    }
    Ok(())
}

/// A branch name as git allows it (`git check-ref-format --branch`): no control characters,
/// spaces, `~ ^ : ? * [ \`, `..`, `@{` or `//`; not `@`; no part starting with `.` or ending
/// with `.lock`; not starting with `-` or `/`, nor ending with `/` or `.`.
pub(crate) fn check_branch(branch: &str) -> Result<(), String> {
    let bad_char = branch.chars().find(|c| c.is_control() || " ~^:?*[\\".contains(*c));
    let why = if branch.is_empty() || branch.len() > 255 {
        Some("a branch name has 1 to 255 characters".to_string())
    } else if let Some(c) = bad_char {
        Some(format!("{} is not allowed in a branch name", shown(&format!("`{c}`"))))
    } else if branch.contains("..") || branch.contains("@{") || branch.contains("//") || branch == "@" {
        Some("`..`, `@{`, `//` and a lone `@` are not allowed in a branch name".into())
    } else if branch.starts_with(['-', '/']) || branch.ends_with(['/', '.']) {
        Some("a branch name cannot start with `-` or `/`, nor end with `/` or `.`".into())
    } else if branch.split('/').any(|p| p.starts_with('.') || p.ends_with(".lock")) {
        Some("no part of a branch name may start with `.` or end with `.lock`".into())
    } else {
        None
    };
    match why {
        Some(why) => Err(format!("`{}` is not a branch name: {why}", shown(branch))),
        None => Ok(()),
    }
}

/// Text from the command line, safe to show inside a message.
fn shown(text: &str) -> String {
    crate::ui::escape::line(text).into_owned()
}

/// The CI stack of a repository and stage: `sls-rs-github-<owner>-<name>-<hash>-<stage>`, the
/// repository as readable as fits and the hash telling apart the ones that read alike
/// (`acme/shop-api`, `acme-shop/api`, `acme/shop.api`). GitHub's names ignore case, and so
/// does the name: one repository, one stack, however it is written.
pub(crate) fn stack_name(repo: &str, stage: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(repo.to_ascii_lowercase().as_bytes());
    let hash: String = digest.iter().take(4).map(|b| format!("{b:02x}")).collect();
    let room = MAX_STACK_NAME - "sls-rs-github-".len() - 1 - hash.len() - 1 - stage.len();
    let readable: String =
        repo.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).take(room).collect();
    format!("sls-rs-github-{readable}-{hash}-{stage}")
}

/// The stack name earlier versions gave a repository (no hash), to say it is left over.
pub(crate) fn legacy_stack_name(repo: &str, stage: &str) -> String {
    let repo: String = repo.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    format!("sls-rs-github-{repo}-{stage}")
}

/// `text` as one shell word: as it is when it holds only characters no shell treats specially,
/// else in single quotes.
pub(crate) fn shell_word(text: &str) -> String {
    if !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:@%+=,".contains(c)) {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

pub(crate) const ROLE_ID: &str = "DeployRole";

#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct DeployRole {
    path: &'static str,
    description: String,
    max_session_duration: u32,
    assume_role_policy_document: Value,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    policies: Vec<Value>,
    tags: Vec<Tag>,
}
impl Props for DeployRole {
    const TYPE: &'static str = "AWS::IAM::Role";
}

#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct ManagedPolicy {
    #[serde(skip_serializing_if = "Option::is_none")]
    managed_policy_name: Option<String>,
    path: &'static str,
    description: String,
    policy_document: Value,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    roles: Vec<Value>,
}
impl Props for ManagedPolicy {
    const TYPE: &'static str = "AWS::IAM::ManagedPolicy";
}

pub(crate) const PROVIDER_PARAMETER: &str = "GitHubOidcProvider";

/// What `template` makes, beside the template itself.
#[derive(Debug)]
pub(crate) struct Made {
    pub template: Template,
    /// Template resource types the role does not cover (raw `cloudformation:` of other kinds).
    pub uncovered: Vec<String>,
    /// Resources of covered kinds whose names the role cannot know: `stack: logical id (type)`.
    pub unnamed: Vec<String>,
}

/// The stack: the deploy role, trusting `trust`, allowed to deploy `scopes`, and each stack's
/// permissions boundary. The role's permissions are one inline policy while they fit in one
/// (nothing else in the account to keep track of), else managed policies of the stack. The OIDC
/// provider is a parameter: it is the account's, shared by every repository, so no stack owns it.
pub(crate) fn template(trust: &Trust, scopes: &[StackScope]) -> Result<Made, String> {
    let (statements, uncovered) = policy::statements(scopes);
    let inline = boundary::document(statements.clone());
    let chunks = if expanded_size(&inline) <= INLINE_POLICY_LIMIT {
        Vec::new()
    } else {
        pack(statements, boundary::MANAGED_POLICY_LIMIT)
    };
    if chunks.len() > MAX_POLICIES {
        return Err(format!(
            "the deploy role for {} stacks would need {} managed policies of IAM's 6,144 characters; IAM attaches {MAX_POLICIES} to a role",
            scopes.len(),
            chunks.len()
        ));
    }
    let stacks: Vec<&str> = scopes.iter().map(|s| s.stack.as_str()).collect();
    let role = DeployRole {
        path: ROLE_PATH,
        description: format!("sls-rs deploy from GitHub Actions: {} ({})", trust.subject(), stacks.join(", ")),
        max_session_duration: 3600,
        assume_role_policy_document: trust.assume_role_policy(json!({ "Ref": PROVIDER_PARAMETER })),
        policies: if chunks.is_empty() {
            vec![json!({ "PolicyName": INLINE_POLICY, "PolicyDocument": inline })]
        } else {
            Vec::new()
        },
        tags: vec![Tag { key: REPOSITORY_TAG.into(), value: trust.repo.clone() }],
    };
    let mut resources = BTreeMap::from([(ROLE_ID.to_string(), Resource::new(role))]);
    let n = chunks.len();
    for (i, chunk) in chunks.into_iter().enumerate() {
        let policy = ManagedPolicy {
            managed_policy_name: None,
            path: ROLE_PATH,
            description: format!("sls-rs deploy role's permissions ({} of {n})", i + 1),
            policy_document: boundary::document(chunk),
            roles: vec![json!({ "Ref": ROLE_ID })],
        };
        resources.insert(format!("DeployPolicy{}", i + 1), Resource::new(policy));
    }
    for scope in scopes.iter().filter(|s| s.types().contains("AWS::IAM::Role")) {
        let others: Vec<&StackScope> = scopes.iter().filter(|o| scope.reads.contains(&o.stack)).collect();
        let document = boundary::document(boundary::statements(scope, &others));
        let size = expanded_size(&document);
        if size > boundary::MANAGED_POLICY_LIMIT {
            return Err(format!(
                "the permissions boundary of {} would be {size} characters; IAM allows {} in a managed policy",
                scope.stack,
                boundary::MANAGED_POLICY_LIMIT
            ));
        }
        let policy = ManagedPolicy {
            managed_policy_name: Some(scope.stack.clone()),
            path: crate::plan::names::BOUNDARY_PATH,
            description: format!(
                "sls-rs: the most any function role of {} may do; made with the deploy role of {}",
                scope.stack, trust.repo
            ),
            policy_document: document,
            roles: Vec::new(),
        };
        resources.insert(format!("Boundary{}", crate::plan::names::pascal(&scope.stack)), Resource::new(policy));
    }
    let provider = Parameter {
        kind: "String".into(),
        description: Some(format!("The account's OIDC provider for {ISSUER_HOST}")),
        extra: serde_json::Map::new(),
    };
    let template = Template {
        format_version: "2010-09-09",
        description: format!("sls-rs: the role GitHub Actions deploys with ({})", trust.subject()),
        parameters: BTreeMap::from([(PROVIDER_PARAMETER.to_string(), provider)]),
        mappings: BTreeMap::new(),
        conditions: BTreeMap::new(),
        resources,
        outputs: BTreeMap::from([(
            "RoleArn".to_string(),
            Output::new(json!({ "Fn::GetAtt": [ROLE_ID, "Arn"] }), "role-to-assume in the workflow"),
        )]),
    };
    let mut unnamed: Vec<String> = scopes
        .iter()
        .flat_map(|s| {
            s.computed()
                .into_iter()
                .map(move |(id, kind)| format!("{}: {id} ({kind}), whose name is computed", s.stack))
        })
        .collect();
    unnamed.extend(scopes.iter().flat_map(|s| {
        s.unbounded().into_iter().map(move |id| {
            format!(
                "{}: role {id}, which needs `Path: {}` and `PermissionsBoundary: !If [HasPermissionsBoundary, !Ref PermissionsBoundary, !Ref AWS::NoValue]` to be made by it",
                s.stack,
                crate::plan::names::role_path(&s.stack)
            )
        })
    }));
    Ok(Made { template, uncovered, unnamed })
}

/// Statements into as few documents of at most `limit` characters as they fit in, a statement
/// too large for one split by its resources.
fn pack(statements: Vec<Value>, limit: usize) -> Vec<Vec<Value>> {
    // What a document costs besides its statements: `{"Version":"2012-10-17","Statement":[]}`.
    let room = limit - expanded_size(&boundary::document(Vec::new()));
    let mut pieces = Vec::new();
    for st in statements {
        pieces.extend(split(st, room));
    }
    let mut docs: Vec<(usize, Vec<Value>)> = Vec::new();
    for st in pieces {
        let size = expanded_size(&st) + 1;
        match docs.iter_mut().find(|(used, _)| used + size <= room) {
            Some((used, doc)) => {
                *used += size;
                doc.push(st);
            }
            None => docs.push((size, vec![st])),
        }
    }
    docs.into_iter().map(|(_, d)| d).collect()
}

/// A statement as several with the same actions and fewer resources each, numbered `Sid2`, ...
fn split(st: Value, room: usize) -> Vec<Value> {
    if expanded_size(&st) < room {
        return vec![st];
    }
    let resources = st["Resource"].as_array().cloned().unwrap_or_default();
    let mut out: Vec<Value> = Vec::new();
    let mut current = st.clone();
    current["Resource"] = json!([]);
    for r in resources {
        let mut next = current.clone();
        next["Resource"].as_array_mut().expect("a list").push(r.clone());
        if expanded_size(&next) >= room && !current["Resource"].as_array().expect("a list").is_empty() {
            out.push(current.clone());
            current["Resource"] = json!([r]);
        } else {
            current = next;
        }
    }
    out.push(current);
    let sid = st["Sid"].as_str().unwrap_or_default().to_string();
    for (i, part) in out.iter_mut().enumerate().skip(1) {
        part["Sid"] = json!(format!("{sid}{}", i + 1));
    }
    out
}

/// A policy's size as IAM counts it: whitespace aside, with the account, region and partition
/// filled in (their longest forms).
pub(super) fn expanded_size(document: &Value) -> usize {
    let text = serde_json::to_string(document).expect("serializes");
    let text = text.replace("{\"Fn::Sub\":", "").replace("\"}", "\"");
    text.replace("${AWS::AccountId}", "123456789012")
        .replace("${AWS::Region}", "ap-southeast-5")
        .replace("${AWS::Partition}", "aws-us-gov")
        .len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_role_trusts_exactly_one_repository_and_environment_or_branch() {
        let env = Trust { repo: "acme/shop".into(), runs: Runs::Environment("prod".into()) };
        let doc = env.assume_role_policy(json!("arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com"));
        let st = &doc["Statement"][0];
        assert_eq!(st["Action"], "sts:AssumeRoleWithWebIdentity");
        let equals = &st["Condition"]["StringEquals"];
        assert_eq!(equals["token.actions.githubusercontent.com:sub"], "repo:acme/shop:environment:prod");
        assert_eq!(equals["token.actions.githubusercontent.com:aud"], "sts.amazonaws.com");
        assert!(st["Condition"].get("StringLike").is_none(), "no wildcard subject");
        let branch = Trust { repo: "acme/shop".into(), runs: Runs::Branch("main".into()) };
        assert_eq!(branch.subject(), "repo:acme/shop:ref:refs/heads/main");
    }

    #[test]
    fn repositories_are_checked_against_githubs_own_rules() {
        for good in ["acme/shop.api", "a/b", "Acme-Corp/Shop_API", &format!("{}/{}", "a".repeat(39), "b".repeat(100))] {
            assert!(check_repo(good).is_ok(), "{good}");
        }
        let long_owner = format!("{}/x", "a".repeat(40));
        let long_name = format!("a/{}", "b".repeat(101));
        for bad in [
            "acme",
            "acme/",
            "/shop",
            "acme/shop/x",
            "acme/sh op",
            "*/shop",
            "-acme/shop",
            "acme-/shop",
            "ac--me/shop",
            "ac_me/shop",
            "acme/.",
            "acme/..",
            "acme/shop.git",
            "acme/shop;rm -rf ~",
            "acme/shop$(id)",
            "acme/shop\nx",
            "acme/'x'",
            long_owner.as_str(),
            long_name.as_str(),
        ] {
            assert!(check_repo(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn branches_and_environments_are_checked_as_git_and_github_do() {
        // git allows `$(id)` in a branch name: it is quoted wherever it is printed.
        for good in ["main", "release/1.2", "feature/x-y_z", "v1.0", "$(id)"] {
            assert!(check_branch(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "a..b",
            "a b",
            "a~1",
            "a^",
            "a:b",
            "a?",
            "a*",
            "a[",
            "a\\b",
            "-x",
            "/x",
            "x/",
            "x.",
            "x//y",
            "@",
            "a@{1}",
            ".hidden",
            "x/.y",
            "x.lock",
            "a\nb",
            "a\u{1b}[2J",
        ] {
            assert!(check_branch(bad).is_err(), "{bad:?}");
        }
        assert!(check_branch(&"b".repeat(256)).is_err());
        for good in ["prod", "Production EU", "staging/eu", "prod's"] {
            assert!(check_environment(good).is_ok(), "{good}");
        }
        for bad in ["", " prod", "prod ", "pr\nod", "p\u{7}", "p\u{9b}x"] {
            assert!(check_environment(bad).is_err(), "{bad:?}");
        }
        assert!(check_environment(&"e".repeat(256)).is_err());
        // The error shows what it refused without letting it act on the terminal.
        let err = check_branch("a\u{1b}]0;owned\u{7}").unwrap_err();
        assert!(!err.contains('\u{1b}') && err.contains("\\x1b"), "{err}");
    }

    #[test]
    fn repositories_that_read_alike_get_stacks_of_their_own() {
        let names: Vec<String> = ["acme/shop-api", "acme-shop/api", "acme/shop.api", "acme/shop_api"]
            .iter()
            .map(|r| stack_name(r, "prod"))
            .collect();
        let distinct: std::collections::BTreeSet<&String> = names.iter().collect();
        assert_eq!(distinct.len(), names.len(), "{names:?}");
        assert!(names[0].starts_with("sls-rs-github-acme-shop-api-") && names[0].ends_with("-prod"), "{}", names[0]);
        // GitHub ignores case: one repository, one stack.
        assert_eq!(stack_name("Acme/Shop-API", "prod"), stack_name("acme/shop-api", "prod"));
        let longest = stack_name(&format!("{}/{}", "a".repeat(39), "b".repeat(100)), &"s".repeat(16));
        assert!(longest.len() <= 128, "{}", longest.len());
        let valid = |n: &str| {
            n.starts_with(|c: char| c.is_ascii_alphabetic()) && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        };
        assert!(valid(&longest) && valid(&names[2]));
    }

    fn scope(stack: &str, functions: usize) -> StackScope {
        use crate::ci::scope::{NameOf, Named};
        let named = |kind: &str, id: String, name: String| Named {
            kind: kind.into(),
            logical_id: id,
            name: NameOf::Given(name),
            bus: None,
            traced: false,
            principal: None,
            unbounded: false,
        };
        let mut resources = vec![named("AWS::IAM::Role", "Role".into(), String::new())];
        for i in 0..functions {
            resources.push(named("AWS::Lambda::Function", format!("F{i}"), format!("{stack}-function-number-{i}")));
            resources.push(named(
                "AWS::Logs::LogGroup",
                format!("L{i}"),
                format!("/aws/lambda/{stack}-function-number-{i}"),
            ));
        }
        StackScope { stack: stack.into(), resources, reads: vec![] }
    }

    #[test]
    fn a_large_project_spreads_its_grants_over_policies_that_each_fit() {
        let trust = Trust { repo: "acme/shop".into(), runs: Runs::Environment("prod".into()) };
        // A small one fits in one inline policy.
        let small = template(&trust, &[scope("api-prod", 3)]).expect("fits");
        let role = &small.template.resources[ROLE_ID].properties;
        assert_eq!(role["Policies"][0]["PolicyName"], INLINE_POLICY);
        assert!(expanded_size(&role["Policies"][0]["PolicyDocument"]) <= INLINE_POLICY_LIMIT);
        assert!(!small.template.resources.keys().any(|id| id.starts_with("DeployPolicy")));

        let scopes: Vec<StackScope> = (0..4).map(|i| scope(&format!("service-{i}-prod"), 30)).collect();
        let made = template(&trust, &scopes).expect("fits");
        assert!(made.template.resources[ROLE_ID].properties.get("Policies").is_none());
        let policies: Vec<&Resource> =
            made.template.resources.iter().filter(|(id, _)| id.starts_with("DeployPolicy")).map(|(_, r)| r).collect();
        assert!(policies.len() > 1, "{} policies", policies.len());
        let mut functions = 0;
        for p in &policies {
            let doc = &p.properties["PolicyDocument"];
            assert!(expanded_size(doc) <= boundary::MANAGED_POLICY_LIMIT, "{}", expanded_size(doc));
            assert_eq!(p.properties["Roles"], json!([{ "Ref": ROLE_ID }]));
            functions += doc["Statement"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|s| s["Sid"].as_str().unwrap().starts_with("Functions"))
                .map(|s| s["Resource"].as_array().unwrap().len())
                .sum::<usize>();
        }
        assert_eq!(functions, 4 * 30 * 2, "every function (and its qualified ARN) once");
        let boundaries = made.template.resources.keys().filter(|id| id.starts_with("Boundary")).count();
        assert_eq!(boundaries, 4);

        // Past what ten policies hold, it says so before any call.
        let huge: Vec<StackScope> = (0..12).map(|i| scope(&format!("service-{i}-prod"), 60)).collect();
        let err = template(&trust, &huge).unwrap_err();
        assert!(err.contains("IAM attaches 10"), "{err}");
    }

    #[test]
    fn printed_commands_are_safe_to_paste() {
        assert_eq!(shell_word("acme/shop"), "acme/shop");
        assert_eq!(shell_word("Production EU"), "'Production EU'");
        assert_eq!(shell_word("prod's"), "'prod'\\''s'");
        assert_eq!(shell_word("$(id)"), "'$(id)'");
        assert_eq!(shell_word(""), "''");
    }
}
