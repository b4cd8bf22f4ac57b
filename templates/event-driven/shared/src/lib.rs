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
    fn parses_and_normalises() {
        let s = Signup::parse(br#"{"email":" Ada@Example.com ","name":"Ada"}"#).unwrap();
        assert_eq!(s.email, "ada@example.com");
        assert!(Signup::parse(br#"{"email":"nope","name":"x"}"#).is_err());
        assert!(Signup::parse(br#"{"email":"a@b.io","name":" "}"#).is_err());
        assert!(Signup::parse(b"{}").is_err());
    }
}
