//! Synthesis from representative configs: pinned by snapshots, deterministic, least-privilege,
//! and accepted by cfn-lint.

mod common;
use serde_json::Value;
use sls_rs::{plan, synth};
use std::path::Path;

fn synth(fixture: &str, stage: &str) -> synth::Synthesis {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(fixture);
    let text = std::fs::read_to_string(&path).unwrap();
    let plan =
        plan::from_str(&text, Path::new(fixture), Path::new("."), stage).unwrap_or_else(|e| panic!("{fixture}: {e:?}"));
    synth::synthesize(&plan).unwrap_or_else(|e| panic!("{fixture}: {:?}", e.problems))
}

fn json(s: &synth::Synthesis) -> Value {
    serde_json::to_value(&s.template).unwrap()
}

#[test]
fn snapshots() {
    for (fixture, stage) in [("full.yaml", "dev"), ("full.yaml", "prod"), ("minimal.yaml", "dev")] {
        let s = synth(fixture, stage);
        insta::assert_snapshot!(format!("{fixture}-{stage}"), synth::to_json(&s.template));
        insta::assert_json_snapshot!(format!("{fixture}-{stage}-manifest"), s.manifest);
    }
}

#[test]
fn same_input_same_bytes() {
    let a = synth::to_json(&synth("full.yaml", "dev").template);
    let b = synth::to_json(&synth("full.yaml", "dev").template);
    assert_eq!(a, b);
}

#[test]
fn policies_are_least_privilege() {
    let t = json(&synth("full.yaml", "dev"));
    for (id, res) in t["Resources"].as_object().unwrap() {
        if res["Type"] != "AWS::IAM::Role" {
            continue;
        }
        for policy in res["Properties"]["Policies"].as_array().unwrap() {
            for st in policy["PolicyDocument"]["Statement"].as_array().unwrap() {
                for a in st["Action"].as_array().unwrap() {
                    assert!(!a.as_str().unwrap().contains('*'), "{id} grants wildcard action {a}");
                }
                for r in st["Resource"].as_array().unwrap() {
                    assert_ne!(r, "*", "{id} grants on every resource");
                }
            }
        }
    }
    let role = |name: &str| {
        t["Resources"][format!("{name}Role")]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"].to_string()
    };
    // The API writes to the queue but may not consume from it; the worker consumes but may not send.
    assert!(role("Api").contains("sqs:SendMessage") && !role("Api").contains("sqs:ReceiveMessage"));
    assert!(role("SignupWorker").contains("sqs:ReceiveMessage") && !role("SignupWorker").contains("sqs:SendMessage"));
    // Write-only table access grants no reads.
    assert!(role("SignupWorker").contains("dynamodb:PutItem") && !role("SignupWorker").contains("dynamodb:GetItem"));
    // Stream readers get the stream actions; read-only bucket users cannot write.
    assert!(role("Audit").contains("dynamodb:GetRecords"));
    assert!(role("Thumbnail").contains("s3:GetObject") && !role("Thumbnail").contains("s3:PutObject"));
    // A function with no `uses` can only write its own logs.
    assert!(!role("Nightly").contains("dynamodb") && role("Nightly").contains("NightlyLogGroup"));
}

#[test]
fn environment_names_the_used_resources() {
    let t = json(&synth("full.yaml", "dev"));
    let env = &t["Resources"]["ApiFunction"]["Properties"]["Environment"]["Variables"];
    assert_eq!(env["USERS_TABLE"], serde_json::json!({"Ref": "UsersTable"}));
    assert_eq!(env["SIGNUPS_QUEUE_URL"], serde_json::json!({"Ref": "SignupsQueue"}));
    assert_eq!(env["ORDERS_TOPIC_ARN"], serde_json::json!({"Ref": "OrdersTopic"}));
    assert_eq!(env["RUST_LOG"], "info");
    let thumb = &t["Resources"]["ThumbnailFunction"]["Properties"]["Environment"]["Variables"];
    assert_eq!(thumb["UPLOADS_BUCKET"], serde_json::json!({"Fn::Sub": "shop-dev-uploads-${AWS::AccountId}"}));
}

#[test]
fn stage_overrides_and_retention() {
    let dev = json(&synth("full.yaml", "dev"));
    let prod = json(&synth("full.yaml", "prod"));
    let mem = |t: &Value, f: &str| t["Resources"][f]["Properties"]["MemorySize"].clone();
    // Function settings beat the stage, the stage beats defaults.
    assert_eq!(mem(&dev, "NightlyFunction"), 256);
    assert_eq!(mem(&prod, "NightlyFunction"), 1024);
    assert_eq!(mem(&prod, "ApiFunction"), 512);
    assert_eq!(prod["Resources"]["ApiFunction"]["Properties"]["Environment"]["Variables"]["RUST_LOG"], "warn");
    for id in ["UsersTable", "UploadsBucket", "SignupsQueue"] {
        assert_eq!(prod["Resources"][id]["DeletionPolicy"], "Retain", "{id}");
        assert_eq!(prod["Resources"][id]["UpdateReplacePolicy"], "Retain", "{id}");
        assert!(dev["Resources"][id].get("DeletionPolicy").is_none(), "{id}");
    }
    assert_eq!(
        prod["Resources"]["UsersTable"]["Properties"]["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"],
        true
    );
    assert_eq!(dev["Resources"]["ThumbnailFunction"]["Properties"]["Architectures"][0], "x86_64");
}

#[test]
fn raw_cloudformation_is_merged_with_intrinsics() {
    let t = json(&synth("full.yaml", "dev"));
    assert_eq!(
        t["Resources"]["AlarmTopic"]["Properties"]["TopicName"],
        serde_json::json!({"Fn::Sub": "${AWS::StackName}-alarms"})
    );
    assert_eq!(t["Conditions"]["IsEu"], serde_json::json!({"Fn::Equals": [{"Ref": "AWS::Region"}, "eu-west-1"]}));
    assert_eq!(t["Outputs"]["AlarmTopicArn"]["Value"], serde_json::json!({"Ref": "AlarmTopic"}));
}

#[test]
fn outputs_cover_api_functions_and_resources() {
    let t = json(&synth("full.yaml", "dev"));
    let outputs = t["Outputs"].as_object().unwrap();
    for key in [
        "ApiUrl",
        "ApiFunctionName",
        "AuditFunctionName",
        "UsersTableName",
        "UsersTableArn",
        "SignupsQueueUrl",
        "UploadsBucketName",
        "OrdersTopicArn",
    ] {
        assert!(outputs.contains_key(key), "missing output {key}");
    }
    assert_eq!(
        outputs["ApiUrl"]["Value"],
        serde_json::json!({"Fn::Sub": "https://${HttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}"})
    );
}

#[test]
fn resource_limit_is_an_error_and_near_it_a_warning() {
    let mut yaml = String::from("service: big\nfunctions:\n");
    // Each function with a route is six resources: function, role, log group, integration, permission
    // and the route; the API and its stage are two more.
    for i in 0..80 {
        yaml.push_str(&format!("  f{i}:\n    events: [{{ http: GET /f{i} }}]\n"));
    }
    let plan = plan::from_str(&yaml, Path::new("sls.yaml"), Path::new("."), "dev").unwrap();
    let s = synth::synthesize(&plan).unwrap();
    assert_eq!(s.template.resources.len(), 80 * 6 + 2);
    assert!(s.warnings.iter().any(|w| w.contains("482 of 500")), "{:?}", s.warnings);
    for i in 80..84 {
        yaml.push_str(&format!("  f{i}:\n    events: [{{ http: GET /f{i} }}]\n"));
    }
    let plan = plan::from_str(&yaml, Path::new("sls.yaml"), Path::new("."), "dev").unwrap();
    match synth::synthesize(&plan) {
        Ok(s) => panic!("{} resources synthesized without an error", s.template.resources.len()),
        Err(e) => assert!(
            e.problems[0].message.contains("needs 506 CloudFormation resources; one stack holds at most 500"),
            "{}",
            e.problems[0].message
        ),
    }
}

#[test]
fn cfn_lint_accepts_every_fixture_on_every_stage() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (fixture, stage) in [("full.yaml", "dev"), ("full.yaml", "prod"), ("minimal.yaml", "dev")] {
        let path = dir.path().join(format!("{fixture}-{stage}.json"));
        std::fs::write(&path, synth::to_json(&synth(fixture, stage).template)).unwrap();
        files.push(path);
    }
    // sls-rs's own deployment bucket stack too.
    let bootstrap = dir.path().join("bootstrap.json");
    std::fs::write(&bootstrap, synth::to_json(&synth::bootstrap::template("sls-rs-123456789012-eu-west-1", 90)))
        .unwrap();
    files.push(bootstrap);
    common::cfn_lint(&files);
}

mod gen;

/// The property behind "validate passes, deploy fails": over configs generated to span the
/// language (every kind, limits, longest names), each one the validator accepts synthesizes
/// templates (a plain and a retained stage) cfn-lint accepts. Rejections are allowed — the
/// generator may step over a limit — but most must pass, or the property is tested on nothing.
#[test]
fn every_generated_config_the_validator_accepts_passes_cfn_lint() {
    let dir = tempfile::tempdir().unwrap();
    let (mut files, mut rejected) = (Vec::new(), Vec::new());
    const CONFIGS: u64 = 40;
    for seed in 0..CONFIGS {
        let text = gen::config(&mut gen::Rng::new(seed));
        for stage in ["dev", "prod"] {
            match plan::from_str(&text, Path::new("sls.yaml"), Path::new("."), stage) {
                Ok(plan) => {
                    let s =
                        synth::synthesize(&plan).unwrap_or_else(|e| panic!("seed {seed}: {:?}\n{text}", e.problems));
                    let path = dir.path().join(format!("seed-{seed}-{stage}.json"));
                    std::fs::write(&path, synth::to_json(&s.template)).unwrap();
                    std::fs::write(dir.path().join(format!("seed-{seed}.yaml")), &text).unwrap();
                    files.push(path);
                }
                Err(e) => rejected.push(format!("seed {seed} ({stage}): {e:?}")),
            }
        }
    }
    assert!(files.len() as u64 >= CONFIGS * 3 / 2, "too few configs accepted:\n{}", rejected.join("\n"));
    common::cfn_lint(&files);
}
