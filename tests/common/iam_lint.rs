//! IAM policies judged by parliament, a policy linter (action and resource validity against
//! AWS's Service Authorization Reference, condition keys, Rhino Security Labs' privilege
//! escalation combinations): the findings a deploy role cannot avoid, each with the reason;
//! any other finding fails the test.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// (issue, text the finding's detail or location holds, why it is expected).
const EXPECTED: &[(&str, &str, &str)] = &[
    (
        "PERMISSIONS_MANAGEMENT_ACTIONS",
        "",
        "deploying makes roles, bucket and queue policies and Lambda permissions; each is scoped to the stacks, roles only with the boundary",
    ),
    (
        "PRIVILEGE_ESCALATION",
        "EditExistingLambdaFunctionWithRole",
        "deploying is updating the stacks' functions' code; their roles are held by the boundary",
    ),
    (
        "PRIVILEGE_ESCALATION",
        "PassExistingRoleToNewLambdaThenTriggerWithExistingDynamo",
        "the roles it may pass are the stacks' own, only to Lambda, each held by the boundary",
    ),
    (
        "RESOURCE_POLICY_PRIVILEGE_ESCALATION",
        "s3:PutBucketPolicy",
        "CloudFormation writes each stack bucket's TLS-only policy with the deploying role's rights",
    ),
    (
        "RESOURCE_POLICY_PRIVILEGE_ESCALATION",
        "s3:PutLifecycleConfiguration",
        "buckets of the stacks may have lifecycle rules; only the stacks' own buckets",
    ),
    (
        "MISMATCHED_TYPE_BUT_USABLE",
        "StringEquals requires a value of type String but given Arn",
        "iam:PermissionsBoundary compared with StringEquals, as AWS's own delegated-role-creation example does",
    ),
];

/// The policy document with `Fn::Sub` resolved as IAM would see it in one account.
pub fn resolved(doc: &Value) -> Value {
    match doc {
        Value::Object(map) => match map.get("Fn::Sub").and_then(Value::as_str) {
            Some(text) if map.len() == 1 => Value::String(
                text.replace("${AWS::AccountId}", "123456789012")
                    .replace("${AWS::Region}", "eu-west-1")
                    .replace("${AWS::Partition}", "aws"),
            ),
            _ => Value::Object(map.iter().map(|(k, v)| (k.clone(), resolved(v))).collect()),
        },
        Value::Array(items) => Value::Array(items.iter().map(resolved).collect()),
        other => other.clone(),
    }
}

/// Every finding parliament has for the documents, as `(issue, whole finding)`.
pub fn findings(dir: &Path, docs: &[(&str, Value)]) -> Vec<(String, String)> {
    let bin = super::venv().join("bin/parliament");
    assert!(bin.exists(), "parliament not found at {}: run ./install.sh first", bin.display());
    let folder = dir.join("iam-lint");
    std::fs::create_dir_all(&folder).unwrap();
    for (name, doc) in docs {
        std::fs::write(folder.join(format!("{name}.json")), resolved(doc).to_string()).unwrap();
    }
    // stdin not a terminal: parliament would read a policy from it.
    let out = Command::new(&bin)
        .args(["--directory"])
        .arg(&folder)
        .args(["--include-community-auditors", "--json"])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("parliament runs");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "parliament failed: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"));
            (v["issue"].as_str().unwrap_or_default().to_string(), l.to_string())
        })
        .collect()
}

/// Lints the documents; fails on any finding not in `EXPECTED`.
#[track_caller]
pub fn parliament(dir: &Path, docs: &[(&str, Value)]) {
    let unexpected: Vec<String> = findings(dir, docs)
        .into_iter()
        .filter(|(issue, line)| !EXPECTED.iter().any(|(i, text, _)| i == issue && line.contains(text)))
        .map(|(_, line)| line)
        .collect();
    assert!(unexpected.is_empty(), "parliament found:\n{}", unexpected.join("\n"));
}
