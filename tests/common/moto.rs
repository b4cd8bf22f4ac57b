//! A moto server on a free loopback port for one test binary, driven through the real SDK.
#![allow(dead_code)] // each test binary uses a different part

use super::{wait, Run};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub struct Moto {
    child: Child,
    pub endpoint: String,
}

impl Moto {
    pub fn start() -> Moto {
        Moto::start_on(wait::free_port())
    }

    /// On a given port, for what must be reached at a well-known one.
    pub fn start_on(port: u16) -> Moto {
        let bin = crate::common::venv().join("bin/moto_server");
        assert!(bin.exists(), "moto_server not found at {}: run ./install.sh first", bin.display());
        let log = std::fs::File::create(std::env::temp_dir().join(format!("moto-{port}.log"))).unwrap();
        let child = Command::new(bin)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("moto_server starts");
        wait::listening(&format!("moto to listen on {port}"), port, Duration::from_secs(60));
        // S3 URLs in templates must say localhost; Lambda must run without Docker.
        let endpoint = format!("http://localhost:{port}");
        ureq::post(&format!("{endpoint}/moto-api/config"))
            .send(r#"{"lambda":{"use_docker":false}}"#)
            .expect("moto accepts its config");
        Moto { child, endpoint }
    }

    /// Environment for an sls-rs process (or SDK client) talking to this server.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AWS_ENDPOINT_URL", self.endpoint.clone()),
            ("AWS_ACCESS_KEY_ID", "testing".into()),
            ("AWS_SECRET_ACCESS_KEY", "testing".into()),
            ("AWS_REGION", "us-east-1".into()),
            ("AWS_CONFIG_FILE", "/nonexistent".into()),
            ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent".into()),
        ]
    }

    /// `sls-rs` in `dir` (see `common::command`) talking to this server.
    pub fn command(&self, dir: &Path) -> Command {
        let mut cmd = super::command(dir);
        cmd.envs(self.env());
        cmd
    }

    /// `sls-rs args` in `dir` against this server, run to its end.
    #[track_caller]
    pub fn sls(&self, dir: &Path, args: &[&str]) -> Run {
        Run::from(self.command(dir).args(args).output().expect("sls-rs runs"))
    }

    /// What moto's Docker-free Lambda answers to the next invocation in this account/region.
    pub fn queue_lambda_result(&self, payload: &str) {
        let body = serde_json::json!({"account_id": "123456789012", "region": "us-east-1", "results": [payload]});
        ureq::post(&format!("{}/moto-api/static/lambda-simple/response", self.endpoint))
            .send(body.to_string())
            .expect("moto queues the Lambda result");
    }

    pub async fn sdk_config(&self) -> aws_config::SdkConfig {
        aws_config::defaults(aws_config::BehaviorVersion::latest())
            .endpoint_url(&self.endpoint)
            .region(aws_config::Region::new("us-east-1"))
            .credentials_provider(aws_sdk_s3::config::Credentials::new("testing", "testing", None, None, "test"))
            .load()
            .await
    }

    /// `sdk_config` for a test that is not async.
    pub fn sdk(&self) -> aws_config::SdkConfig {
        super::rt().block_on(self.sdk_config())
    }

    /// A stack's status as CloudFormation reports it; `None` when there is no such stack.
    pub fn stack_status(&self, name: &str) -> Option<String> {
        let rt = super::rt();
        let cfn = aws_sdk_cloudformation::Client::new(&rt.block_on(self.sdk_config()));
        let out = rt.block_on(cfn.describe_stacks().stack_name(name).send()).ok()?;
        out.stacks().first().and_then(|s| s.stack_status()).map(|s| s.as_str().to_string())
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
