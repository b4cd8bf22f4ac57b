//! Config stage: typed reads from YAML nodes that record a located problem instead of stopping.

use super::diagnostic::{did_you_mean, one_of, Problem};
use super::shape::{Range, Table};
use super::yaml::Span;
use super::yaml::{Kind, Node};
use std::collections::BTreeMap;

#[derive(Default)]
pub(crate) struct Reader {
    pub problems: Vec<Problem>,
    /// `${service.outputs.Key}` found in environment values, for the project graph to check.
    pub references: Vec<super::refs::Reference>,
}

impl Reader {
    pub(crate) fn report(&mut self, problem: Problem) {
        self.problems.push(problem);
    }

    /// The entries of a mapping, checked against the keys of `table`. `null` reads as empty.
    pub(crate) fn entries<'a>(&mut self, node: &'a Node, path: &str, table: &Table) -> Vec<(&'a str, &'a Node)> {
        let mut out = Vec::new();
        for (key, span, value) in self.keyed_entries(node, path) {
            if table.names().any(|name| name == key) {
                out.push((key, value));
            } else {
                let help = match did_you_mean(key, table.names()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("valid keys here: {}", one_of(&table.names().collect::<Vec<_>>())),
                };
                self.report(
                    Problem::new(span, format!("unknown key `{key}` in `{path}`")).label("not a known key").help(help),
                );
            }
        }
        out
    }

    /// The entries of a mapping whose keys are user-chosen names; duplicates are reported.
    pub(crate) fn any_entries<'a>(&mut self, node: &'a Node, path: &str) -> Vec<(&'a str, &'a Node)> {
        self.keyed_entries(node, path).into_iter().map(|(k, _, v)| (k, v)).collect()
    }

    /// Like `any_entries`, with where each key is written. (Looking keys up again afterwards
    /// is linear per key: quadratic for a config with thousands of functions.)
    pub(crate) fn keyed_entries<'a>(&mut self, node: &'a Node, path: &str) -> Vec<(&'a str, Span, &'a Node)> {
        if node.is_null() {
            return Vec::new();
        }
        let Some(map) = node.as_map() else {
            self.report(
                Problem::new(node.span, format!("`{path}` must be a mapping, found {}", node.type_name()))
                    .label("expected `key: value` pairs"),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (k, v) in map {
            let Some(key) = k.as_scalar().filter(|_| matches!(k.kind, Kind::Scalar { .. })) else {
                self.report(Problem::new(k.span, format!("keys in `{path}` must be plain names")));
                continue;
            };
            if !seen.insert(key) {
                self.report(
                    Problem::new(k.span, format!("`{key}` is set twice in `{path}`"))
                        .label("second definition")
                        .help("YAML keeps only one; remove or merge the duplicate"),
                );
                continue;
            }
            out.push((key, k.span, v));
        }
        out
    }

    pub(crate) fn string(&mut self, node: &Node, path: &str) -> Option<String> {
        match &node.kind {
            Kind::Scalar { value, .. } if value.contains("{{resolve:") => {
                // CloudFormation would put the resolved value into the resource's configuration,
                // where anyone who may read it sees it, and `dev` has nothing to resolve it from.
                self.report(
                    Problem::new(node.span, format!("`{path}` holds a CloudFormation dynamic reference (`{{{{resolve:…}}}}`)"))
                        .label("not resolved by sls-rs")
                        .help("a secret resolved here would sit in plain text in the function's configuration, and `dev` cannot resolve it: pass its name instead (e.g. `DB_SECRET: prod/db`) and read it in the handler with the AWS SDK (Secrets Manager `GetSecretValue`, SSM `GetParameter`), granted in raw `cloudformation:`"),
                );
                None
            }
            Kind::Scalar { value, .. } if !node.is_null() => Some(value.clone()),
            _ => {
                self.report(Problem::new(node.span, format!("`{path}` must be a string, found {}", node.type_name())));
                None
            }
        }
    }

    /// A plain whole number within `range`. A quoted one is text, as YAML (and the schema
    /// editors check against) types it.
    pub(crate) fn uint(&mut self, node: &Node, path: &str, range: Range) -> Option<u32> {
        let Range { min, max, unit } = range;
        let text = match &node.kind {
            Kind::Scalar { value, quoted: false } => Some(value.as_str()),
            _ => None,
        };
        match text.and_then(|t| t.parse::<u64>().ok()) {
            Some(n) if n >= u64::from(min) && n <= u64::from(max) => Some(n as u32),
            Some(n) => {
                self.report(
                    Problem::new(node.span, format!("`{path}` is {n}{unit}, outside {min}–{max}{unit}"))
                        .label("out of range")
                        .help(format!("use a value from {min} to {max}")),
                );
                None
            }
            None => {
                let help = match &node.kind {
                    Kind::Scalar { value, quoted: true } if value.parse::<u64>().is_ok() => {
                        format!("remove the quotes: `{value}` in quotes is text to YAML")
                    }
                    _ => format!("for example `{path}: {}`", min.max(1)),
                };
                self.report(Problem::new(node.span, format!("`{path}` must be a whole number")).help(help));
                None
            }
        }
    }

    /// A plain boolean, spelled as YAML 1.2 spells one (`true`, `True`, `TRUE`, ...).
    pub(crate) fn boolean(&mut self, node: &Node, path: &str) -> Option<bool> {
        if let Kind::Scalar { value, quoted: false } = &node.kind {
            if let serde_json::Value::Bool(b) = plain_scalar(value) {
                return Some(b);
            }
        }
        self.report(Problem::new(node.span, format!("`{path}` must be `true` or `false`")));
        None
    }

    /// One of `choices` (matched exactly); a near miss gets a suggestion.
    pub(crate) fn choice(&mut self, node: &Node, path: &str, choices: &[&str]) -> Option<String> {
        let value = self.string(node, path)?;
        if choices.contains(&value.as_str()) {
            return Some(value);
        }
        let help = match did_you_mean(&value, choices.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("use {}", one_of(choices)),
        };
        self.report(Problem::new(node.span, format!("`{value}` is not a valid `{path}`")).help(help));
        None
    }

    pub(crate) fn string_map(&mut self, node: &Node, path: &str) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for (k, v) in self.any_entries(node, path) {
            if let Some(s) = self.string(v, &format!("{path}.{k}")) {
                out.insert(k.to_string(), s);
            }
        }
        out
    }

    pub(crate) fn string_list(&mut self, node: &Node, path: &str) -> Vec<String> {
        match node.as_seq() {
            Some(items) => {
                items.iter().enumerate().filter_map(|(n, i)| self.string(i, &format!("{path}[{n}]"))).collect()
            }
            None => self.string(node, path).into_iter().collect(),
        }
    }
}

/// A YAML value as JSON, with plain scalars typed the way YAML 1.2's core schema types them.
/// Local tags become CloudFormation intrinsics: `!Ref x` → `{"Ref": "x"}`, `!Sub s` → `{"Fn::Sub": "s"}`.
pub fn to_json(node: &Node) -> serde_json::Value {
    use serde_json::Value;
    let value = match &node.kind {
        Kind::Scalar { value, quoted: true } => Value::String(value.clone()),
        Kind::Scalar { value, quoted: false } => plain_scalar(value),
        Kind::Seq(items) => Value::Array(items.iter().map(to_json).collect()),
        Kind::Map(entries) => Value::Object(
            entries.iter().map(|(k, v)| (k.as_scalar().unwrap_or_default().to_string(), to_json(v))).collect(),
        ),
    };
    match node.tag.as_deref() {
        None => value,
        Some("Ref") => serde_json::json!({ "Ref": value }),
        Some("Condition") => serde_json::json!({ "Condition": value }),
        Some("GetAtt") => {
            let value = match &value {
                Value::String(s) => match s.split_once('.') {
                    Some((res, attr)) => serde_json::json!([res, attr]),
                    None => value,
                },
                _ => value,
            };
            serde_json::json!({ "Fn::GetAtt": value })
        }
        Some(other) => {
            let mut obj = serde_json::Map::new();
            obj.insert(format!("Fn::{other}"), value);
            Value::Object(obj)
        }
    }
}

pub(super) fn plain_scalar(s: &str) -> serde_json::Value {
    use serde_json::Value;
    match s {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        _ => {
            if let Ok(i) = s.parse::<i64>() {
                Value::from(i)
            } else if let Some(f) = s.parse::<f64>().ok().filter(|f| f.is_finite() && s.contains(['.', 'e', 'E'])) {
                Value::from(f)
            } else {
                Value::String(s.to_string())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::yaml::parse;

    #[test]
    fn intrinsics_from_short_tags() {
        let node = parse("a: !Ref Foo\nb: !GetAtt Foo.Arn\nc: !Sub '${X}-y'\nd: !Join [',', [1, '2']]\ne: 3\n")
            .unwrap()
            .unwrap();
        let json = to_json(&node);
        assert_eq!(json["a"], serde_json::json!({"Ref": "Foo"}));
        assert_eq!(json["b"], serde_json::json!({"Fn::GetAtt": ["Foo", "Arn"]}));
        assert_eq!(json["c"], serde_json::json!({"Fn::Sub": "${X}-y"}));
        assert_eq!(json["d"], serde_json::json!({"Fn::Join": [",", [1, "2"]]}));
        assert_eq!(json["e"], serde_json::json!(3));
    }

    #[test]
    fn unknown_keys_get_suggestions() {
        let node = parse("timout: 3\nmemory: 99999\n").unwrap().unwrap();
        let mut r = Reader::default();
        let entries = r.entries(&node, "functions.api", &super::super::shape::FUNCTION);
        assert_eq!(entries.len(), 1);
        r.uint(entries[0].1, "memory", super::super::shape::MEMORY);
        assert_eq!(r.problems.len(), 2);
        assert_eq!(r.problems[0].help.as_deref(), Some("did you mean `timeout`?"));
        assert_eq!((r.problems[0].span.line, r.problems[0].span.col), (1, 1));
        assert!(r.problems[1].message.contains("outside 128–10240 MB"), "{}", r.problems[1].message);
    }
}
