//! Deploy stage (read-only, for `diff`): what changes inside a resource between the template a
//! stack holds and the one synthesized now — property paths with their old and new values, as
//! `cdk diff` shows them, instead of only the resource's name.

use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub(crate) struct PropertyChange {
    /// Where in the resource: `Properties.MemorySize`, `Properties.Environment.Variables.TABLE`,
    /// `Properties.Layers[0]`.
    pub path: String,
    /// `None`: the property is new.
    pub old: Option<Value>,
    /// `None`: the property is gone.
    pub new: Option<Value>,
}

/// Every leaf that differs between two versions of one resource, in the new version's key
/// order (keys only the old one has come last, as removals).
pub(crate) fn property_changes(old: &Value, new: &Value) -> Vec<PropertyChange> {
    let mut out = Vec::new();
    walk(String::new(), old, new, &mut out);
    out
}

fn walk(path: String, old: &Value, new: &Value, out: &mut Vec<PropertyChange>) {
    if old == new {
        return;
    }
    match (old, new) {
        // An intrinsic (`Ref`, `Fn::GetAtt`, `Fn::Sub`, ...) is one value: a path into its
        // arguments would name nothing a user wrote.
        (Value::Object(a), Value::Object(b)) if !intrinsic(a) && !intrinsic(b) => {
            for (key, value) in b {
                let at = join(&path, key);
                match a.get(key) {
                    Some(before) => walk(at, before, value, out),
                    None => out.push(PropertyChange { path: at, old: None, new: Some(value.clone()) }),
                }
            }
            for (key, value) in a.iter().filter(|(k, _)| !b.contains_key(*k)) {
                out.push(PropertyChange { path: join(&path, key), old: Some(value.clone()), new: None });
            }
        }
        // Same length: element by element. Otherwise an insertion would shift every later
        // element into a "change"; the list is shown whole instead.
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (before, after)) in a.iter().zip(b).enumerate() {
                walk(format!("{path}[{i}]"), before, after, out);
            }
        }
        _ => out.push(PropertyChange { path, old: Some(old.clone()), new: Some(new.clone()) }),
    }
}

/// What `diff` shows in place of a value whose name looks secret.
pub(crate) const MASKED: &str = "***";

/// Words that make an environment variable's value a secret to keep off screens and logs
/// (`DB_PASSWORD`, `STRIPE_API_KEY`, `GITHUB_TOKEN`, `JWT_SECRET`, `DATABASE_DSN`, ...).
const SECRET_WORDS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "PASSPHRASE",
    "SECRET",
    "TOKEN",
    "CREDENTIAL",
    "PRIVATE",
    "APIKEY",
    "AUTH",
    "DSN",
    "COOKIE",
    "SIGNING",
];

/// Whether a variable's name says its value is secret: one of `SECRET_WORDS` in it, or `KEY`
/// as a word of its own (`API_KEY`, `ACCESS_KEY`; not `MONKEY`).
pub(crate) fn looks_secret(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    SECRET_WORDS.iter().any(|w| upper.contains(w))
        || upper.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| w == "KEY")
}

/// `changes` with the values of environment variables whose names look secret shown as
/// `***`, in human and JSON output alike: a diff ends up in CI logs and pull requests.
pub(crate) fn masked(changes: Vec<PropertyChange>) -> Vec<PropertyChange> {
    changes
        .into_iter()
        .map(|mut c| {
            let mut segments = c.path.rsplit('.');
            let (last, parent) = (segments.next().unwrap_or_default(), segments.next());
            if parent == Some("Variables") && looks_secret(last) {
                c.old = c.old.map(|_| Value::String(MASKED.into()));
                c.new = c.new.map(|_| Value::String(MASKED.into()));
            } else {
                let in_variables = last == "Variables";
                c.old = c.old.map(|v| mask_value(v, in_variables));
                c.new = c.new.map(|v| mask_value(v, in_variables));
            }
            c
        })
        .collect()
}

/// `value` with every secret-looking variable inside a `Variables` map masked.
fn mask_value(value: Value, variables: bool) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let v = if variables && looks_secret(&k) {
                        Value::String(MASKED.into())
                    } else {
                        mask_value(v, k == "Variables")
                    };
                    (k, v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(|v| mask_value(v, false)).collect()),
        other => other,
    }
}

fn intrinsic(map: &Map<String, Value>) -> bool {
    map.len() == 1 && map.keys().all(|k| k == "Ref" || k == "Condition" || k.starts_with("Fn::"))
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// A value on one line, cut to `max` characters: `256`, `"dev"`, `{"Ref":"Queue"}`, `(none)`.
pub(crate) fn render(value: Option<&Value>, max: usize) -> String {
    let Some(v) = value else { return "(none)".to_string() };
    let text = v.to_string();
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn paths(old: Value, new: Value) -> Vec<(String, String, String)> {
        property_changes(&old, &new)
            .into_iter()
            .map(|c| (c.path, render(c.old.as_ref(), 40), render(c.new.as_ref(), 40)))
            .collect()
    }

    #[test]
    fn a_memory_change_is_one_path_with_both_values() {
        let old = json!({"Type": "AWS::Lambda::Function", "Properties": {"MemorySize": 256, "Timeout": 10}});
        let new = json!({"Type": "AWS::Lambda::Function", "Properties": {"MemorySize": 512, "Timeout": 10}});
        assert_eq!(paths(old, new), [("Properties.MemorySize".into(), "256".into(), "512".into())]);
    }

    #[test]
    fn added_and_removed_keys_say_none_on_their_missing_side() {
        let old = json!({"Properties": {"Environment": {"Variables": {"OLD": "1", "KEEP": "k"}}}});
        let new = json!({"Properties": {"Environment": {"Variables": {"KEEP": "k", "NEW": "2"}}}});
        assert_eq!(
            paths(old, new),
            [
                ("Properties.Environment.Variables.NEW".into(), "(none)".into(), "\"2\"".into()),
                ("Properties.Environment.Variables.OLD".into(), "\"1\"".into(), "(none)".into()),
            ]
        );
    }

    #[test]
    fn lists_of_one_length_compare_by_index_and_others_whole() {
        let old = json!({"P": {"Layers": ["a", "b"], "Tags": [1]}});
        let new = json!({"P": {"Layers": ["a", "c"], "Tags": [1, 2]}});
        assert_eq!(
            paths(old, new),
            [("P.Layers[1]".into(), "\"b\"".into(), "\"c\"".into()), ("P.Tags".into(), "[1]".into(), "[1,2]".into()),]
        );
    }

    #[test]
    fn an_intrinsic_is_compared_as_one_value() {
        let old = json!({"P": {"Role": {"Fn::GetAtt": ["OldRole", "Arn"]}}});
        let new = json!({"P": {"Role": {"Fn::GetAtt": ["NewRole", "Arn"]}}});
        let changes = paths(old, new);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].0, "P.Role");
    }

    #[test]
    fn values_of_secret_looking_variables_never_show() {
        let old = json!({"Properties": {"Environment": {"Variables": {"DB_PASSWORD": "hunter2", "RUST_LOG": "info"}}}});
        let new = json!({"Properties": {"Environment": {"Variables": {"DB_PASSWORD": "hunter3", "RUST_LOG": "warn", "STRIPE_API_KEY": "sk_live_1"}}}});
        let changes = masked(property_changes(&old, &new));
        let shown: Vec<(String, String, String)> =
            changes.iter().map(|c| (c.path.clone(), render(c.old.as_ref(), 40), render(c.new.as_ref(), 40))).collect();
        assert_eq!(
            shown,
            [
                ("Properties.Environment.Variables.DB_PASSWORD".into(), "\"***\"".into(), "\"***\"".into()),
                ("Properties.Environment.Variables.RUST_LOG".into(), "\"info\"".into(), "\"warn\"".into()),
                ("Properties.Environment.Variables.STRIPE_API_KEY".into(), "(none)".into(), "\"***\"".into()),
            ]
        );
        // A whole environment added at once: masked inside.
        let old = json!({"Properties": {}});
        let new = json!({"Properties": {"Environment": {"Variables": {"JWT_SECRET": "s3cr3t", "TABLE": "t"}}}});
        let whole = masked(property_changes(&old, &new));
        let text = serde_json::to_string(&whole).unwrap();
        assert!(!text.contains("s3cr3t") && text.contains("\"TABLE\":\"t\""), "{text}");
        for secret in ["GITHUB_TOKEN", "api_key", "AWS_SECRET_ACCESS_KEY", "DATABASE_DSN", "session-cookie", "KEY"] {
            assert!(looks_secret(secret), "{secret}");
        }
        for plain in ["USERS_TABLE", "SIGNUPS_QUEUE_URL", "RUST_LOG", "MONKEY_MODE", "KEYBOARD"] {
            assert!(!looks_secret(plain), "{plain}");
        }
    }

    #[test]
    fn long_values_are_cut_on_a_character_boundary() {
        let long = json!("é".repeat(100));
        let shown = render(Some(&long), 10);
        assert_eq!(shown.chars().count(), 10);
        assert!(shown.ends_with('…'));
    }
}
