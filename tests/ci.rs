//! `sls-rs ci github` against moto: the deploy role's stack made, left alone when nothing
//! changed, updated when the trust changes, and removed — each checked through IAM and
//! CloudFormation directly; its template passes cfn-lint.

use crate::common::{self, moto::Moto, Run, Test};
use serde_json::Value;

fn sls(t: &Test, moto: &Moto, args: &[&str]) -> Run {
    let mut cmd = common::command(&t.path().join("demo"));
    cmd.envs(moto.env());
    Run::from(cmd.args(args).output().unwrap())
}

/// IAM hands policy documents out URL-encoded; moto hands out an inline policy that
/// CloudFormation made as Python writes a dict (`{'Version': ...}`).
fn document(text: &str) -> Value {
    if text.starts_with("{'") {
        return serde_json::from_str(&text.replace('\'', "\"")).unwrap();
    }
    serde_json::from_str(text).unwrap_or_else(|_| {
        let mut out = Vec::new();
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' && i + 2 < bytes.len() {
                out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
                i += 1;
            }
        }
        serde_json::from_slice(&out).unwrap_or_else(|e| panic!("{e}: {text}"))
    })
}

#[test]
fn ci_github_makes_updates_keeps_and_removes_the_deploy_role() {
    let moto = Moto::start();
    let t = Test::new();
    common::command(t.path()).args(["new", "demo", "--template", "event-driven", "--yes"]).output().unwrap();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let conf = rt.block_on(moto.sdk_config());
    let (iam, cfn) = (aws_sdk_iam::Client::new(&conf), aws_sdk_cloudformation::Client::new(&conf));

    // The template on its own: no AWS call, and valid CloudFormation.
    let printed = sls(&t, &moto, &["ci", "github", "--repo", "acme/shop", "--stage", "prod", "--print-template"]);
    let path = t.path().join("ci-role.json");
    std::fs::write(&path, &printed.status(0).stdout).unwrap();
    common::cfn_lint(&[path]);

    let first = sls(&t, &moto, &["ci", "github", "--repo", "acme/shop", "--stage", "prod", "-o", "json"]);
    let report = first.status(0).json();
    assert_eq!(report["status"], "created", "{report}");
    assert_eq!(report["stack"], "sls-rs-github-acme-shop-prod");
    assert_eq!(report["provider_created"], true);
    let arn = report["role_arn"].as_str().unwrap().to_string();
    assert!(arn.contains(":role/sls-rs-ci/"), "{arn}");
    let commands: Vec<&str> = report["commands"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    assert_eq!(commands[0], format!("gh secret set AWS_DEPLOY_ROLE_ARN --repo acme/shop --env prod --body {arn}"));
    assert_eq!(commands[1], "gh variable set AWS_REGION --repo acme/shop --env prod --body us-east-1");

    // The account's provider, made outside the stack; the role trusts it for this repository only.
    let providers = rt.block_on(iam.list_open_id_connect_providers().send()).unwrap();
    let github: Vec<&str> = providers
        .open_id_connect_provider_list()
        .iter()
        .filter_map(|p| p.arn())
        .filter(|a| a.ends_with("/token.actions.githubusercontent.com"))
        .collect();
    assert_eq!(github.len(), 1, "{github:?}");
    let name = arn.rsplit('/').next().unwrap();
    let role = rt.block_on(iam.get_role().role_name(name).send()).unwrap().role.unwrap();
    assert_eq!(role.path(), "/sls-rs-ci/");
    let trust = document(role.assume_role_policy_document().unwrap());
    let st = &trust["Statement"][0];
    assert_eq!(st["Principal"]["Federated"], github[0]);
    assert_eq!(
        st["Condition"]["StringEquals"]["token.actions.githubusercontent.com:sub"],
        "repo:acme/shop:environment:prod"
    );
    let policy = rt.block_on(iam.get_role_policy().role_name(name).policy_name("sls-rs-deploy").send()).unwrap();
    let policy = document(policy.policy_document());
    let statements = policy["Statement"].as_array().unwrap();
    let sid = |s: &str| statements.iter().find(|st| st["Sid"] == s).cloned();
    // event-driven has a table, queues, a bucket and schedules: each granted, on its own names.
    for needed in ["Stacks", "Functions", "FunctionRoles", "PassFunctionRoles", "Tables", "Queues", "Buckets", "Rules"]
    {
        assert!(sid(needed).is_some(), "no {needed} statement: {policy}");
    }
    let tables = sid("Tables").unwrap()["Resource"].to_string();
    assert!(tables.contains("table/demo-prod-*"), "{tables}");
    assert!(!policy.to_string().contains("\"*:"), "{policy}");

    // Again: nothing to change, nothing made.
    let again = sls(&t, &moto, &["ci", "github", "--repo", "acme/shop", "--stage", "prod", "-o", "json"]).json();
    assert_eq!((again["status"].clone(), again["provider_created"].clone()), ("unchanged".into(), false.into()));
    assert_eq!(again["role_arn"], arn.as_str());

    // Another trust: the same stack, updated.
    let branch =
        sls(&t, &moto, &["ci", "github", "--repo", "acme/shop", "--stage", "prod", "--branch", "main", "-o", "json"]);
    assert_eq!(branch.status(0).json()["status"], "updated");
    let role_name = branch.json()["role_arn"].as_str().unwrap().rsplit('/').next().unwrap().to_string();
    assert_eq!(role_name, name, "updated in place, not replaced");
    // moto's CloudFormation updates only a role's description (AWS updates its trust too):
    // the trust is checked in the stack's template, the update's reach in the description.
    let template = rt.block_on(cfn.get_template().stack_name("sls-rs-github-acme-shop-prod").send()).unwrap();
    let template: Value = serde_json::from_str(template.template_body().unwrap()).unwrap();
    let trust = &template["Resources"]["DeployRole"]["Properties"]["AssumeRolePolicyDocument"];
    let subject = &trust["Statement"][0]["Condition"]["StringEquals"]["token.actions.githubusercontent.com:sub"];
    assert_eq!(subject, "repo:acme/shop:ref:refs/heads/main");
    let role = rt.block_on(iam.get_role().role_name(&role_name).send()).unwrap().role.unwrap();
    assert!(role.description().unwrap_or_default().contains("repo:acme/shop:ref:refs/heads/main"), "{role:?}");

    // Removing asks first; with --yes the stack goes and the account's provider stays.
    let refused = sls(&t, &moto, &["ci", "github", "--repo", "acme/shop", "--stage", "prod", "--remove"]);
    refused.status(2).stderr_has("pass --yes");
    let removed = sls(&t, &moto, &["ci", "github", "--repo", "acme/shop", "--stage", "prod", "--remove", "--yes"]);
    removed.status(0).stderr_has("removed sls-rs-github-acme-shop-prod");
    let gone = rt.block_on(cfn.describe_stacks().stack_name("sls-rs-github-acme-shop-prod").send());
    let status =
        gone.ok().and_then(|d| d.stacks().first().and_then(|s| s.stack_status().map(|s| s.as_str().to_string())));
    assert!(status.is_none() || status.as_deref() == Some("DELETE_COMPLETE"), "{status:?}");
    let providers = rt.block_on(iam.list_open_id_connect_providers().send()).unwrap();
    assert_eq!(providers.open_id_connect_provider_list().len(), 1);

    // A repository that is not `owner/name` is a usage error before any call.
    sls(&t, &moto, &["ci", "github", "--repo", "shop"]).status(2).stderr_has("owner/name");
}

#[test]
fn in_a_service_of_a_project_the_role_still_covers_every_service() {
    let t = Test::new();
    common::command(t.path()).args(["new", "demo", "--template", "microservices", "--yes"]).output().unwrap();
    let dir = t.path().join("demo/services/users");
    let run = Run::from(
        common::command(&dir)
            .args(["ci", "github", "--repo", "acme/demo", "-s", "prod", "--print-template"])
            .output()
            .unwrap(),
    );
    let template: Value = serde_json::from_str(&run.status(0).stdout).unwrap();
    let policy = template["Resources"]["DeployRole"]["Properties"]["Policies"][0].to_string();
    for stack in ["demo-users-prod", "demo-orders-prod"] {
        assert!(policy.contains(&format!("stack/{stack}/*")), "{stack} missing: {policy}");
    }
}
