//! `sls-rs ci github` against moto: the deploy role's stack made, left alone when nothing
//! changed, updated when the trust changes, and removed — each checked through IAM and
//! CloudFormation directly; its template passes cfn-lint and its policies an IAM linter; the
//! boundary it makes is what every function role of the next deploy carries.

use crate::common::{self, iam_lint, moto::Moto, Run, Test};
use serde_json::Value;

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

/// The default version of a managed policy, as IAM holds it.
fn managed_document(rt: &tokio::runtime::Runtime, iam: &aws_sdk_iam::Client, arn: &str) -> Value {
    let policy = rt.block_on(iam.get_policy().policy_arn(arn).send()).unwrap().policy.unwrap();
    let version = policy.default_version_id().unwrap().to_string();
    let got = rt.block_on(iam.get_policy_version().policy_arn(arn).version_id(version).send()).unwrap();
    document(got.policy_version().unwrap().document().unwrap())
}

#[test]
fn ci_github_makes_updates_keeps_and_removes_the_deploy_role() {
    let moto = Moto::start();
    let t = Test::new();
    let demo = t.path().join("demo");
    common::command(t.path()).args(["new", "demo", "--template", "event-driven", "--yes"]).output().unwrap();
    let rt = common::rt();
    let conf = rt.block_on(moto.sdk_config());
    let (iam, cfn) = (aws_sdk_iam::Client::new(&conf), aws_sdk_cloudformation::Client::new(&conf));
    let s3 = aws_sdk_s3::Client::from_conf(aws_sdk_s3::config::Builder::from(&conf).force_path_style(true).build());

    // The template on its own: no AWS call, and valid CloudFormation.
    let printed = moto.sls(&demo, &["ci", "github", "--repo", "acme/shop", "--stage", "prod", "--print-template"]);
    let path = t.path().join("ci-role.json");
    std::fs::write(&path, &printed.status(0).stdout).unwrap();
    common::cfn_lint(&[path]);

    let first = moto.sls(&demo, &["ci", "github", "--repo", "acme/shop", "--stage", "prod", "-o", "json"]);
    let report = first.status(0).json();
    assert_eq!(report["status"], "created", "{report}");
    let stack = report["stack"].as_str().unwrap().to_string();
    assert!(stack.starts_with("sls-rs-github-acme-shop-") && stack.ends_with("-prod"), "{stack}");
    assert_eq!(report["provider_created"], true);
    let arn = report["role_arn"].as_str().unwrap().to_string();
    assert!(arn.contains(":role/sls-rs-ci/"), "{arn}");
    let commands: Vec<&str> = report["commands"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    assert_eq!(commands[0], format!("gh secret set AWS_DEPLOY_ROLE_ARN --repo acme/shop --env prod --body {arn}"));
    assert_eq!(commands[1], "gh variable set AWS_REGION --repo acme/shop --env prod --body us-east-1");

    // The deployment bucket is made here, by whoever may make roles: the deploy role may not.
    rt.block_on(s3.head_bucket().bucket("sls-rs-123456789012-us-east-1").send()).expect("the deployment bucket");

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
    // Its permissions: one inline policy (they fit), read back through IAM.
    let policy = rt.block_on(iam.get_role_policy().role_name(name).policy_name("sls-rs-deploy").send()).unwrap();
    let statements = document(policy.policy_document())["Statement"].as_array().cloned().unwrap();
    let sid = |s: &str| statements.iter().find(|st| st["Sid"] == s).cloned();
    for needed in [
        "Stacks",
        "Functions",
        "FunctionRoles",
        "BoundedFunctionRoles",
        "PassFunctionRoles",
        "Tables",
        "Queues",
        "Buckets",
        "Rules",
        "KeepBoundaryPolicies",
    ] {
        assert!(sid(needed).is_some(), "no {needed} statement: {statements:?}");
    }
    let tables = sid("Tables").unwrap()["Resource"].to_string();
    assert!(tables.contains("table/demo-prod-users\""), "exactly its table: {tables}");
    assert!(!tables.contains('*'), "{tables}");
    // The boundary: a managed policy of its own that the role may read, never change.
    let boundary = "arn:aws:iam::123456789012:policy/sls-rs-boundary/demo-prod";
    let held = managed_document(&rt, &iam, boundary);
    assert!(held.to_string().contains("dynamodb:PutItem"), "{held}");
    let bounded = sid("BoundedFunctionRoles").unwrap();
    assert!(bounded["Condition"]["StringEquals"]["iam:PermissionsBoundary"]
        .to_string()
        .contains("sls-rs-boundary/demo-prod"));

    // Again: nothing to change, nothing made.
    let again = moto.sls(&demo, &["ci", "github", "--repo", "acme/shop", "--stage", "prod", "-o", "json"]).json();
    assert_eq!((again["status"].clone(), again["provider_created"].clone()), ("unchanged".into(), false.into()));
    assert_eq!(again["role_arn"], arn.as_str());

    // Another trust: the same stack, updated.
    let branch =
        moto.sls(&demo, &["ci", "github", "--repo", "acme/shop", "--stage", "prod", "--branch", "main", "-o", "json"]);
    assert_eq!(branch.status(0).json()["status"], "updated");
    let role_name = branch.json()["role_arn"].as_str().unwrap().rsplit('/').next().unwrap().to_string();
    assert_eq!(role_name, name, "updated in place, not replaced");
    // moto's CloudFormation updates only a role's description (AWS updates its trust too):
    // the trust is checked in the stack's template, the update's reach in the description.
    let template = rt.block_on(cfn.get_template().stack_name(&stack).send()).unwrap();
    let template: Value = serde_json::from_str(template.template_body().unwrap()).unwrap();
    let trust = &template["Resources"]["DeployRole"]["Properties"]["AssumeRolePolicyDocument"];
    let subject = &trust["Statement"][0]["Condition"]["StringEquals"]["token.actions.githubusercontent.com:sub"];
    assert_eq!(subject, "repo:acme/shop:ref:refs/heads/main");
    let role = rt.block_on(iam.get_role().role_name(&role_name).send()).unwrap().role.unwrap();
    assert!(role.description().unwrap_or_default().contains("repo:acme/shop:ref:refs/heads/main"), "{role:?}");

    // Removing asks first; with --yes the stack goes and the account's provider stays.
    let refused = moto.sls(&demo, &["ci", "github", "--repo", "acme/shop", "--stage", "prod", "--remove"]);
    refused.status(2).stderr_has("pass --yes");
    let removed = moto.sls(&demo, &["ci", "github", "--repo", "acme/shop", "--stage", "prod", "--remove", "--yes"]);
    removed.status(0).stderr_has(&format!("removed {stack}"));
    let gone = rt.block_on(cfn.describe_stacks().stack_name(&stack).send());
    let status =
        gone.ok().and_then(|d| d.stacks().first().and_then(|s| s.stack_status().map(|s| s.as_str().to_string())));
    assert!(status.is_none() || status.as_deref() == Some("DELETE_COMPLETE"), "{status:?}");
    let providers = rt.block_on(iam.list_open_id_connect_providers().send()).unwrap();
    assert_eq!(providers.open_id_connect_provider_list().len(), 1);
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
    let policies = lintable(&template)[0].1.to_string();
    for stack in ["demo-users-prod", "demo-orders-prod"] {
        assert!(policies.contains(&format!("stack/{stack}/*")), "{stack} missing: {policies}");
        assert!(
            template["Resources"].to_string().contains(&format!("\"ManagedPolicyName\":\"{stack}\"")),
            "{stack}'s boundary"
        );
    }
}

/// The role's policies as one document (IAM judges the role by all of them together, and so
/// must the linter, or an escalation split across two policies would pass), and each boundary.
fn lintable(template: &Value) -> Vec<(String, Value)> {
    let resources = template["Resources"].as_object().unwrap();
    let inline = resources["DeployRole"]["Properties"]["Policies"].as_array().cloned().unwrap_or_default();
    let managed =
        resources.iter().filter(|(id, _)| id.starts_with("DeployPolicy")).map(|(_, r)| r["Properties"].clone());
    let role: Vec<Value> = inline
        .into_iter()
        .chain(managed)
        .flat_map(|p| p["PolicyDocument"]["Statement"].as_array().cloned().unwrap())
        .collect();
    let mut docs = vec![("deploy-role".to_string(), serde_json::json!({ "Version": "2012-10-17", "Statement": role }))];
    for (id, r) in resources.iter().filter(|(id, _)| id.starts_with("Boundary")) {
        docs.push((id.clone(), r["Properties"]["PolicyDocument"].clone()));
    }
    docs
}

#[test]
fn the_role_and_its_boundaries_pass_an_iam_policy_linter() {
    let t = Test::new().file("full/sls.yaml", include_str!("fixtures/full.yaml"));
    common::command(t.path()).args(["new", "demo", "--template", "event-driven", "--yes"]).output().unwrap();
    common::command(t.path()).args(["new", "micro", "--template", "microservices", "--yes"]).output().unwrap();
    for dir in ["full", "demo", "micro"] {
        let run = Run::from(
            common::command(&t.path().join(dir))
                .args(["ci", "github", "--repo", "acme/shop", "-s", "prod", "--print-template"])
                .output()
                .unwrap(),
        );
        let template: Value = serde_json::from_str(&run.status(0).stdout).unwrap();
        let docs = lintable(&template);
        assert!(docs.len() >= 2, "{dir}: the role and at least one boundary");
        let named: Vec<(&str, Value)> = docs.iter().map(|(n, d)| (n.as_str(), d.clone())).collect();
        iam_lint::parliament(&t.path().join(dir), &named);
    }
    // The linter is live: an escalation path it knows, a mistyped action and an action on a
    // resource it cannot apply to are each reported.
    let policy = |action: &[&str], resource: &str| serde_json::json!({ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": action, "Resource": resource }] });
    let planted = [
        ("escalation", policy(&["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"], "*")),
        ("typo", policy(&["lambda:CreateFunctions"], "*")),
        ("mismatch", policy(&["s3:GetObject"], "arn:aws:s3:::bucket")),
    ];
    let found = iam_lint::findings(&t.path().join("planted"), &planted);
    let issues: Vec<&str> = found.iter().map(|(i, _)| i.as_str()).collect();
    for expected in ["PRIVILEGE_ESCALATION", "UNKNOWN_ACTION", "RESOURCE_MISMATCH"] {
        assert!(issues.contains(&expected), "{expected} not reported: {found:?}");
    }
}

#[test]
fn repositories_that_read_alike_get_roles_of_their_own_and_a_foreign_stack_is_never_taken() {
    let moto = Moto::start();
    let t = Test::new();
    let demo = t.path().join("demo");
    let rt = common::rt();
    let cfn = aws_sdk_cloudformation::Client::new(&rt.block_on(moto.sdk_config()));

    // Three repositories whose names read alike, each with a project of its own: three stacks,
    // each trusting its own repository.
    let repos = ["acme/shop-api", "acme-shop/api", "acme/shop.api"];
    let stacks: Vec<String> = repos
        .iter()
        .enumerate()
        .map(|(i, repo)| {
            let dir = format!("p{i}");
            common::command(t.path()).args(["new", &dir, "--template", "http-api", "--yes"]).output().unwrap();
            let run = Run::from(
                common::command(&t.path().join(&dir))
                    .envs(moto.env())
                    .args(["ci", "github", "--repo", repo, "--stage", "prod", "-o", "json"])
                    .output()
                    .unwrap(),
            );
            run.status(0).json()["stack"].as_str().unwrap().to_string()
        })
        .collect();
    let distinct: std::collections::BTreeSet<&String> = stacks.iter().collect();
    assert_eq!(distinct.len(), 3, "{stacks:?}");
    for (stack, repo) in stacks.iter().zip(repos) {
        let template = rt.block_on(cfn.get_template().stack_name(stack).send()).unwrap();
        let template: Value = serde_json::from_str(template.template_body().unwrap()).unwrap();
        let trust = &template["Resources"]["DeployRole"]["Properties"]["AssumeRolePolicyDocument"];
        let subject =
            trust["Statement"][0]["Condition"]["StringEquals"]["token.actions.githubusercontent.com:sub"].clone();
        assert_eq!(subject, format!("repo:{repo}:environment:prod"), "{stack}");
    }

    // Another repository's role for a stage that already has one: refused, the boundary is
    // the first role's.
    common::command(t.path()).args(["new", "demo", "--template", "http-api", "--yes"]).output().unwrap();
    let second = Run::from(
        common::command(&t.path().join("p0"))
            .envs(moto.env())
            .args(["ci", "github", "--repo", "other/repo", "--stage", "prod"])
            .output()
            .unwrap(),
    );
    second.status(1).stderr_has("already has a permissions boundary").stderr_has("acme/shop-api");

    // A stack by the name a repository would get, recording another repository (made by hand,
    // or by a collision of names): refused for update and removal, never retargeted.
    // The documented name: the repository lower-cased, then 8 hex of its SHA-256, then the stage.
    let hash: String = {
        use sha2::Digest;
        sha2::Sha256::digest(b"acme/web").iter().take(4).map(|b| format!("{b:02x}")).collect()
    };
    let name = format!("sls-rs-github-acme-web-{hash}-prod");
    let tag = aws_sdk_cloudformation::types::Tag::builder().key("sls-rs:repository").value("evil/web").build();
    let body = r#"{"Resources":{"Holder":{"Type":"AWS::SNS::Topic"}}}"#;
    rt.block_on(cfn.create_stack().stack_name(&name).template_body(body).tags(tag).send()).unwrap();
    for args in [vec!["--branch", "main"], vec!["--remove", "--yes"]] {
        let mut all = vec!["ci", "github", "--repo", "acme/web", "--stage", "prod"];
        all.extend(args);
        moto.sls(&demo, &all)
            .status(1)
            .stderr_has("holds the role of repository evil/web")
            .stderr_has("--repo evil/web");
    }
    let template = rt.block_on(cfn.get_template().stack_name(&name).send()).unwrap();
    assert_eq!(template.template_body().unwrap(), body, "the foreign stack was changed");
    // The same repository written in other case is the same repository: its stack, updated.
    let again = Run::from(
        common::command(&t.path().join("p0"))
            .envs(moto.env())
            .args(["ci", "github", "--repo", "Acme/Shop-API", "--stage", "prod", "-o", "json"])
            .output()
            .unwrap(),
    );
    assert_eq!(again.status(0).json()["stack"], stacks[0].as_str());
}

#[test]
fn hostile_repository_branch_and_environment_names_are_refused_before_any_call() {
    let t = Test::new();
    common::command(t.path()).args(["new", "demo", "--template", "http-api", "--yes"]).output().unwrap();
    let long_owner = format!("{}/shop", "a".repeat(40));
    let long_env = "e".repeat(256);
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["--repo", "shop"], "owner/name"),
        (vec!["--repo", "acme/shop;rm -rf ~"], "not a GitHub repository name"),
        (vec!["--repo", "acme/$(id)"], "not a GitHub repository name"),
        (vec!["--repo=-acme/shop"], "not a GitHub account name"),
        (vec!["--repo", long_owner.as_str()], "at most 39"),
        (vec!["--repo", "acme/.."], "is not a GitHub repository name"),
        (vec!["--repo", "acme/shop", "--branch", "main\nx"], "not a branch name"),
        (vec!["--repo", "acme/shop", "--branch", "a..b"], "not a branch name"),
        (vec!["--repo", "acme/shop", "--branch", "x y"], "not a branch name"),
        (vec!["--repo", "acme/shop", "--environment", "prod\u{1b}]0;x\u{7}"], "control character"),
        (vec!["--repo", "acme/shop", "--environment", long_env.as_str()], "1 to 255"),
        (vec!["--repo", "acme/shop", "--environment", " prod"], "space"),
    ];
    for (args, says) in cases {
        let mut all = vec!["ci", "github", "--stage", "prod"];
        all.extend(args.iter().copied());
        // An endpoint nothing listens on: a call would fail with another message.
        let run = Run::from(
            common::command(&t.path().join("demo"))
                .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
                .args(&all)
                .output()
                .unwrap(),
        );
        run.status(2).stderr_has(says);
        assert!(!run.stderr.contains('\u{1b}') || run.stderr.contains("\\x1b"), "raw escape in: {}", run.stderr);
    }
}

#[test]
fn a_deploy_after_ci_github_gives_every_function_role_the_boundary() {
    let moto = Moto::start();
    let t = Test::new()
        .file("demo/sls.yaml", "service: demo\nfunctions:\n  nightly:\n    events: [{ schedule: rate(1 day) }]\n");
    let demo = t.path().join("demo");
    crate::deploy::prebuilt_on(&t, "dev", "nightly");
    crate::deploy::prebuilt_on(&t, "prod", "nightly");
    let rt = common::rt();
    let conf = rt.block_on(moto.sdk_config());
    let (iam, cfn) = (aws_sdk_iam::Client::new(&conf), aws_sdk_cloudformation::Client::new(&conf));
    let boundary_of = |stack: &str| -> (Option<String>, String) {
        let out = rt.block_on(cfn.describe_stacks().stack_name(stack).send()).unwrap();
        let param = out.stacks()[0]
            .parameters()
            .iter()
            .find(|p| p.parameter_key() == Some("PermissionsBoundary"))
            .and_then(|p| p.parameter_value().map(str::to_string))
            .unwrap_or_default();
        let roles = rt.block_on(iam.list_roles().path_prefix(format!("/sls-rs/{stack}/")).send()).unwrap();
        let role = roles.roles().first().expect("the function's role");
        let held = role.permissions_boundary().and_then(|b| b.permissions_boundary_arn().map(str::to_string));
        let held = held.or_else(|| {
            let got = rt.block_on(iam.get_role().role_name(role.role_name()).send()).unwrap();
            got.role.and_then(|r| r.permissions_boundary.and_then(|b| b.permissions_boundary_arn))
        });
        (held, param)
    };

    // No CI role yet: no boundary, and the roles carry none.
    moto.sls(&demo, &["deploy", "--yes", "--skip-build", "--stage", "dev"]).status(0);
    assert_eq!(boundary_of("demo-dev"), (None, String::new()));

    // After `ci github` for the stage, its deploys hand every role the stage's boundary.
    moto.sls(&demo, &["ci", "github", "--repo", "acme/demo", "--stage", "prod"]).status(0);
    let deployed = moto.sls(&demo, &["deploy", "--yes", "--skip-build", "--stage", "prod"]);
    deployed.status(0);
    let arn = "arn:aws:iam::123456789012:policy/sls-rs-boundary/demo-prod".to_string();
    assert_eq!(boundary_of("demo-prod"), (Some(arn.clone()), arn));
}
