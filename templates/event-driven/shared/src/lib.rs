//! Types and helpers shared by this service's functions.

use serde::{Deserialize, Serialize};

/// A sign-up as the API accepts it and the worker stores it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signup {
    pub email: String,
    pub name: String,
}

impl Signup {
    /// Parses and checks a sign-up request body.
    pub fn parse(body: &[u8]) -> Result<Signup, String> {
        let signup: Signup = serde_json::from_slice(body).map_err(|e| format!("expected {{\"email\", \"name\"}}: {e}"))?;
        let email = signup.email.trim();
        let valid = email.split_once('@').is_some_and(|(user, domain)| !user.is_empty() && domain.contains('.'));
        if !valid {
            return Err(format!("`{email}` is not an email address"));
        }
        if signup.name.trim().is_empty() {
            return Err("`name` is empty".into());
        }
        Ok(Signup { email: email.to_lowercase(), name: signup.name.trim().to_string() })
    }
}

/// An error with every cause on one line (`dispatch failure: io error: Connection refused`).
/// The AWS SDK's own message names only the outermost, which explains nothing on its own, so
/// handlers return this instead of the SDK error itself.
pub fn explain(error: impl std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

/// The environment variable `name`, which sls-rs sets for every resource a function `uses`.
pub fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set: add the resource to `uses` in sls.yaml"))
}

/// JSON logs without timestamps (CloudWatch adds them), filtered by RUST_LOG.
pub fn init_logging() {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .json()
        .without_time()
        .init();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explain_names_every_cause() {
        #[derive(Debug)]
        struct Dispatch(std::io::Error);
        impl std::fmt::Display for Dispatch {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("dispatch failure")
            }
        }
        impl std::error::Error for Dispatch {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                Some(&self.0)
            }
        }
        let refused = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "Connection refused");
        assert_eq!(explain(Dispatch(refused)), "dispatch failure: Connection refused");
    }

    #[test]
    fn parses_and_normalises() {
        let s = Signup::parse(br#"{"email":" Ada@Example.com ","name":"Ada"}"#).unwrap();
        assert_eq!(s.email, "ada@example.com");
        assert!(Signup::parse(br#"{"email":"nope","name":"x"}"#).is_err());
        assert!(Signup::parse(br#"{"email":"a@b.io","name":" "}"#).is_err());
        assert!(Signup::parse(b"{}").is_err());
    }
}
