//! What moto cannot show — per-resource events, a failed update and its rollback, a busy
//! stack, a failed first create, stack outputs as AWS reports them (moto drops them after a
//! change set) — replayed through the SDK's mock clients.

use aws_sdk_cloudformation::operation::describe_stacks::{DescribeStacksError, DescribeStacksOutput};
use aws_sdk_cloudformation::types::{
    Change, ChangeAction, ChangeSetStatus, ResourceChange, Stack, StackEvent, StackStatus,
};
use aws_sdk_cloudformation::Client as Cfn;
use aws_smithy_mocks::{mock, mock_client, Rule, RuleMode};
use aws_smithy_types::error::ErrorMetadata;
use aws_smithy_types::DateTime;
use sls_rs::aws::status::StackStatus as Status;
use sls_rs::aws::Aws;
use sls_rs::deploy::{self, DeployError, Outcome};
use sls_rs::synth::{Artifact, Manifest};
use std::collections::BTreeMap;
use std::sync::Mutex;

fn stack(status: StackStatus) -> DescribeStacksOutput {
    DescribeStacksOutput::builder()
        .stacks(
            Stack::builder().stack_name("shop-dev").stack_status(status).creation_time(DateTime::from_secs(0)).build(),
        )
        .build()
}

fn missing() -> DescribeStacksError {
    DescribeStacksError::generic(
        ErrorMetadata::builder().code("ValidationError").message("Stack with id shop-dev does not exist").build(),
    )
}

fn event(id: &str, logical: &str, kind: &str, status: &str, reason: Option<&str>) -> StackEvent {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    StackEvent::builder()
        .event_id(id)
        .stack_id("arn:aws:cloudformation:eu-west-1:123456789012:stack/shop-dev/1")
        .stack_name("shop-dev")
        .logical_resource_id(logical)
        .resource_type(kind)
        .resource_status(status.into())
        .set_resource_status_reason(reason.map(str::to_string))
        .timestamp(DateTime::from_secs(now + 1))
        .build()
}

/// Events newest first, as CloudFormation returns them, growing with each call.
fn events_rule(batches: Vec<Vec<StackEvent>>) -> Rule {
    let mut seq = mock!(Cfn::describe_stack_events).sequence();
    let mut so_far: Vec<StackEvent> = Vec::new();
    let last = batches.len() - 1;
    for (i, batch) in batches.into_iter().enumerate() {
        for e in batch {
            so_far.insert(0, e);
        }
        let page = so_far.clone();
        let out = move || {
            aws_sdk_cloudformation::operation::describe_stack_events::DescribeStackEventsOutput::builder()
                .set_stack_events(Some(page.clone()))
                .build()
        };
        seq = if i == last { seq.output(out).times(100) } else { seq.output(out) };
    }
    seq.build()
}

fn aws(cfn_rules: &[&Rule]) -> Aws {
    let sts = mock!(aws_sdk_sts::Client::get_caller_identity).then_output(|| {
        aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityOutput::builder().account("123456789012").build()
    });
    // Only a check that names the owner matches: every deploy here proves it does.
    let head = mock!(aws_sdk_s3::Client::get_bucket_location)
        .match_requests(|r| r.expected_bucket_owner() == Some("123456789012"))
        .then_output(|| aws_sdk_s3::operation::get_bucket_location::GetBucketLocationOutput::builder().build());
    // No change set left by an earlier deploy, unless a test says otherwise (its rule comes first).
    let no_leftovers = mock!(Cfn::list_change_sets)
        .then_output(|| aws_sdk_cloudformation::operation::list_change_sets::ListChangeSetsOutput::builder().build());
    let cfn_rules: Vec<&Rule> = cfn_rules.iter().copied().chain([&no_leftovers]).collect();
    Aws {
        region: "eu-west-1".into(),
        cfn: mock_client!(aws_sdk_cloudformation, RuleMode::MatchAny, &cfn_rules),
        s3: mock_client!(aws_sdk_s3, RuleMode::MatchAny, &[&head]),
        lambda: mock_client!(aws_sdk_lambda, RuleMode::MatchAny, &[] as &[&Rule]),
        logs: mock_client!(aws_sdk_cloudwatchlogs, RuleMode::MatchAny, &[] as &[&Rule]),
        sts: mock_client!(aws_sdk_sts, RuleMode::MatchAny, &[&sts]),
        dynamodb: mock_client!(aws_sdk_dynamodb, RuleMode::MatchAny, &[] as &[&Rule]),
        iam: mock_client!(aws_sdk_iam, RuleMode::MatchAny, &[] as &[&Rule]),
        endpoint: None,
    }
}

fn manifest() -> Manifest {
    Manifest {
        service: "shop".into(),
        stage: "dev".into(),
        stack_name: "shop-dev".into(),
        region: None,
        template: "template.json".into(),
        resource_count: 1,
        artifacts: Vec::<Artifact>::new(),
        tags: BTreeMap::new(),
        references: Vec::new(),
    }
}

fn change_set_rules() -> (Rule, Rule, Rule, Rule) {
    let create = mock!(Cfn::create_change_set).then_output(|| {
        aws_sdk_cloudformation::operation::create_change_set::CreateChangeSetOutput::builder().id("cs-1").build()
    });
    let describe = mock!(Cfn::describe_change_set).then_output(|| {
        aws_sdk_cloudformation::operation::describe_change_set::DescribeChangeSetOutput::builder()
            .status(ChangeSetStatus::CreateComplete)
            .changes(
                Change::builder()
                    .resource_change(
                        ResourceChange::builder()
                            .action(ChangeAction::Modify)
                            .logical_resource_id("ApiFunction")
                            .resource_type("AWS::Lambda::Function")
                            .build(),
                    )
                    .build(),
            )
            .build()
    });
    let execute = mock!(Cfn::execute_change_set).then_output(|| {
        aws_sdk_cloudformation::operation::execute_change_set::ExecuteChangeSetOutput::builder().build()
    });
    let template = mock!(Cfn::get_template).then_output(|| {
        aws_sdk_cloudformation::operation::get_template::GetTemplateOutput::builder().template_body("{}").build()
    });
    (create, describe, execute, template)
}

#[derive(Default)]
struct Seen {
    events: Mutex<Vec<(String, String)>>,
    said: Mutex<Vec<deploy::Notice>>,
    step: Mutex<deploy::Step>,
}

async fn run(aws: &Aws, no_wait: bool, seen: &Seen) -> Result<deploy::Report, DeployError> {
    let notice = |n: deploy::Notice| seen.said.lock().unwrap().push(n);
    let mut on_event =
        |e: &deploy::watch::StackEvent| seen.events.lock().unwrap().push((e.logical_id.clone(), e.status.to_string()));
    let mut confirm = |_: &[deploy::stack::Change]| true;
    let hooks = deploy::Hooks { notice: &notice, step: &seen.step, event: &mut on_event, confirm: &mut confirm };
    deploy::deploy(
        aws,
        &manifest(),
        r#"{"Resources":{}}"#,
        std::path::Path::new("."),
        &deploy::Options { no_wait },
        hooks,
    )
    .await
}

#[tokio::test]
async fn a_failed_update_shows_the_cause_and_the_rollback() {
    let describe = mock!(Cfn::describe_stacks)
        .sequence()
        .output(|| stack(StackStatus::UpdateComplete))
        .output(|| stack(StackStatus::UpdateInProgress))
        .output(|| stack(StackStatus::UpdateRollbackInProgress))
        .output(|| stack(StackStatus::UpdateRollbackComplete))
        .times(100)
        .build();
    let events = events_rule(vec![
        vec![event("e1", "shop-dev", "AWS::CloudFormation::Stack", "UPDATE_IN_PROGRESS", Some("User Initiated"))],
        vec![
            event("e2", "ApiFunction", "AWS::Lambda::Function", "UPDATE_IN_PROGRESS", None),
            event(
                "e3",
                "ApiFunction",
                "AWS::Lambda::Function",
                "UPDATE_FAILED",
                Some("Resource handler returned message: \"MemorySize value failed to satisfy constraint\""),
            ),
            event("e4", "Queue", "AWS::SQS::Queue", "UPDATE_FAILED", Some("Resource update cancelled")),
        ],
        vec![
            event(
                "e5",
                "shop-dev",
                "AWS::CloudFormation::Stack",
                "UPDATE_ROLLBACK_IN_PROGRESS",
                Some("The following resource(s) failed to update: [ApiFunction]"),
            ),
            event("e6", "shop-dev", "AWS::CloudFormation::Stack", "UPDATE_ROLLBACK_COMPLETE", None),
        ],
    ]);
    let (create, describe_cs, execute, template) = change_set_rules();
    let aws = aws(&[&describe, &events, &create, &describe_cs, &execute, &template]);
    let seen = Seen::default();
    match run(&aws, false, &seen).await {
        Err(DeployError::Failed { status, failures, .. }) => {
            assert_eq!(status, Status::UpdateRollbackComplete);
            // The cancelled queue update is a consequence, not a cause.
            assert_eq!(failures.len(), 1, "{failures:?}");
            assert_eq!(failures[0].logical_id, "ApiFunction");
            assert!(failures[0].reason.as_deref().unwrap().contains("MemorySize"));
        }
        other => panic!("expected a failed deploy, got {other:?}"),
    }
    let events = seen.events.lock().unwrap();
    let order: Vec<&str> = events.iter().map(|(_, s)| s.as_str()).collect();
    assert_eq!(
        order,
        [
            "UPDATE_IN_PROGRESS",
            "UPDATE_IN_PROGRESS",
            "UPDATE_FAILED",
            "UPDATE_FAILED",
            "UPDATE_ROLLBACK_IN_PROGRESS",
            "UPDATE_ROLLBACK_COMPLETE"
        ],
        "each event once, oldest first"
    );
    assert_eq!(execute.num_calls(), 1);
}

#[tokio::test]
async fn a_busy_stack_fails_fast_with_no_wait() {
    let describe = mock!(Cfn::describe_stacks).then_output(|| stack(StackStatus::UpdateInProgress));
    let (create, _, _, _) = change_set_rules();
    let aws = aws(&[&describe, &create]);
    let seen = Seen::default();
    match run(&aws, true, &seen).await {
        Err(DeployError::Busy { status, .. }) => assert_eq!(status, Status::UpdateInProgress),
        other => panic!("expected busy, got {other:?}"),
    }
    assert_eq!(create.num_calls(), 0, "nothing may be changed on a busy stack");
}

#[tokio::test]
async fn a_failed_first_create_is_deleted_and_created_again() {
    let describe = mock!(Cfn::describe_stacks)
        .sequence()
        .output(|| stack(StackStatus::RollbackComplete))
        .error(missing)
        .times(2)
        .output(|| stack(StackStatus::CreateInProgress))
        .output(|| stack(StackStatus::CreateComplete))
        .times(100)
        .build();
    let delete = mock!(Cfn::delete_stack)
        .then_output(|| aws_sdk_cloudformation::operation::delete_stack::DeleteStackOutput::builder().build());
    let events = events_rule(vec![vec![event("c1", "ApiFunction", "AWS::Lambda::Function", "CREATE_COMPLETE", None)]]);
    let (create, describe_cs, execute, template) = change_set_rules();
    let aws = aws(&[&describe, &delete, &events, &create, &describe_cs, &execute, &template]);
    let seen = Seen::default();
    let report = run(&aws, false, &seen).await.expect("deploys after recreating");
    assert_eq!(report.status, Outcome::Deployed);
    assert_eq!(delete.num_calls(), 1);
    let said = seen.said.lock().unwrap();
    assert!(
        said.iter().any(|n| matches!(n, deploy::Notice::Clearing { why, .. } if why.contains("ROLLBACK_COMPLETE"))),
        "{said:?}"
    );
}

#[tokio::test]
async fn throttling_and_5xx_are_retried() {
    // The standard retry mode is what `Aws::connect` gets from the default config loader.
    let describe = mock!(Cfn::describe_stacks)
        .sequence()
        .http_status(503, Some("Service Unavailable".into()))
        .http_status(400, Some(r#"<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>"#.into()))
        .output(|| stack(StackStatus::UpdateComplete))
        .build();
    let cfn = mock_client!(aws_sdk_cloudformation, RuleMode::MatchAny, &[&describe], |b| {
        b.retry_config(
            aws_smithy_types::retry::RetryConfig::standard()
                .with_max_attempts(3)
                .with_initial_backoff(std::time::Duration::from_millis(1)),
        )
    });
    let state = deploy::stack::describe(&cfn, "shop-dev").await.expect("retried to success");
    assert_eq!(state.unwrap().status, Status::UpdateComplete);
    assert_eq!(describe.num_calls(), 3);
}

/// Stops `run` as Ctrl-C would (by dropping it), once it has had `secs` to get somewhere.
async fn interrupt_after(aws: &Aws, secs: f64, seen: &Seen) -> deploy::Step {
    let stopped = tokio::time::timeout(std::time::Duration::from_secs_f64(secs), run(aws, false, seen)).await;
    assert!(stopped.is_err(), "the deploy ended by itself: {stopped:?}");
    seen.step.lock().unwrap().clone()
}

#[tokio::test]
async fn interrupted_while_cloudformation_works_it_is_left_running() {
    let describe = mock!(Cfn::describe_stacks)
        .sequence()
        .output(|| stack(StackStatus::UpdateComplete))
        .output(|| stack(StackStatus::UpdateInProgress))
        .times(1000)
        .build();
    let events =
        events_rule(vec![vec![event("u1", "ApiFunction", "AWS::Lambda::Function", "UPDATE_IN_PROGRESS", None)]]);
    let (create, describe_cs, execute, template) = change_set_rules();
    let delete_cs = mock!(Cfn::delete_change_set)
        .then_output(|| aws_sdk_cloudformation::operation::delete_change_set::DeleteChangeSetOutput::builder().build());
    let aws = aws(&[&describe, &events, &create, &describe_cs, &execute, &template, &delete_cs]);
    let seen = Seen::default();
    let step = interrupt_after(&aws, 1.5, &seen).await;
    assert_eq!(step, deploy::Step::Executing);
    assert_eq!(execute.num_calls(), 1);
    deploy::abandon(&aws, "shop-dev", &step).await.unwrap();
    assert_eq!(delete_cs.num_calls(), 0, "an executing change set is not to be touched");
}

#[tokio::test]
async fn interrupted_before_review_the_change_set_and_empty_stack_are_taken_back() {
    let describe = mock!(Cfn::describe_stacks).then_error(missing);
    let (create, _, execute, _) = change_set_rules();
    // CloudFormation is still working out the changes when the user gives up.
    let pending = mock!(Cfn::describe_change_set).then_output(|| {
        aws_sdk_cloudformation::operation::describe_change_set::DescribeChangeSetOutput::builder()
            .status(ChangeSetStatus::CreatePending)
            .build()
    });
    let delete_cs = mock!(Cfn::delete_change_set)
        .then_output(|| aws_sdk_cloudformation::operation::delete_change_set::DeleteChangeSetOutput::builder().build());
    let delete_stack = mock!(Cfn::delete_stack)
        .then_output(|| aws_sdk_cloudformation::operation::delete_stack::DeleteStackOutput::builder().build());
    let aws = aws(&[&describe, &create, &pending, &execute, &delete_cs, &delete_stack]);
    let seen = Seen::default();
    let step = interrupt_after(&aws, 1.0, &seen).await;
    let deploy::Step::Reviewing { creating: true, .. } = &step else {
        panic!("expected a first create in review, got {step:?}")
    };
    deploy::abandon(&aws, "shop-dev", &step).await.unwrap();
    assert_eq!(execute.num_calls(), 0);
    assert_eq!((delete_cs.num_calls(), delete_stack.num_calls()), (1, 1), "change set and its empty stack deleted");
}

/// A stack holding one data resource (`AWS::S3::Bucket` or `AWS::DynamoDB::Table`) whose
/// inspection `inspect` answers; records whether DeleteStack ran.
fn removable(kind: &'static str, inspect: Rule, deleted: &'static std::sync::atomic::AtomicBool) -> Aws {
    use aws_sdk_cloudformation::types::StackResourceSummary;
    // Deployed until DeleteStack; gone after it.
    let describe = mock!(Cfn::describe_stacks)
        .sequence()
        .output(|| stack(StackStatus::CreateComplete))
        .error(missing)
        .times(100)
        .build();
    let events = events_rule(vec![vec![]]);
    let template = mock!(Cfn::get_template).then_output(move || {
        aws_sdk_cloudformation::operation::get_template::GetTemplateOutput::builder()
            .template_body(format!(r#"{{"Resources":{{"Data":{{"Type":"{kind}"}}}}}}"#))
            .build()
    });
    let resources = mock!(Cfn::list_stack_resources).then_output(move || {
        aws_sdk_cloudformation::operation::list_stack_resources::ListStackResourcesOutput::builder()
            .stack_resource_summaries(
                StackResourceSummary::builder()
                    .logical_resource_id("Data")
                    .physical_resource_id("shop-dev-data")
                    .resource_type(kind)
                    .resource_status("CREATE_COMPLETE".into())
                    .last_updated_timestamp(DateTime::from_secs(0))
                    .build(),
            )
            .build()
    });
    let delete = mock!(Cfn::delete_stack).then_output(move || {
        deleted.store(true, std::sync::atomic::Ordering::SeqCst);
        aws_sdk_cloudformation::operation::delete_stack::DeleteStackOutput::builder().build()
    });
    let mut aws = aws(&[&describe, &events, &template, &resources, &delete]);
    // The stack's artifacts in the deployment bucket, deleted after the stack: none here.
    let artifacts = mock!(aws_sdk_s3::Client::list_objects_v2)
        .then_output(|| aws_sdk_s3::operation::list_objects_v2::ListObjectsV2Output::builder().build());
    if kind == "AWS::S3::Bucket" {
        aws.s3 = mock_client!(aws_sdk_s3, RuleMode::MatchAny, &[&inspect, &artifacts]);
    } else {
        aws.s3 = mock_client!(aws_sdk_s3, RuleMode::MatchAny, &[&artifacts]);
        aws.dynamodb = mock_client!(aws_sdk_dynamodb, RuleMode::MatchAny, &[&inspect]);
    }
    aws
}

const ALL: deploy::remove::Consent = deploy::remove::Consent { buckets: true, tables: true };

#[tokio::test]
async fn remove_stops_before_deleting_when_a_bucket_cannot_be_listed() {
    use aws_sdk_s3::operation::list_object_versions::ListObjectVersionsError;
    static DELETED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    let denied = mock!(aws_sdk_s3::Client::list_object_versions).then_error(|| {
        ListObjectVersionsError::generic(ErrorMetadata::builder().code("AccessDenied").message("Access Denied").build())
    });
    let aws = removable("AWS::S3::Bucket", denied, &DELETED);
    // Even with consent to delete data: what could not be seen is not deleted.
    let result = deploy::remove::remove(&aws, "shop-dev", ALL, &|_| {}, &mut |_| {}).await;
    match result {
        Err(deploy::remove::RemoveError::Unchecked(u)) => {
            assert_eq!((u.what.as_str(), u.reason.as_str()), ("bucket shop-dev-data", "AccessDenied: Access Denied"));
        }
        other => panic!("a bucket that could not be listed was not reported: {other:?}"),
    }
    assert!(!DELETED.load(std::sync::atomic::Ordering::SeqCst), "the stack was deleted without checking the bucket");
}

#[tokio::test]
async fn remove_stops_before_deleting_when_a_table_cannot_be_read() {
    use aws_sdk_dynamodb::operation::scan::ScanError;
    static DELETED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    let throttled = mock!(aws_sdk_dynamodb::Client::scan).then_error(|| {
        ScanError::generic(ErrorMetadata::builder().code("AccessDeniedException").message("not allowed").build())
    });
    let aws = removable("AWS::DynamoDB::Table", throttled, &DELETED);
    let result = deploy::remove::remove(&aws, "shop-dev", ALL, &|_| {}, &mut |_| {}).await;
    match result {
        Err(deploy::remove::RemoveError::Unchecked(u)) => assert_eq!(u.what, "table shop-dev-data"),
        other => panic!("a table that could not be read was not reported: {other:?}"),
    }
    assert!(!DELETED.load(std::sync::atomic::Ordering::SeqCst), "the stack was deleted without checking the table");
}

#[tokio::test]
async fn remove_counts_a_bucket_that_is_already_gone_as_empty() {
    use aws_sdk_s3::operation::list_object_versions::ListObjectVersionsError;
    static DELETED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    let gone = mock!(aws_sdk_s3::Client::list_object_versions).then_error(|| {
        ListObjectVersionsError::generic(ErrorMetadata::builder().code("NoSuchBucket").message("gone").build())
    });
    let aws = removable("AWS::S3::Bucket", gone, &DELETED);
    let none = deploy::remove::Consent::default();
    let removal = deploy::remove::remove(&aws, "shop-dev", none, &|_| {}, &mut |_| {}).await;
    assert_eq!(removal.map(|r| r.status).unwrap_or_else(|e| panic!("{e}")), deploy::remove::Outcome::Removed);
    assert!(DELETED.load(std::sync::atomic::Ordering::SeqCst), "a bucket already gone blocked the removal");
}

fn producer_with_outputs(outputs: &[(&str, &str)]) -> Rule {
    let outputs: Vec<aws_sdk_cloudformation::types::Output> = outputs
        .iter()
        .map(|(k, v)| aws_sdk_cloudformation::types::Output::builder().output_key(*k).output_value(*v).build())
        .collect();
    mock!(Cfn::describe_stacks).then_output(move || {
        DescribeStacksOutput::builder()
            .stacks(
                Stack::builder()
                    .stack_name("shop-orders-dev")
                    .stack_status(StackStatus::UpdateComplete)
                    .creation_time(DateTime::from_secs(0))
                    .set_outputs(Some(outputs.clone()))
                    .build(),
            )
            .build()
    })
}

fn reference(output: &str) -> sls_rs::plan::ReferencePlan {
    sls_rs::plan::ReferencePlan {
        service: "orders".into(),
        output: output.into(),
        parameter: format!("Orders{output}"),
        stack: "shop-orders-dev".into(),
    }
}

#[tokio::test]
async fn other_services_outputs_are_read_as_cloudformation_reports_them() {
    let url = "https://sqs.eu-west-1.amazonaws.com/123456789012/shop-orders-dev-signups";
    let described = producer_with_outputs(&[
        ("SignupsQueueUrl", url),
        ("SignupsQueueArn", "arn:aws:sqs:eu-west-1:123456789012:shop-orders-dev-signups"),
    ]);
    let template = mock!(Cfn::get_template).then_output(|| {
        aws_sdk_cloudformation::operation::get_template::GetTemplateOutput::builder()
            .template_body(r#"{"Outputs": {"SignupsQueueUrl": {"Value": {"Ref": "SignupsQueue"}}, "SignupsQueueArn": {"Value": {"Fn::GetAtt": ["SignupsQueue", "Arn"]}}}}"#)
            .build()
    });
    // No rule for ListStackResources: reported outputs are used as they are, never re-derived.
    let aws = aws(&[&described, &template]);
    let inputs =
        deploy::outputs::resolve(&aws, &[reference("SignupsQueueUrl"), reference("SignupsQueueArn")]).await.unwrap();
    assert_eq!(inputs["OrdersSignupsQueueUrl"], url);
    assert_eq!(inputs["OrdersSignupsQueueArn"], "arn:aws:sqs:eu-west-1:123456789012:shop-orders-dev-signups");

    // An output the producer's stack does not have is named, not guessed.
    let err = deploy::outputs::resolve(&aws, &[reference("ApiUrl")]).await.unwrap_err();
    assert!(
        matches!(&err, DeployError::OutputMissing { output, stack, .. } if output == "ApiUrl" && stack == "shop-orders-dev"),
        "{err}"
    );
}

#[tokio::test]
async fn a_producer_that_is_not_deployed_stops_its_consumer_before_anything_changes() {
    let described = mock!(Cfn::describe_stacks).then_error(missing);
    let aws = aws(&[&described]);
    let err = deploy::outputs::resolve(&aws, &[reference("SignupsQueueUrl")]).await.unwrap_err();
    assert!(matches!(&err, DeployError::ProducerMissing { service, .. } if service == "orders"));
    assert_eq!(
        err.to_string(),
        "service `orders` is not deployed on this stage (no stack shop-orders-dev), and this service reads its outputs"
    );
}

#[tokio::test]
async fn a_deployment_bucket_another_account_owns_is_refused_not_used() {
    // S3 answers 403 to a GetBucketLocation whose ExpectedBucketOwner is not the bucket's owner.
    let foreign = mock!(aws_sdk_s3::Client::get_bucket_location)
        .match_requests(|r| r.expected_bucket_owner() == Some("123456789012"))
        .then_http_response(|| {
            aws_smithy_runtime_api::http::Response::new(
                aws_smithy_runtime_api::http::StatusCode::try_from(403).unwrap(),
                aws_smithy_types::body::SdkBody::empty(),
            )
        });
    let create = mock!(Cfn::create_stack)
        .then_output(|| aws_sdk_cloudformation::operation::create_stack::CreateStackOutput::builder().build());
    let mut aws = aws(&[&create]);
    aws.s3 = mock_client!(aws_sdk_s3, RuleMode::MatchAny, &[&foreign]);
    match deploy::bucket::ensure(&aws, "123456789012", &|_| {}).await {
        Err(DeployError::BucketNotOwned { bucket, account }) => {
            assert_eq!((bucket.as_str(), account.as_str()), ("sls-rs-123456789012-eu-west-1", "123456789012"));
        }
        other => panic!("a foreign bucket was not refused: {other:?}"),
    }
    assert_eq!(create.num_calls(), 0, "no bootstrap stack over someone else's bucket");
}

/// A deploy killed (or cut off) after making its change set leaves it waiting; the next deploy
/// deletes sls-rs's leftovers — over two pages — and leaves change sets others made alone.
#[tokio::test]
async fn change_sets_left_by_a_killed_deploy_are_deleted_first() {
    use aws_sdk_cloudformation::operation::list_change_sets::ListChangeSetsOutput;
    use aws_sdk_cloudformation::types::ChangeSetSummary;
    use aws_sdk_cloudformation::types::ExecutionStatus;
    let summary = |name: &str| {
        ChangeSetSummary::builder()
            .stack_name("shop-dev")
            .change_set_name(name)
            .execution_status(ExecutionStatus::Available)
            .build()
    };
    // What some endpoints list besides: another stack's, and one that ran.
    let other = || ChangeSetSummary::builder().stack_name("other-dev").change_set_name("sls-rs-1795000000009").build();
    let ran = || {
        ChangeSetSummary::builder()
            .stack_name("shop-dev")
            .change_set_name("sls-rs-1794999999999")
            .execution_status(ExecutionStatus::ExecuteComplete)
            .build()
    };
    let describe = mock!(Cfn::describe_stacks)
        .sequence()
        .output(|| stack(StackStatus::UpdateComplete))
        .times(2)
        .output(|| stack(StackStatus::UpdateInProgress))
        .output(|| stack(StackStatus::UpdateComplete))
        .times(100)
        .build();
    let listed = mock!(Cfn::list_change_sets)
        .sequence()
        .output(move || {
            ListChangeSetsOutput::builder()
                .summaries(summary("sls-rs-1795000000000"))
                .summaries(summary("reviewed-by-hand"))
                .summaries(other())
                .summaries(ran())
                .next_token("page-2")
                .build()
        })
        .output(move || ListChangeSetsOutput::builder().summaries(summary("sls-rs-1795000000001")).build())
        .build();
    let deleted = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = deleted.clone();
    let delete_cs = mock!(Cfn::delete_change_set)
        .match_requests(move |r| {
            record.lock().unwrap().push(r.change_set_name().unwrap_or_default().to_string());
            true
        })
        .then_output(|| aws_sdk_cloudformation::operation::delete_change_set::DeleteChangeSetOutput::builder().build());
    let events = events_rule(vec![vec![event("u1", "ApiFunction", "AWS::Lambda::Function", "UPDATE_COMPLETE", None)]]);
    let (create, describe_cs, execute, template) = change_set_rules();
    let aws = aws(&[&describe, &listed, &delete_cs, &events, &create, &describe_cs, &execute, &template]);
    let seen = Seen::default();
    let report = run(&aws, false, &seen).await.expect("deploys");
    assert_eq!(report.status, Outcome::Deployed);
    assert_eq!(*deleted.lock().unwrap(), ["sls-rs-1795000000000", "sls-rs-1795000000001"]);
    assert_eq!(create.num_calls(), 1);
    let said = seen.said.lock().unwrap();
    let left = deploy::Notice::LeftoverChangeSet { name: "sls-rs-1795000000001".into() };
    assert!(said.contains(&left), "{said:?}");
}

/// Credentials that may not read IAM policies: the deploy cannot tell whether `ci github` made a
/// boundary for the stack, says so, and deploys the roles without one (which anyone allowed to
/// make roles without a boundary can); a boundary it can read goes to every role.
#[tokio::test]
async fn a_boundary_that_cannot_be_read_is_said_and_one_that_can_is_passed_on() {
    use aws_sdk_iam::operation::get_policy::GetPolicyOutput;
    let template = r#"{"Parameters":{"PermissionsBoundary":{"Type":"String","Default":""}},"Resources":{}}"#;
    for readable in [false, true] {
        let describe = mock!(Cfn::describe_stacks)
            .sequence()
            .output(|| stack(StackStatus::UpdateComplete))
            .output(|| stack(StackStatus::UpdateComplete))
            .times(100)
            .build();
        let events =
            events_rule(vec![vec![event("e1", "shop-dev", "AWS::CloudFormation::Stack", "UPDATE_COMPLETE", None)]]);
        let (_, describe_cs, execute, get_template) = change_set_rules();
        let sent = std::sync::Arc::new(Mutex::new(None::<String>));
        let seen_by_create = std::sync::Arc::clone(&sent);
        let create = mock!(Cfn::create_change_set)
            .match_requests(move |r| {
                let p = r.parameters().iter().find(|p| p.parameter_key() == Some("PermissionsBoundary"));
                *seen_by_create.lock().unwrap() = p.and_then(|p| p.parameter_value().map(str::to_string));
                true
            })
            .then_output(|| {
                aws_sdk_cloudformation::operation::create_change_set::CreateChangeSetOutput::builder()
                    .id("cs-1")
                    .build()
            });
        let mut aws = aws(&[&describe, &events, &create, &describe_cs, &execute, &get_template]);
        let arn = "arn:aws:iam::123456789012:policy/sls-rs-boundary/shop-dev";
        let policy = if readable {
            mock!(aws_sdk_iam::Client::get_policy)
                .match_requests(move |r| r.policy_arn() == Some(arn))
                .then_output(|| GetPolicyOutput::builder().build())
        } else {
            mock!(aws_sdk_iam::Client::get_policy).then_http_response(|| {
                aws_smithy_runtime_api::http::Response::new(
                    aws_smithy_runtime_api::http::StatusCode::try_from(403).unwrap(),
                    aws_smithy_types::body::SdkBody::from(
                        "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not authorized to perform iam:GetPolicy</Message></Error></ErrorResponse>",
                    ),
                )
            })
        };
        aws.iam = mock_client!(aws_sdk_iam, RuleMode::MatchAny, &[&policy]);
        let seen = Seen::default();
        let notice = |n: deploy::Notice| seen.said.lock().unwrap().push(n);
        let mut on_event = |_: &deploy::watch::StackEvent| {};
        let mut confirm = |_: &[deploy::stack::Change]| true;
        let hooks = deploy::Hooks { notice: &notice, step: &seen.step, event: &mut on_event, confirm: &mut confirm };
        let opts = deploy::Options { no_wait: false };
        let done = deploy::deploy(&aws, &manifest(), template, std::path::Path::new("."), &opts, hooks).await;
        done.expect("deployed");
        let said = seen.said.lock().unwrap();
        let unreadable = said.iter().find_map(|n| match n {
            deploy::Notice::BoundaryUnreadable { arn, reason } => Some((arn.clone(), reason.clone())),
            _ => None,
        });
        if readable {
            assert_eq!(sent.lock().unwrap().as_deref(), Some(arn));
            assert_eq!(unreadable, None);
        } else {
            assert_eq!(sent.lock().unwrap().as_deref(), Some(""));
            let (told, reason) = unreadable.expect("said that it cannot tell");
            assert!(told == arn && reason.contains("AccessDenied"), "{told} {reason}");
        }
    }
}
