//! Local runtime: the stage's tables, queues (with dead-letter queues and redrive), buckets and
//! topics created on the local endpoint, and the wiring that brings uploads, topic messages and
//! matching events to sls-rs — each into a relay queue of its own, never into the endpoint's
//! own Lambda (which cannot run our handlers and would swallow them).

use crate::config::model::{EventKind, ResourceKind};
use crate::local::endpoint::services::Services;
use crate::local::triggers::{Relay, Source, Trigger};
use crate::plan::{Plan, ResourcePlan};
use std::collections::BTreeMap;

#[derive(Debug, thiserror::Error)]
#[error("cannot create {what} on the local endpoint: {reason}")]
pub(crate) struct ProvisionError {
    pub what: String,
    pub reason: String,
}

/// What exists on the endpoint once provisioning is done.
#[derive(Debug, Default)]
pub(crate) struct Provisioned {
    /// A resource's logical id → the value its environment variable holds there.
    pub addresses: BTreeMap<String, String>,
    pub triggers: Vec<Trigger>,
    /// Table name → its stream's ARN.
    streams: BTreeMap<String, String>,
    /// Queue logical id → (URL, ARN).
    queues: BTreeMap<String, (String, String)>,
}

fn failed<E>(what: impl Into<String>) -> impl FnOnce(aws_sdk_sqs::error::SdkError<E>) -> ProvisionError
where
    E: aws_sdk_sqs::error::ProvideErrorMetadata + std::error::Error + 'static,
{
    let what = what.into();
    move |e| ProvisionError { what, reason: crate::aws::explain(&e) }
}

/// A request sls-rs built wrong (a bug, but said as any failure is).
fn invalid(what: impl Into<String>) -> impl FnOnce(aws_sdk_sqs::error::BuildError) -> ProvisionError {
    let what = what.into();
    move |e| ProvisionError { what, reason: e.to_string() }
}

/// Creates everything `plan` declares (what exists already is kept: an endpoint the user runs
/// may hold state from an earlier session) and the relays its triggers need.
pub(crate) async fn provision(plan: &Plan, s: &Services) -> Result<Provisioned, ProvisionError> {
    let mut out = Provisioned::default();
    for r in &plan.resources {
        let address = match r.kind {
            ResourceKind::Table => table(plan, r, s, &mut out).await?,
            ResourceKind::Queue => queue(plan, r, s, &mut out).await?,
            ResourceKind::Bucket => bucket(r, s).await?,
            ResourceKind::Topic => {
                let what = format!("topic `{}`", r.name);
                let made = s.clients.sns.create_topic().name(&r.physical_name).send().await.map_err(failed(what))?;
                made.topic_arn().unwrap_or_default().to_string()
            }
        };
        out.addresses.insert(r.logical_id.clone(), address);
    }
    triggers(plan, s, &mut out).await?;
    Ok(out)
}

async fn table(plan: &Plan, r: &ResourcePlan, s: &Services, out: &mut Provisioned) -> Result<String, ProvisionError> {
    use aws_sdk_dynamodb::types::*;
    let t = &plan.config.resources.tables[&r.name];
    let what = format!("table `{}`", r.name);
    let mut create =
        s.clients.dynamodb.create_table().table_name(&r.physical_name).billing_mode(BillingMode::PayPerRequest);
    for (attr, key_type) in std::iter::once((&t.key, KeyType::Hash)).chain(t.sort.as_ref().map(|k| (k, KeyType::Range)))
    {
        let definition = AttributeDefinition::builder()
            .attribute_name(&attr.name)
            .attribute_type(ScalarAttributeType::from(attr.kind.as_str()))
            .build()
            .map_err(invalid(what.clone()))?;
        let key = KeySchemaElement::builder()
            .attribute_name(&attr.name)
            .key_type(key_type)
            .build()
            .map_err(invalid(what.clone()))?;
        create = create.attribute_definitions(definition).key_schema(key);
    }
    if let Some(view) = &t.stream {
        let spec = StreamSpecification::builder()
            .stream_enabled(true)
            .stream_view_type(StreamViewType::from(view.as_str()))
            .build()
            .map_err(invalid(what.clone()))?;
        create = create.stream_specification(spec);
    }
    let made = match create.send().await {
        Ok(made) => made.table_description,
        Err(e) if e.as_service_error().is_some_and(|e| e.is_resource_in_use_exception()) => {
            let found = s.clients.dynamodb.describe_table().table_name(&r.physical_name).send().await;
            found.map_err(failed(what))?.table
        }
        Err(e) => return Err(failed(what)(e)),
    };
    if let Some(arn) = made.and_then(|t| t.latest_stream_arn) {
        out.streams.insert(r.name.clone(), arn);
    }
    Ok(r.physical_name.clone())
}

async fn queue(plan: &Plan, r: &ResourcePlan, s: &Services, out: &mut Provisioned) -> Result<String, ProvisionError> {
    use aws_sdk_sqs::types::QueueAttributeName as A;
    let q = &plan.config.resources.queues[&r.name];
    let mut attrs = vec![(A::VisibilityTimeout, r.visibility_timeout.unwrap_or(30).to_string())];
    if q.fifo {
        attrs.push((A::FifoQueue, "true".into()));
    }
    if let Some(delay) = q.delay {
        attrs.push((A::DelaySeconds, delay.to_string()));
    }
    if let Some(retention) = q.retention {
        attrs.push((A::MessageRetentionPeriod, retention.to_string()));
    }
    if let (Some(dlq), Some(dl)) = (&r.dead_letter, &q.dead_letter) {
        let mut dlq_attrs = vec![(A::MessageRetentionPeriod, "1209600".to_string())];
        if q.fifo {
            dlq_attrs.push((A::FifoQueue, "true".into()));
        }
        let what = format!("the dead-letter queue of `{}`", r.name);
        let (url, arn) = create_queue(s, &dlq.physical_name, dlq_attrs, &what).await?;
        out.addresses.insert(dlq.logical_id.clone(), url.clone());
        out.queues.insert(dlq.logical_id.clone(), (url, arn.clone()));
        let redrive = serde_json::json!({"deadLetterTargetArn": arn, "maxReceiveCount": dl.max_receives});
        attrs.push((A::RedrivePolicy, redrive.to_string()));
    }
    let (url, arn) = create_queue(s, &r.physical_name, attrs, &format!("queue `{}`", r.name)).await?;
    out.queues.insert(r.logical_id.clone(), (url.clone(), arn));
    Ok(url)
}

/// Creates a queue (or finds the one there) and returns its URL and ARN.
async fn create_queue(
    s: &Services,
    name: &str,
    attrs: Vec<(aws_sdk_sqs::types::QueueAttributeName, String)>,
    what: &str,
) -> Result<(String, String), ProvisionError> {
    use aws_sdk_sqs::types::QueueAttributeName as A;
    let mut create = s.clients.sqs.create_queue().queue_name(name);
    for (k, v) in attrs {
        create = create.attributes(k, v);
    }
    let url = create.send().await.map_err(failed(what))?.queue_url.unwrap_or_default();
    let got = s.clients.sqs.get_queue_attributes().queue_url(&url).attribute_names(A::QueueArn).send().await;
    let arn = got.map_err(failed(what))?.attributes.and_then(|mut a| a.remove(&A::QueueArn)).unwrap_or_default();
    Ok((url, arn))
}

async fn bucket(r: &ResourcePlan, s: &Services) -> Result<String, ProvisionError> {
    use aws_sdk_s3::types::{BucketLocationConstraint, CreateBucketConfiguration};
    let name = r.name_in(&s.account);
    let mut create = s.clients.s3.create_bucket().bucket(&name);
    // us-east-1 is the one region S3 refuses to be told about.
    if s.region != "us-east-1" {
        let at = BucketLocationConstraint::from(s.region.as_str());
        create =
            create.create_bucket_configuration(CreateBucketConfiguration::builder().location_constraint(at).build());
    }
    match create.send().await {
        Ok(_) => Ok(name),
        Err(e) if e.as_service_error().is_some_and(|e| e.is_bucket_already_owned_by_you()) => Ok(name),
        Err(e) => Err(failed(format!("bucket `{}`", r.name))(e)),
    }
}

async fn triggers(plan: &Plan, s: &Services, out: &mut Provisioned) -> Result<(), ProvisionError> {
    use aws_sdk_s3::types::{
        Event, FilterRule, FilterRuleName, NotificationConfigurationFilter, QueueConfiguration, S3KeyFilter,
    };
    let mut notifications: BTreeMap<String, Vec<QueueConfiguration>> = BTreeMap::new();
    for (decl, f) in plan.each_function() {
        for (i, e) in decl.events.iter().enumerate() {
            let what = || format!("the relay for `{}`'s {} event", f.name, e.kind.name());
            // What the event names, as provisioned above (validation has refused a name that
            // nothing declares; this says so rather than assume it).
            let missing = |kind: ResourceKind, name: &str| ProvisionError {
                what: what(),
                reason: format!("no {} `{name}` was made", kind.noun()),
            };
            let made = |kind: ResourceKind, name: &str| plan.resource(kind, name).ok_or_else(|| missing(kind, name));
            let source = match &e.kind {
                EventKind::Http { .. } => continue,
                EventKind::Queue { queue, batch_size, batch_window } => {
                    let r = made(ResourceKind::Queue, queue)?;
                    let (url, arn) =
                        out.queues.get(&r.logical_id).cloned().ok_or_else(|| missing(ResourceKind::Queue, queue))?;
                    let max_receives = plan.config.resources.queues[queue].dead_letter.as_ref().map(|d| d.max_receives);
                    let (batch_size, window) = (*batch_size, batch_window.unwrap_or(0));
                    Source::Queue { name: queue.clone(), url, arn, batch_size, window, max_receives }
                }
                EventKind::Stream { table, batch_size, starting_position } => {
                    let Some(arn) = out.streams.get(table).cloned() else {
                        return Err(ProvisionError { what: what(), reason: format!("table `{table}` has no stream") });
                    };
                    let from_start = *starting_position == crate::config::StartingPosition::TrimHorizon;
                    Source::Stream { table: table.clone(), arn, batch_size: *batch_size, from_start }
                }
                EventKind::Schedule { expression, enabled, input } => Source::Schedule {
                    expression: Box::new(expression.clone()),
                    enabled: *enabled,
                    input: input.clone(),
                },
                EventKind::Upload { bucket, prefix, suffix } => {
                    let (url, arn) =
                        create_queue(s, &crate::plan::names::relay_name(&f.physical_name, i), Vec::new(), &what())
                            .await?;
                    let mut rules = Vec::new();
                    for (name, value) in [(FilterRuleName::Prefix, prefix), (FilterRuleName::Suffix, suffix)] {
                        if let Some(v) = value {
                            rules.push(FilterRule::builder().name(name).value(v).build());
                        }
                    }
                    let mut config =
                        QueueConfiguration::builder().queue_arn(arn).events(Event::from("s3:ObjectCreated:*"));
                    if !rules.is_empty() {
                        let key = S3KeyFilter::builder().set_filter_rules(Some(rules)).build();
                        config = config.filter(NotificationConfigurationFilter::builder().key(key).build());
                    }
                    let r = made(ResourceKind::Bucket, bucket)?;
                    notifications
                        .entry(r.name_in(&s.account))
                        .or_default()
                        .push(config.build().map_err(invalid(what()))?);
                    Source::Relay { url, relay: Relay::Upload { bucket: bucket.clone() } }
                }
                EventKind::Topic { topic, filter_policy } => {
                    let (url, arn) =
                        create_queue(s, &crate::plan::names::relay_name(&f.physical_name, i), Vec::new(), &what())
                            .await?;
                    let topic_id = &made(ResourceKind::Topic, topic)?.logical_id;
                    let topic_arn = out.addresses.get(topic_id).ok_or_else(|| missing(ResourceKind::Topic, topic))?;
                    let mut sub = s.clients.sns.subscribe().topic_arn(topic_arn).protocol("sqs").endpoint(arn);
                    if let Some(policy) = filter_policy {
                        sub = sub.attributes("FilterPolicy", policy.to_string());
                    }
                    sub.send().await.map_err(failed(what()))?;
                    Source::Relay { url, relay: Relay::Topic { topic: topic.clone() } }
                }
                EventKind::EventBridge { pattern, bus } => {
                    let name = crate::plan::names::relay_name(&f.physical_name, i);
                    let (url, arn) = create_queue(s, &name, Vec::new(), &what()).await?;
                    let bus = bus.clone().unwrap_or_else(|| "default".into());
                    if bus != "default" {
                        // Made if missing; an existing bus is fine.
                        let _ = s.clients.events.create_event_bus().name(&bus).send().await;
                    }
                    let rule =
                        s.clients.events.put_rule().name(&name).event_bus_name(&bus).event_pattern(pattern.to_string());
                    rule.send().await.map_err(failed(what()))?;
                    let target = aws_sdk_eventbridge::types::Target::builder().id("sls-rs").arn(arn).build();
                    let target = target.map_err(invalid(what()))?;
                    let put = s.clients.events.put_targets().rule(&name).event_bus_name(&bus).targets(target);
                    put.send().await.map_err(failed(what()))?;
                    Source::Relay { url, relay: Relay::EventBridge { bus } }
                }
            };
            out.triggers.push(Trigger { function: f.name.clone(), source });
        }
    }
    for (bucket, configs) in notifications {
        let config =
            aws_sdk_s3::types::NotificationConfiguration::builder().set_queue_configurations(Some(configs)).build();
        let put =
            s.clients.s3.put_bucket_notification_configuration().bucket(&bucket).notification_configuration(config);
        put.send().await.map_err(failed(format!("the upload notifications of bucket {bucket}")))?;
    }
    Ok(())
}
