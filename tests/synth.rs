//! Synthesis from representative configs: pinned by snapshots, deterministic, least-privilege,
//! and accepted by cfn-lint.

use crate::common;
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
                // X-Ray's actions and DynamoDB's ListStreams take no resource (IAM's Service
                // Authorization Reference); nothing else is granted on `*`.
                let resourceless = st["Action"].as_array().unwrap().iter().all(|a| {
                    let a = a.as_str().unwrap();
                    a.starts_with("xray:") || a == "dynamodb:ListStreams"
                });
                for r in st["Resource"].as_array().unwrap() {
                    assert!(r != "*" || resourceless, "{id} grants {} on every resource", st["Action"]);
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
    // A function with no `uses` (and `on_failure: none`) can only write its own logs.
    assert!(!role("Nightly").contains("dynamodb") && role("Nightly").contains("NightlyLogGroup"));
    assert!(!role("Nightly").contains("sqs:") && !role("Nightly").contains("xray:"));
    // An async function may send to its failure queue, and only there; traced ones write to X-Ray.
    assert!(role("Thumbnail").contains("ThumbnailFailures") && role("Thumbnail").contains("sqs:SendMessage"));
    assert!(role("Audit").contains("DeadEventsQueue") && role("Audit").contains("xray:PutTraceSegments"));
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
    // and the route.
    for i in 0..80 {
        yaml.push_str(&format!("  f{i}:\n    events: [{{ http: GET /f{i} }}]\n"));
    }
    let plan = plan::from_str(&yaml, Path::new("sls.yaml"), Path::new("."), "dev").unwrap();
    let s = synth::synthesize(&plan).unwrap();
    // The API, its stage and its access log group are three more.
    assert_eq!(s.template.resources.len(), 80 * 6 + 3);
    assert!(s.warnings.iter().any(|w| w.contains("483 of 500")), "{:?}", s.warnings);
    for i in 80..84 {
        yaml.push_str(&format!("  f{i}:\n    events: [{{ http: GET /f{i} }}]\n"));
    }
    let plan = plan::from_str(&yaml, Path::new("sls.yaml"), Path::new("."), "dev").unwrap();
    match synth::synthesize(&plan) {
        Ok(s) => panic!("{} resources synthesized without an error", s.template.resources.len()),
        Err(e) => assert!(
            e.problems[0].message.contains("needs 507 CloudFormation resources; one stack holds at most 500"),
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

use crate::gen;

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

/// What a security review asked of every generated template, by default: buckets refuse
/// plain HTTP, topics are encrypted, failed async events land in a queue, API calls are
/// logged, and auth, throttling, tracing and PITR do what the config says.
#[test]
fn security_defaults_are_in_the_template() {
    let s = synth("full.yaml", "dev");
    let t = json(&s);
    let r = |id: &str| t["Resources"][id].clone();
    let policy = r("UploadsBucketPolicy");
    assert_eq!(policy["Type"], "AWS::S3::BucketPolicy");
    assert_eq!(policy["Properties"]["Bucket"]["Ref"], "UploadsBucket");
    let deny = &policy["Properties"]["PolicyDocument"]["Statement"][0];
    assert_eq!((deny["Effect"].as_str(), deny["Action"].as_str()), (Some("Deny"), Some("s3:*")));
    assert_eq!(deny["Condition"]["Bool"]["aws:SecureTransport"], "false");
    assert_eq!(r("OrdersTopic")["Properties"]["KmsMasterKeyId"], "alias/aws/sns");
    // Async functions: their own failure queue by default, a declared one, or none when asked.
    let destination =
        |f: &str| r(&format!("{f}InvokeConfig"))["Properties"]["DestinationConfig"]["OnFailure"]["Destination"].clone();
    assert_eq!(destination("Thumbnail")["Fn::GetAtt"][0], "ThumbnailFailures");
    assert_eq!(r("ThumbnailFailures")["Properties"]["QueueName"], "shop-dev-thumbnail-failures");
    assert_eq!(destination("Audit")["Fn::GetAtt"][0], "DeadEventsQueue");
    assert!(r("NightlyInvokeConfig").is_null(), "on_failure: none still got a destination");
    assert!(r("ApiInvokeConfig").is_null() && r("SignupWorkerInvokeConfig").is_null(), "sync/poll functions need none");
    // The API: access logs, stage and route throttling, each route's authorization.
    let stage = r("HttpApiDefaultStage")["Properties"].clone();
    assert_eq!(stage["AccessLogSettings"]["DestinationArn"]["Fn::GetAtt"][0], "HttpApiAccessLogs");
    assert_eq!(stage["DefaultRouteSettings"]["ThrottlingRateLimit"], 100);
    assert_eq!(stage["RouteSettings"]["POST /users"]["ThrottlingBurstLimit"], 5);
    let auth = |key: &str| {
        let route = t["Resources"].as_object().unwrap().values().find(|v| v["Properties"]["RouteKey"] == key).unwrap();
        (
            route["Properties"]["AuthorizationType"].as_str().unwrap().to_string(),
            route["Properties"]["AuthorizerId"].clone(),
        )
    };
    assert_eq!(auth("GET /users/{id}").0, "JWT");
    assert_eq!(auth("GET /users/{id}").1["Ref"], "HttpApiJwtAuthorizer");
    assert_eq!(auth("POST /users").0, "AWS_IAM");
    assert_eq!(auth("GET /").0, "NONE");
    assert_eq!(r("HttpApiJwtAuthorizer")["Properties"]["JwtConfiguration"]["Audience"][0], "shop-web");
    assert_eq!(r("AuditFunction")["Properties"]["TracingConfig"]["Mode"], "Active");
    assert!(r("ApiFunction")["Properties"]["TracingConfig"].is_null());
    // PITR: the table option on dev; every table on a retained stage.
    assert_eq!(
        r("SessionsTable")["Properties"]["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"],
        true
    );
    assert!(r("UsersTable")["Properties"]["PointInTimeRecoverySpecification"].is_null());
    let prod = json(&synth("full.yaml", "prod"));
    assert_eq!(
        prod["Resources"]["UsersTable"]["Properties"]["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"],
        true
    );
    // A consumed queue without a dead-letter queue is a warning, naming the fix.
    assert!(!s.warnings.iter().any(|w| w.contains("`signups`")), "signups has a dead-letter queue: {:?}", s.warnings);
    let plan = plan::from_str(
        "service: s\nfunctions:\n  w:\n    events: [{ queue: jobs }]\nresources:\n  queues:\n    jobs: {}\n",
        Path::new("sls.yaml"),
        Path::new("."),
        "dev",
    )
    .unwrap();
    let warnings = synth::synthesize(&plan).unwrap().warnings;
    assert!(warnings.iter().any(|w| w.contains("queue `jobs` has no dead-letter queue")), "{warnings:?}");
}

/// `diff` decides replacements from a table of create-only properties: it must say what the
/// CloudFormation registry schemas say (cfn-lint ships them) for every type sls-rs writes.
#[test]
fn replacement_rules_match_the_registry_schemas() {
    use sls_rs::deploy::replacement::CREATE_ONLY;
    let script = r#"
import json, os, sys, cfnlint
base = os.path.join(os.path.dirname(cfnlint.__file__), "data", "schemas")
index = json.load(open(os.path.join(base, "providers", "us-east-1.json")))
out = {}
for t in sys.argv[1:]:
    schema = json.load(open(os.path.join(base, "resources", index[t] + ".json")))
    out[t] = sorted(p.removeprefix("/properties/") for p in schema.get("createOnlyProperties", []))
print(json.dumps(out))
"#;
    let output = std::process::Command::new(common::venv().join("bin/python"))
        .args(["-c", script])
        .args(CREATE_ONLY.iter().map(|(t, _)| *t))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let schemas: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    for (t, props) in CREATE_ONLY {
        let mut ours: Vec<&str> = props.to_vec();
        ours.sort();
        assert_eq!(schemas[t], serde_json::json!(ours), "{t}");
    }
    // Every type the fullest fixture's template holds is in the table.
    let t = json(&synth("full.yaml", "dev"));
    for (id, r) in t["Resources"].as_object().unwrap() {
        let ty = r["Type"].as_str().unwrap();
        assert!(CREATE_ONLY.iter().any(|(known, _)| *known == ty), "{id}: {ty} has no replacement rules");
    }
}
