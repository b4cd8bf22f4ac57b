//! Deploy stage: other services' outputs, read from their stacks at deploy time and passed in
//! as template parameters — no `Fn::ImportValue`, so no export lock between stacks, and a
//! consumer's parameters record which values it was deployed with.

use super::DeployError;
use crate::aws::{Aws, CallError};
use crate::plan::ReferencePlan;
use serde_json::Value;
use std::collections::BTreeMap;

/// The parameter values for `references`, read from each producer's stack.
pub async fn resolve(aws: &Aws, references: &[ReferencePlan]) -> Result<BTreeMap<String, String>, DeployError> {
    let mut by_stack: BTreeMap<&str, BTreeMap<String, String>> = BTreeMap::new();
    let mut out = BTreeMap::new();
    for r in references {
        if !by_stack.contains_key(r.stack.as_str()) {
            let outputs = read(aws, &r.stack)
                .await?
                .ok_or_else(|| DeployError::ProducerMissing { service: r.service.clone(), stack: r.stack.clone() })?;
            by_stack.insert(&r.stack, outputs);
        }
        let value = by_stack[r.stack.as_str()].get(&r.output).ok_or_else(|| DeployError::OutputMissing {
            service: r.service.clone(),
            stack: r.stack.clone(),
            output: r.output.clone(),
        })?;
        out.insert(r.parameter.clone(), value.clone());
    }
    Ok(out)
}

/// A stack's outputs, or `None` when there is no such stack. CloudFormation reports them on
/// a complete stack; an endpoint that leaves some out (moto after a change set) has them
/// evaluated here from the deployed template and the stack's resources, so the answer is
/// still what the stack holds, never what the local config says it should.
pub(crate) async fn read(aws: &Aws, stack: &str) -> Result<Option<BTreeMap<String, String>>, CallError> {
    let Some(state) = super::stack::describe(&aws.cfn, stack).await? else { return Ok(None) };
    let mut outputs = state.outputs;
    let template: Value = super::stack::current_template(&aws.cfn, stack)
        .await?
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let declared = template["Outputs"].as_object().cloned().unwrap_or_default();
    if declared.keys().all(|k| outputs.contains_key(k)) {
        return Ok(Some(outputs));
    }
    let resources = super::stack::resources(&aws.cfn, stack).await?;
    let physical: BTreeMap<String, (String, String)> = resources
        .iter()
        .filter_map(|r| {
            let id = r.logical_resource_id()?.to_string();
            Some((id, (r.physical_resource_id()?.to_string(), r.resource_type()?.to_string())))
        })
        .collect();
    let account = aws.account_id().await?;
    let ctx = Eval { physical: &physical, parameters: &state.parameters, region: &aws.region, account: &account };
    for (key, body) in declared {
        if let std::collections::btree_map::Entry::Vacant(slot) = outputs.entry(key) {
            if let Some(v) = ctx.eval(&body["Value"]) {
                slot.insert(v);
            }
        }
    }
    Ok(Some(outputs))
}

struct Eval<'a> {
    /// Logical id → (physical id, type).
    physical: &'a BTreeMap<String, (String, String)>,
    parameters: &'a BTreeMap<String, String>,
    region: &'a str,
    account: &'a str,
}

impl Eval<'_> {
    /// The forms sls-rs's own outputs use (and plain text); anything else stays unknown.
    fn eval(&self, v: &Value) -> Option<String> {
        if let Some(s) = v.as_str() {
            return Some(s.to_string());
        }
        if let Some(id) = v["Ref"].as_str() {
            return self.parameters.get(id).or_else(|| self.physical.get(id).map(|(p, _)| p)).cloned();
        }
        let att = v["Fn::GetAtt"].as_array()?;
        let (id, attr) = (att.first()?.as_str()?, att.get(1)?.as_str()?);
        let (physical, kind) = self.physical.get(id)?;
        let (region, account) = (self.region, self.account);
        match (kind.as_str(), attr) {
            ("AWS::SQS::Queue", "Arn") => {
                Some(format!("arn:aws:sqs:{region}:{account}:{}", physical.rsplit('/').next()?))
            }
            ("AWS::SQS::Queue", "QueueName") => physical.rsplit('/').next().map(str::to_string),
            ("AWS::DynamoDB::Table", "Arn") => Some(format!("arn:aws:dynamodb:{region}:{account}:table/{physical}")),
            ("AWS::S3::Bucket", "Arn") => Some(format!("arn:aws:s3:::{physical}")),
            ("AWS::SNS::Topic", "TopicArn") => Some(physical.clone()),
            ("AWS::Lambda::Function", "Arn") => Some(format!("arn:aws:lambda:{region}:{account}:function:{physical}")),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn outputs_left_out_are_evaluated_from_the_stacks_resources() {
        let physical = BTreeMap::from([
            (
                "JobsQueue".to_string(),
                ("https://sqs.eu-west-1.amazonaws.com/1/shop-dev-jobs".into(), "AWS::SQS::Queue".into()),
            ),
            ("UsersTable".to_string(), ("shop-dev-users".into(), "AWS::DynamoDB::Table".into())),
        ]);
        let parameters = BTreeMap::from([("Version".to_string(), "7".to_string())]);
        let e = Eval { physical: &physical, parameters: &parameters, region: "eu-west-1", account: "1" };
        assert_eq!(
            e.eval(&json!({"Ref": "JobsQueue"})).unwrap(),
            "https://sqs.eu-west-1.amazonaws.com/1/shop-dev-jobs"
        );
        assert_eq!(
            e.eval(&json!({"Fn::GetAtt": ["JobsQueue", "Arn"]})).unwrap(),
            "arn:aws:sqs:eu-west-1:1:shop-dev-jobs"
        );
        assert_eq!(
            e.eval(&json!({"Fn::GetAtt": ["UsersTable", "Arn"]})).unwrap(),
            "arn:aws:dynamodb:eu-west-1:1:table/shop-dev-users"
        );
        assert_eq!(e.eval(&json!({"Ref": "Version"})).unwrap(), "7");
        assert_eq!(e.eval(&json!("v2")).unwrap(), "v2");
        // Not guessed: an output sls-rs cannot evaluate is missing, and deploy says so.
        assert_eq!(e.eval(&json!({"Fn::Sub": "https://${HttpApi}.example"})), None);
        assert_eq!(e.eval(&json!({"Ref": "Gone"})), None);
    }
}
