//! Broken configs get every problem at once, each at file:line:column with a hint, and exit 2.

use crate::common;
use common::Test;

#[path = "../fuzz/check.rs"]
mod fuzz_check;

const BROKEN: &str = "\
service: shop
defaults:
  memroy: 256
  timeout: 1000
functions:
  api:
    timout: 5
    uses: { userz: read }
    events:
      - http: GET /users/{id}
      - http: FETCH /x
  other:
    events:
      - http: GET /users/{name}
      - queue: signup
      - schedule: rate(1 days)
resources:
  queues:
    signups: {}
";

#[test]
fn every_problem_is_located_and_hinted() {
    let run = Test::new().file("sls.yaml", BROKEN).args(["validate"]).run();
    run.status(2)
        .stderr_has("sls.yaml:3:3: unknown key `memroy` in `defaults`")
        .stderr_has("did you mean `memory`?")
        .stderr_has("sls.yaml:4:12: `defaults.timeout` is 1000 s, outside 1–900 s")
        .stderr_has("sls.yaml:7:5: unknown key `timout` in `functions.api`")
        .stderr_has("did you mean `timeout`?")
        .stderr_has("sls.yaml:8:13: `uses` names `userz`, which is not declared")
        .stderr_has("declared resources: `signups`")
        .stderr_has("sls.yaml:11:15: `FETCH /x` is not a valid route")
        .stderr_has("sls.yaml:14:15: route `GET /users/{name}` is declared twice")
        .stderr_has("already handled by function `api` (line 10)")
        .stderr_has("sls.yaml:15:16: queue event: `signup` is not a declared queue")
        .stderr_has("did you mean `signups`?")
        .stderr_has("EventBridge wants `rate(1 day)`")
        .stderr_has("sls.yaml has 8 problems");
    assert!(run.stdout.is_empty(), "errors belong on stderr: {}", run.stdout);
}

#[test]
fn json_output_lists_problems_with_positions() {
    let run = Test::new().file("sls.yaml", BROKEN).args(["validate", "--output", "json"]).run();
    run.status(2);
    let json = run.json();
    assert_eq!(json["ok"], false);
    let problems = json["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 8);
    assert_eq!(problems[0]["line"], 3);
    assert_eq!(problems[0]["column"], 3);
    assert_eq!(problems[0]["file"], "sls.yaml");
    assert_eq!(problems[0]["help"], "did you mean `memory`?");
}

#[test]
fn package_refuses_a_broken_config_and_writes_nothing() {
    let t = Test::new().file("sls.yaml", BROKEN).args(["package"]);
    t.run().status(2);
    assert!(!t.path().join(".sls").exists(), "package wrote output for an invalid config");
}

#[test]
fn yaml_syntax_errors_are_located() {
    Test::new()
        .file("sls.yaml", "service: shop\nfunctions:\n  api: {events: [\n")
        .args(["validate"])
        .status(2)
        .stderr_has("YAML syntax error")
        .stderr_has("sls.yaml:")
        .run();
}

#[test]
fn missing_config_says_how_to_start() {
    Test::new().args(["validate"]).status(2).stderr_has("no sls.yaml").stderr_has("sls-rs new").run();
}

#[test]
fn empty_config_and_missing_service() {
    // The whole of what a person sees, byte for byte: the problem, where, and what to write.
    Test::new()
        .file("sls.yaml", "# nothing\n")
        .args(["validate"])
        .status(2)
        .stdout("")
        .stderr(
            "  × sls.yaml:1:1: the config is empty
   ╭─[sls.yaml:1:1]
 1 │ # nothing
   · ▲
   ╰────
  help: start with `service: my-api` and a `functions:` section; `sls-rs new` writes a complete
        example

error: sls.yaml has 1 problem
",
        )
        .run();
    Test::new()
        .file("sls.yaml", "functions: {}\n")
        .args(["validate"])
        .status(2)
        .stderr_has("sls.yaml:1:1: `service` is missing")
        .run();
}

#[test]
fn references_ranges_and_names() {
    let yaml = "\
service: shop
functions:
  worker:
    timeout: 120
    memory: 64
    log_retention: 10
    events:
      - stream: users
      - upload: files
      - queue: jobs
        batch_size: 50
  worker2:
    events:
      - upload: files
        prefix: a/
resources:
  tables: { users: { key: id } }
  queues: { jobs: { visibility_timeout: 60 } }
  buckets: { files: {} }
stages:
  Prod: {}
";
    Test::new()
        .file("sls.yml", yaml)
        .args(["validate"])
        .status(2)
        .stderr_has("sls.yml:5:13: `functions.worker.memory` is 64 MB, outside 128–10240 MB")
        .stderr_has("CloudWatch Logs cannot keep logs for 10 days")
        .stderr_has("did you mean `7`?")
        .stderr_has("table `users` has no stream to read")
        .stderr_has("add `stream: new_and_old_images`")
        .stderr_has("a batch size of 50 needs a batching window")
        .stderr_has("queue `jobs` hides messages for 60 s, less than the 120 s timeout of `worker`")
        .stderr_has("overlaps another on bucket `files`")
        .stderr_has("`Prod` is not a valid stage name")
        .run();
}

#[test]
fn long_names_break_aws_limits_on_the_chosen_stage() {
    let yaml = "\
service: a-rather-long-service-name-for-shop
functions:
  process-incoming-payments: {}
resources:
  buckets: { customer-uploads: {} }
";
    Test::new()
        .file("sls.yaml", yaml)
        .args(["validate", "--stage", "production"])
        .status(2)
        .stderr_has("Lambda allows 64")
        .stderr_has("S3 allows 63")
        .run();
    Test::new()
        .file("sls.yaml", "service: shop\n")
        .args(["validate", "--stage", "production"])
        .status(0)
        .stdout_has("ok")
        .run();
}

#[test]
fn raw_cloudformation_collisions_point_at_the_id() {
    let yaml = "\
service: shop
functions:
  api: {}
cloudformation:
  Resources:
    ApiFunction:
      Type: AWS::SNS::Topic
  Outptus: {}
";
    Test::new()
        .file("sls.yaml", yaml)
        .args(["package"])
        .status(2)
        .stderr_has("sls.yaml:6:5: `ApiFunction` is already generated by sls-rs")
        .stderr_has("did you mean `Outputs`?")
        .run();
}

#[test]
fn bad_stage_on_the_command_line_is_a_usage_error() {
    Test::new()
        .file("sls.yaml", "service: shop\n")
        .args(["validate", "--stage", "Prod!"])
        .status(2)
        .stderr_has("not a valid stage")
        .run();
}

#[test]
fn a_function_and_a_queue_named_alike_do_not_collide() {
    // Synthesis names them `XFunction` and `XFunctionQueue`; only ids it really emits can clash.
    let yaml = "\
service: shop
functions:
  x:
    events:
      - queue: x-function
resources:
  queues: { x-function: {} }
";
    Test::new().file("sls.yaml", yaml).args(["validate"]).status(0).stdout_has("ok").run();
}

#[test]
fn ids_that_synthesis_would_share_are_rejected_at_the_second_name() {
    let yaml = "\
service: shop
functions:
  a-b: {}
  a_b: {}
resources:
  tables:
    users: { key: id }
  queues:
    users_: {}
";
    Test::new()
        .file("sls.yaml", yaml)
        .args(["validate"])
        .status(2)
        .stderr_has("sls.yaml:4:3: `a_b` and `a-b` both become `ABFunction` in CloudFormation")
        .stderr_has("rename one")
        .run();
}

#[test]
fn queue_name_limits_count_the_real_suffixes() {
    // `{service}-dev-{key}`: a 35-character service and a 40-character key make exactly 80, which
    // fits a plain queue...
    let key = "q".repeat(40);
    let plain = format!("service: {}\nresources:\n  queues:\n    {key}: {{}}\n", "s".repeat(35));
    Test::new().file("sls.yaml", &plain).args(["validate"]).status(0).stdout_has("ok").run();
    // ...while a FIFO queue's dead-letter queue adds `-dlq.fifo` (9): 72 + 9 is one too many.
    let service = "s".repeat(27);
    let fifo = format!(
        "service: {service}\nresources:\n  queues:\n    {key}:\n      fifo: true\n      dead_letter: {{ max_receives: 3 }}\n"
    );
    let run = Test::new().file("sls.yaml", &fifo).args(["validate", "--output", "json"]).run();
    run.status(2);
    let problems = run.json()["problems"].clone();
    assert_eq!(problems.as_array().map(Vec::len), Some(1), "{problems}");
    assert_eq!((problems[0]["line"].as_u64(), problems[0]["column"].as_u64()), (Some(4), Some(5)));
    assert_eq!(
        problems[0]["message"],
        format!("queue name `{service}-dev-{key}-dlq.fifo` is 81 characters; SQS allows 80")
    );
}

#[test]
fn a_bad_environment_variable_is_reported_at_its_own_line() {
    // Keys out of sorted order: each problem must still point at its own key.
    let yaml = "\
service: shop
functions:
  api:
    env:
      ZED: ok
      AWS_REGION: x
      9LIVES: y
      ALPHA: ok
";
    Test::new()
        .file("sls.yaml", yaml)
        .args(["validate"])
        .status(2)
        .stderr_has("sls.yaml:6:7: `AWS_REGION` cannot be a Lambda environment variable")
        .stderr_has("sls.yaml:7:7: `9LIVES` cannot be a Lambda environment variable")
        .run();
}

#[test]
fn reserved_concurrency_is_a_whole_number_and_reaches_the_template() {
    let config = "service: shop\nfunctions:\n  api:\n    concurrency: -1\n";
    Test::new()
        .file("sls.yaml", config)
        .args(["validate"])
        .status(2)
        .stderr_has("sls.yaml:4:18: `functions.api.concurrency` must be a whole number")
        .run();
    let t = Test::new().file("sls.yaml", "service: shop\nfunctions:\n  api:\n    concurrency: 3\n").args(["package"]);
    t.run().status(0);
    let template: serde_json::Value =
        serde_json::from_slice(&std::fs::read(t.path().join(".sls/dev/template.json")).unwrap()).unwrap();
    assert_eq!(template["Resources"]["ApiFunction"]["Properties"]["ReservedConcurrentExecutions"], 3);
}

/// The hostile and mistaken configs in `tests/hostile/`, one file per case, each naming on its
/// first line where the problem is and what is said: `# expect: <line>:<col> <text>`. Every
/// one is a located problem (exit 2) — never a panic, an abort or a hang.
#[test]
fn the_hostile_corpus_is_rejected_located() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile");
    let mut cases: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    cases.sort();
    assert!(cases.len() >= 30, "the corpus shrank to {}", cases.len());
    for case in cases {
        let bytes = std::fs::read(&case).unwrap();
        let text = String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes)).into_owned();
        let expect = text.lines().next().and_then(|l| l.strip_prefix("# expect: ")).expect("an expect line");
        let (at, message) = expect.split_once(' ').unwrap();
        let t = Test::new().args(["validate"]);
        std::fs::write(t.path().join("sls.yaml"), &bytes).unwrap();
        let run = t.run();
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(run.output.status.code(), Some(2), "{name}: {}", run.stderr);
        assert!(run.stderr.contains(&format!("sls.yaml:{at}: ")), "{name}: not at {at}: {}", run.stderr);
        assert!(run.stderr.contains(message), "{name}: no {message:?} in: {}", run.stderr);
    }
}

#[test]
fn a_config_over_a_megabyte_is_refused_before_parsing() {
    let big = format!("service: big\ncloudformation:\n  Metadata:\n    pad: {}\n", "x".repeat(1024 * 1024));
    let run = Test::new().file("sls.yaml", &big).args(["validate"]).run();
    run.status(2).stderr_has("sls.yaml:1:1: the file is 1048627 bytes; a config may have at most 1048576");
}

/// What the fuzzer checks (`fuzz/check.rs`: no panic, rejected configs render, accepted ones
/// synthesize JSON), over its past findings in `fuzz/regressions/` and every config here.
#[test]
fn fuzz_findings_and_the_corpus_keep_the_fuzz_property() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut checked = 0;
    for dir in ["fuzz/regressions", "tests/hostile", "tests/fixtures"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            fuzz_check::config_property(&std::fs::read(&path).unwrap());
            checked += 1;
        }
    }
    assert!(checked > 40, "only {checked} inputs checked");
}

/// `sls-rs args` in `dir` with its address space limited to 400 MB (`ulimit -v`), stdin from
/// `stdin`: an input read whole would not fit, so only a bounded read gets to say why.
pub(crate) fn within_400_mb(dir: &std::path::Path, args: &str, stdin: std::process::Stdio) -> crate::common::Run {
    let script = format!("ulimit -v 400000 && exec \"$0\" {args}");
    let mut cmd = std::process::Command::new("sh");
    cmd.args(["-c", &script, env!("CARGO_BIN_EXE_sls-rs")]).current_dir(dir).env("NO_COLOR", "1").stdin(stdin);
    for k in crate::common::AMBIENT {
        cmd.env_remove(k);
    }
    crate::common::Run::from(cmd.output().unwrap())
}

#[test]
fn a_config_claiming_gigabytes_is_refused_by_its_size_without_reading_it() {
    let t = Test::new();
    let file = std::fs::File::create(t.path().join("sls.yaml")).unwrap();
    file.set_len(2 * 1024 * 1024 * 1024).unwrap(); // sparse: no disk used
    let started = std::time::Instant::now();
    let run = within_400_mb(t.path(), "validate", std::process::Stdio::null());
    run.status(2).stderr_has("sls.yaml:1:1: the file is 2147483648 bytes; a config may have at most 1048576");
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "{:?}", started.elapsed());
}
