//! Beside the pipeline — AWS plumbing shared by deploy, logs, info and invoke: one place that
//! turns `--profile`, `--region` and `AWS_ENDPOINT_URL` into SDK clients through the standard
//! credential chain (failing early when they cannot work), typed call errors, the classification
//! of CloudFormation statuses, and the adaptive polling interval.

mod backoff;
mod error;
pub mod status;

pub(crate) use backoff::Backoff;
pub(crate) use error::{explain, CallError};

use aws_config::{BehaviorVersion, Region};
use aws_credential_types::provider::ProvideCredentials;

/// The region the SDK's environment names (`AWS_REGION`, then `AWS_DEFAULT_REGION`); an empty
/// value counts as unset, as the SDK counts it.
pub(crate) fn env_region(process: &crate::host::process::Process) -> Option<String> {
    ["AWS_REGION", "AWS_DEFAULT_REGION"].into_iter().find_map(|k| process.var(k)).map(str::to_string)
}

/// The clients every AWS-facing command uses, for one account and region.
#[derive(Clone, Debug)]
pub struct Aws {
    pub region: String,
    pub cfn: aws_sdk_cloudformation::Client,
    pub s3: aws_sdk_s3::Client,
    pub lambda: aws_sdk_lambda::Client,
    pub logs: aws_sdk_cloudwatchlogs::Client,
    pub sts: aws_sdk_sts::Client,
    /// `remove`: whether a table it would delete holds items.
    pub dynamodb: aws_sdk_dynamodb::Client,
    /// `ci github`: the account's OIDC provider for GitHub, and the role it made.
    pub iam: aws_sdk_iam::Client,
    /// Set when talking to an emulator or a custom endpoint (S3 then uses path-style URLs).
    pub endpoint: Option<String>,
}

/// What keeps sls-rs from talking to AWS at all, every problem found, not only the first.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.problems().join("; "))]
pub(crate) struct AwsError {
    pub no_region: bool,
    /// Why no credentials resolved, when none did.
    pub no_credentials: Option<String>,
}

impl AwsError {
    pub(crate) fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.no_region {
            out.push("no AWS region is set".to_string());
        }
        if let Some(why) = &self.no_credentials {
            out.push(format!("no AWS credentials: {why}"));
        }
        out
    }
}

pub(crate) struct Settings<'a> {
    pub profile: Option<&'a str>,
    pub region: Option<&'a str>,
    pub endpoint: Option<&'a str>,
}

impl Aws {
    /// Loads configuration and checks that credentials resolve, before any work starts.
    pub(crate) async fn connect(s: Settings<'_>) -> Result<Aws, AwsError> {
        let mut loader = aws_config::defaults(BehaviorVersion::latest());
        if let Some(p) = s.profile {
            loader = loader.profile_name(p);
        }
        if let Some(r) = s.region {
            loader = loader.region(Region::new(r.to_string()));
        }
        let endpoint = s.endpoint.map(str::to_string);
        if let Some(e) = &endpoint {
            loader = loader.endpoint_url(e);
        }
        let conf = loader.load().await;
        let region = conf.region().map(|r| r.to_string());
        let credentials = match conf.credentials_provider() {
            Some(provider) => provider.provide_credentials().await.err().map(|e| e.to_string()),
            None => Some("no credential provider".to_string()),
        };
        let region = match (region, credentials) {
            (Some(region), None) => region,
            (region, no_credentials) => return Err(AwsError { no_region: region.is_none(), no_credentials }),
        };
        let s3_conf = aws_sdk_s3::config::Builder::from(&conf).force_path_style(endpoint.is_some()).build();
        Ok(Aws {
            region,
            cfn: aws_sdk_cloudformation::Client::new(&conf),
            s3: aws_sdk_s3::Client::from_conf(s3_conf),
            lambda: aws_sdk_lambda::Client::new(&conf),
            logs: aws_sdk_cloudwatchlogs::Client::new(&conf),
            sts: aws_sdk_sts::Client::new(&conf),
            dynamodb: aws_sdk_dynamodb::Client::new(&conf),
            iam: aws_sdk_iam::Client::new(&conf),
            endpoint,
        })
    }

    pub(crate) async fn account_id(&self) -> Result<String, CallError> {
        Ok(self.caller().await?.account)
    }

    /// Who the credentials are: the account, and the partition ARNs are written in.
    pub(crate) async fn caller(&self) -> Result<Caller, CallError> {
        let who = self.sts.get_caller_identity().send().await?;
        let account = who.account().ok_or_else(|| CallError::other("STS did not return an account id"))?;
        // `arn:aws-cn:sts::…`: the second field of the caller's own ARN.
        let partition = who.arn().and_then(|a| a.split(':').nth(1)).filter(|p| !p.is_empty()).unwrap_or("aws");
        Ok(Caller { account: account.to_string(), partition: partition.to_string() })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Caller {
    pub account: String,
    pub partition: String,
}
