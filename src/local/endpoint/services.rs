//! Local runtime — the AWS endpoint `dev` runs the backend against: a moto server it starts on
//! a free loopback port (and stops with itself), or one the user names; SDK clients for it, and
//! the environment handlers get so the plain AWS SDK in them talks to it.

use crate::plan::names::LOCAL_ACCOUNT;
use aws_config::{BehaviorVersion, Region};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Which endpoint `dev` uses.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Choice {
    /// Start moto from the sls-rs venv (or PATH).
    Start,
    /// An endpoint the user runs; `remote` is the explicit consent to read queues that are not
    /// on this machine.
    Use { url: String, remote: bool },
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum ServicesError {
    #[error("moto_server is not installed")]
    MotoMissing,
    #[error("{url} is not on this machine; `dev` attaches triggers only to a loopback endpoint")]
    NotLoopback { url: String },
    #[error("cannot start moto_server: {0}")]
    Start(String),
    #[error("the local AWS endpoint {url} did not answer: {reason}")]
    Unreachable { url: String, reason: String },
}

/// Clients for the endpoint, one per service `dev` drives.
#[derive(Clone, Debug)]
pub(crate) struct Clients {
    pub sqs: aws_sdk_sqs::Client,
    pub dynamodb: aws_sdk_dynamodb::Client,
    pub streams: aws_sdk_dynamodbstreams::Client,
    pub sns: aws_sdk_sns::Client,
    pub events: aws_sdk_eventbridge::Client,
    pub s3: aws_sdk_s3::Client,
    pub sts: aws_sdk_sts::Client,
}

/// A running endpoint and how to reach it.
pub(crate) struct Services {
    pub url: String,
    pub region: String,
    pub account: String,
    pub clients: Clients,
    /// Moto's log, when `dev` started it.
    pub log: Option<PathBuf>,
    /// Whether `dev` started the server (and so owns its state and stops it).
    pub started: bool,
    pub remote: bool,
    // Dropping the child kills it: the server lives exactly as long as `dev`.
    _server: Option<tokio::process::Child>,
}

/// The key id every local client signs with; it is no secret. LocalStack files state under the
/// account a 12-digit key id names (moto is told the account when `dev` starts it), so ARNs
/// there name the account sls-rs shows.
const LOCAL_KEY_ID: &str = LOCAL_ACCOUNT;
const LOCAL_SECRET: &str = "sls-rs-local";

impl Services {
    /// Starts or checks the endpoint. Starting moto takes about a second, so `dev` calls this
    /// while its first build runs.
    pub(crate) async fn open(
        choice: &Choice,
        region: &str,
        log_dir: &Path,
        process: &crate::host::process::Process,
    ) -> Result<Services, ServicesError> {
        match choice {
            Choice::Start => {
                let bin = crate::host::tools::find(process, "moto_server").ok_or(ServicesError::MotoMissing)?;
                let port = free_port().map_err(|e| ServicesError::Start(e.to_string()))?;
                let _ = std::fs::create_dir_all(log_dir);
                let log = log_dir.join("moto.log");
                let file =
                    std::fs::File::create(&log).map_err(|e| ServicesError::Start(format!("{}: {e}", log.display())))?;
                let mut cmd = tokio::process::Command::new(bin);
                // The endpoint needs no AWS credentials, and gets none of the developer's: a
                // local server holding real keys is one bug away from using them.
                for (key, _) in process.vars() {
                    if key.to_string_lossy().starts_with("AWS_") {
                        cmd.env_remove(key);
                    }
                }
                cmd.args(["-H", "127.0.0.1", "-p", &port.to_string()])
                    .env("AWS_ACCESS_KEY_ID", LOCAL_KEY_ID)
                    .env("AWS_SECRET_ACCESS_KEY", LOCAL_SECRET)
                    .env("AWS_CONFIG_FILE", "/dev/null")
                    .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
                    .env("MOTO_ACCOUNT_ID", LOCAL_ACCOUNT)
                    .stdin(std::process::Stdio::null())
                    .stdout(std::process::Stdio::null())
                    .stderr(file)
                    // Not in the terminal's process group: Ctrl-C goes to `dev`, which stops
                    // its pollers before the server, so none reports a server that vanished.
                    .process_group(0)
                    .kill_on_drop(true);
                // Dropping the child covers every way out of `dev` but SIGKILL; for that, the
                // kernel stops the server when its parent dies.
                // SAFETY: prctl is async-signal-safe and touches only the child being started.
                unsafe {
                    cmd.pre_exec(|| {
                        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM);
                        Ok(())
                    });
                }
                let child = cmd.spawn().map_err(|e| ServicesError::Start(e.to_string()))?;
                // An IP, not `localhost`: the SDK's S3 client then uses path-style URLs itself.
                let url = format!("http://127.0.0.1:{port}");
                wait_listening(port, Duration::from_secs(30)).await.map_err(|reason| ServicesError::Unreachable {
                    url: url.clone(),
                    reason: format!("{reason} (see {})", log.display()),
                })?;
                let clients = clients(&url, region, false).await;
                Ok(Services {
                    url,
                    region: region.to_string(),
                    account: LOCAL_ACCOUNT.to_string(),
                    clients,
                    log: Some(log),
                    started: true,
                    remote: false,
                    _server: Some(child),
                })
            }
            Choice::Use { url, remote } => {
                let loopback = is_loopback(url);
                if !loopback && !remote {
                    return Err(ServicesError::NotLoopback { url: url.clone() });
                }
                // A remote endpoint is reached with the developer's own credentials; a local one
                // with the local account's, so moto files state where sls-rs looks for it.
                let clients = clients(url, region, !loopback).await;
                let account = match clients.sts.get_caller_identity().send().await {
                    Ok(who) => who.account().unwrap_or(LOCAL_ACCOUNT).to_string(),
                    Err(e) => {
                        let reason = crate::aws::explain(&e);
                        return Err(ServicesError::Unreachable { url: url.clone(), reason });
                    }
                };
                Ok(Services {
                    url: url.clone(),
                    region: region.to_string(),
                    account,
                    clients,
                    log: None,
                    started: false,
                    remote: !loopback,
                    _server: None,
                })
            }
        }
    }

    /// What every handler gets on top of its own environment: the endpoint (at `url`: the
    /// tracing proxy in front of it, for a local one), and credentials that work there. Local
    /// credentials replace the developer's, so nothing run by `dev` can reach a real account
    /// by accident.
    pub(crate) fn handler_env(&self, url: &str) -> Vec<(String, String)> {
        let mut env = vec![("AWS_ENDPOINT_URL".to_string(), url.to_string())];
        if !self.remote {
            env.push(("AWS_ACCESS_KEY_ID".into(), LOCAL_KEY_ID.into()));
            env.push(("AWS_SECRET_ACCESS_KEY".into(), LOCAL_SECRET.into()));
        }
        env
    }
}

async fn clients(url: &str, region: &str, remote: bool) -> Clients {
    let mut loader =
        aws_config::defaults(BehaviorVersion::latest()).region(Region::new(region.to_string())).endpoint_url(url);
    if !remote {
        let creds = aws_credential_types::Credentials::new(LOCAL_KEY_ID, LOCAL_SECRET, None, None, "sls-rs-local");
        loader = loader.credentials_provider(creds);
    }
    let conf = loader.load().await;
    Clients {
        sqs: aws_sdk_sqs::Client::new(&conf),
        dynamodb: aws_sdk_dynamodb::Client::new(&conf),
        streams: aws_sdk_dynamodbstreams::Client::new(&conf),
        sns: aws_sdk_sns::Client::new(&conf),
        events: aws_sdk_eventbridge::Client::new(&conf),
        s3: aws_sdk_s3::Client::from_conf(aws_sdk_s3::config::Builder::from(&conf).force_path_style(true).build()),
        sts: aws_sdk_sts::Client::new(&conf),
    }
}

fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind(("127.0.0.1", 0))?.local_addr()?.port())
}

async fn wait_listening(port: u16, limit: Duration) -> Result<(), String> {
    let deadline = Instant::now() + limit;
    loop {
        match tokio::net::TcpStream::connect(("127.0.0.1", port)).await {
            Ok(_) => return Ok(()),
            Err(e) if Instant::now() > deadline => return Err(format!("not listening after {limit:?}: {e}")),
            Err(_) => tokio::time::sleep(Duration::from_millis(25)).await,
        }
    }
}

/// Whether `url` names this machine: `localhost`, `127.0.0.0/8` or `::1`.
pub(crate) fn is_loopback(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    let host = host.to_ascii_lowercase();
    host == "localhost"
        || host.ends_with(".localhost")
        || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::is_loopback;

    #[test]
    fn only_this_machine_counts_as_loopback() {
        for url in
            ["http://localhost:4566", "http://127.0.0.1:5000/", "http://[::1]:5000", "http://127.1.2.3", "LOCALHOST:1"]
        {
            assert!(is_loopback(url), "{url}");
        }
        for url in [
            "https://sqs.eu-west-1.amazonaws.com",
            "http://10.0.0.5:4566",
            "http://localhost.evil.com:4566",
            "http://127.0.0.1.nip.io",
            "http://user@example.com",
        ] {
            assert!(!is_loopback(url), "{url}");
        }
    }
}
