//! The JSON Schema editors check sls.yaml against (`sls-rs schema`): every config we ship
//! follows it, new projects point at it, and it refuses the same type-level mistakes
//! `sls-rs validate` refuses — checked by mutating every key of a config that has them all.

use crate::common::{command, venv, Run, Test};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

fn schema() -> Value {
    let run = Test::new().args(["schema"]).run();
    run.status(0);
    run.json()
}

/// A config as editors see it: YAML 1.2 typed, short tags as CloudFormation intrinsics.
fn instance(yaml: &str) -> Value {
    sls_rs::config::to_json(&sls_rs::config::yaml::parse(yaml).unwrap().expect("not empty"))
}

/// Each instance's errors under `schema`, by Python's jsonschema (what check-jsonschema runs),
/// in one process. The schema itself must be valid draft-07.
fn schema_errors(schema: &Value, instances: &BTreeMap<String, Value>) -> BTreeMap<String, Vec<String>> {
    let dir = tempfile::tempdir().unwrap();
    let (s, i) = (dir.path().join("schema.json"), dir.path().join("instances.json"));
    std::fs::write(&s, schema.to_string()).unwrap();
    std::fs::write(&i, serde_json::to_string(instances).unwrap()).unwrap();
    let script = "import json, sys\n\
        from jsonschema import Draft7Validator\n\
        schema = json.load(open(sys.argv[1]))\n\
        Draft7Validator.check_schema(schema)\n\
        v = Draft7Validator(schema)\n\
        cases = json.load(open(sys.argv[2]))\n\
        json.dump({k: [e.message for e in v.iter_errors(x)] for k, x in cases.items()}, sys.stdout)\n";
    let out = Command::new(venv().join("bin/python")).args(["-c", script]).arg(&s).arg(&i).output().unwrap();
    assert!(out.status.success(), "jsonschema failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Every config file below `dir`, relative to it.
fn configs(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() && !path.ends_with("target") {
            out.extend(configs(&path).into_iter().map(|p| Path::new(path.file_name().unwrap()).join(p)));
        } else if path.file_name().is_some_and(|n| n == "sls.yaml") {
            out.push("sls.yaml".into());
        }
    }
    out
}

#[test]
fn every_shipped_config_follows_the_schema_and_new_projects_point_at_it() {
    let schema = schema();
    let mut instances = BTreeMap::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for entry in std::fs::read_dir(root.join("tests/fixtures")).unwrap() {
        let path = entry.unwrap().path();
        instances.insert(path.display().to_string(), instance(&std::fs::read_to_string(&path).unwrap()));
    }
    let t = Test::new();
    for template in ["http-api", "event-driven", "microservices"] {
        command(t.path()).args(["new", template, "--template", template, "--yes"]).output().unwrap();
        let project = t.path().join(template);
        let kept: Value = serde_json::from_slice(&std::fs::read(project.join(".sls-rs/sls.schema.json")).unwrap())
            .unwrap_or_else(|e| panic!("{template}: no schema kept in the project: {e}"));
        assert_eq!(kept, schema, "{template}: the project's schema is not `sls-rs schema`");
        let files = configs(&project);
        assert!(!files.is_empty(), "{template} has no sls.yaml");
        for rel in files {
            let text = std::fs::read_to_string(project.join(&rel)).unwrap();
            let up = "../".repeat(rel.components().count() - 1);
            let first = text.lines().next().unwrap();
            assert_eq!(
                first,
                format!("# yaml-language-server: $schema={up}.sls-rs/sls.schema.json"),
                "{template}/{}",
                rel.display()
            );
            // The modeline's path, resolved from the file, is the schema.
            let target = first.split_once("$schema=").unwrap().1;
            assert!(project.join(&rel).parent().unwrap().join(target).is_file(), "{target} from {}", rel.display());
            instances.insert(format!("{template}/{}", rel.display()), instance(&text));
        }
    }
    assert!(instances.len() >= 8, "{instances:?}");
    let errors: BTreeMap<_, _> =
        schema_errors(&schema, &instances).into_iter().filter(|(_, e)| !e.is_empty()).collect();
    assert!(errors.is_empty(), "configs we ship break the schema: {errors:#?}");
}

/// One place in a config where the schema says what belongs.
struct Site {
    at: Vec<Value>,
    schema: Value,
}

/// The validator's name for a place: `functions.api.events[0].batch_size` (`sls.yaml` for the
/// top), as its messages write it.
fn dotted(at: &[Value]) -> String {
    let mut out = String::new();
    for seg in at {
        match seg {
            Value::Number(i) => out.push_str(&format!("[{i}]")),
            s => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(s.as_str().unwrap());
            }
        }
    }
    if out.is_empty() {
        "sls.yaml".into()
    } else {
        out
    }
}

fn pointer(at: &[Value]) -> String {
    at.iter().map(|s| format!("/{}", s.as_str().map_or_else(|| s.to_string(), str::to_string))).collect()
}

fn type_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Whether `s` (resolved) could describe `v`: its type and required keys. How a branch of an
/// `anyOf` is picked for the instance in hand.
fn fits(s: &Value, v: &Value) -> bool {
    let types: Vec<&str> = match &s["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![type_of(v)],
    };
    let typed = types.iter().any(|t| *t == type_of(v) || (*t == "number" && type_of(v) == "integer"));
    let required = s["required"].as_array().into_iter().flatten().all(|k| v.get(k.as_str().unwrap()).is_some());
    typed && required
}

/// Walks `value` with its schema, collecting every site and which (definition, key) it reached.
fn walk(root: &Value, s: &Value, value: &Value, at: Vec<Value>, sites: &mut Vec<Site>, reached: &mut BTreeSet<String>) {
    if s["if"].is_object() {
        let branch = if fits(&s["if"], value) { &s["then"] } else { &s["else"] };
        return walk(root, branch, value, at, sites, reached);
    }
    let (s, def) = match s["$ref"].as_str() {
        Some(r) => {
            let id = r.trim_start_matches("#/definitions/");
            (root["definitions"][id].clone(), Some(id.to_string()))
        }
        None => (s.clone(), None),
    };
    if let Some(branches) = s["anyOf"].as_array() {
        let resolve = |b: &Value| match b["$ref"].as_str() {
            Some(r) => root["definitions"][r.trim_start_matches("#/definitions/")].clone(),
            None => b.clone(),
        };
        let branch = branches.iter().find(|b| fits(&resolve(b), value)).expect("a branch fits the base config");
        return walk(root, branch, value, at, sites, reached);
    }
    sites.push(Site { at: at.clone(), schema: s.clone() });
    let child = |k: Value| {
        let mut a = at.clone();
        a.push(k);
        a
    };
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if let Some(p) = s["properties"].get(k) {
                    reached.insert(format!("{}.{k}", def.as_deref().unwrap_or("?")));
                    walk(root, p, v, child(json!(k)), sites, reached);
                } else if s["additionalProperties"].is_object() {
                    walk(root, &s["additionalProperties"], v, child(json!(k)), sites, reached);
                }
            }
        }
        Value::Array(items) if s["items"].is_object() => {
            for (i, v) in items.iter().enumerate() {
                walk(root, &s["items"], v, child(json!(i)), sites, reached);
            }
        }
        _ => {}
    }
}

/// Mistakes of type, key, range and choice at a site: (what, the changed config, what the
/// validator's message must name, one of).
fn mistakes(base: &Value, site: &Site) -> Vec<(String, Value, Vec<String>)> {
    let s = &site.schema;
    let path = dotted(&site.at);
    let ptr = pointer(&site.at);
    let here = base.pointer(&ptr).unwrap().clone();
    let set = |v: Value| {
        let mut b = base.clone();
        *b.pointer_mut(&ptr).unwrap() = v;
        b
    };
    let mut out = Vec::new();
    let mut put = |what: &str, config: Value, names: &[&str]| {
        out.push((format!("{path}: {what}"), config, names.iter().map(|n| n.to_string()).collect()))
    };
    // The top has no name of its own: any problem located in the file names it.
    let names_path = if site.at.is_empty() { "sls.yaml:".to_string() } else { format!("`{path}`") };
    let types = s["type"].to_string();
    if types.contains("object") {
        if s["additionalProperties"] == json!(false) {
            let mut v = here.clone();
            v.as_object_mut().unwrap().insert("zz_not_a_key".into(), json!(1));
            put("unknown key", set(v), &["`zz_not_a_key`"]);
            for k in s["required"].as_array().into_iter().flatten() {
                let mut v = here.clone();
                v.as_object_mut().unwrap().remove(k.as_str().unwrap());
                let key = format!("`{}`", k.as_str().unwrap());
                put(&format!("no {key}"), set(v), &[&names_path, &key]);
            }
        }
        if !site.at.is_empty() {
            put("a list for a mapping", set(json!(["x"])), &[&names_path]);
        }
    } else if types.contains("array") {
        put("a mapping for a list", set(json!({ "x": 1 })), &[&names_path]);
    } else if s["type"] == json!("integer") {
        let (min, max) = (s["minimum"].as_u64(), s["maximum"].as_u64());
        if let Some(max) = max {
            put("over the maximum", set(json!(max + 1)), &[&names_path]);
        }
        if let Some(min) = min.filter(|m| *m > 0) {
            put("under the minimum", set(json!(min - 1)), &[&names_path]);
        }
        if let Some(list) = s["enum"].as_array() {
            let missing = (1..).find(|n| !list.contains(&json!(n))).unwrap();
            put("not a listed number", set(json!(missing)), &[&names_path]);
        }
        put("a quoted number", set(json!(here.to_string())), &[&names_path]);
        put("a mapping for a number", set(json!({ "x": 1 })), &[&names_path]);
    } else if s["type"] == json!("boolean") {
        put("a quoted boolean", set(json!(here.to_string())), &[&names_path]);
        put("a word for a boolean", set(json!("maybe")), &[&names_path]);
    } else if s["enum"].is_array() {
        put("not a choice", set(json!("not-a-choice")), &[&names_path]);
        put("a mapping for a choice", set(json!({ "x": 1 })), &[&names_path]);
    } else if types.contains("string") || s["anyOf"].is_array() {
        put("a mapping for text", set(json!({ "x": 1 })), &[&names_path]);
    }
    out
}

fn sls<const N: usize>(dir: &Path, args: [&str; N]) -> Run {
    Run::from(command(dir).args(args).output().unwrap())
}

/// Runs `validate` on `config` (written as JSON, which is YAML) in `dir`.
fn validate(dir: &Path, config: &Value) -> Run {
    std::fs::write(dir.join("sls.yaml"), serde_json::to_string_pretty(config).unwrap()).unwrap();
    sls(dir, ["validate"])
}

#[test]
fn schema_and_validator_refuse_the_same_mistakes() {
    let schema = schema();
    let every_key =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/every-key.yaml"));
    let service = Test::new();
    let project = Test::new().file("users/sls.yaml", "service: users\n").file("orders/sls.yaml", "service: orders\n");
    let bases = [
        (service.path(), instance(&every_key.unwrap())),
        (
            project.path(),
            json!({ "services": { "users": { "path": "users", "depends_on": ["orders"] }, "orders": "orders" } }),
        ),
    ];
    let (mut reached, mut cases, mut instances) = (BTreeSet::new(), Vec::new(), BTreeMap::new());
    for (dir, base) in &bases {
        validate(dir, base).status(0);
        instances.insert(format!("base {}", dir.display()), base.clone());
        let mut sites = Vec::new();
        walk(&schema, &schema, base, Vec::new(), &mut sites, &mut reached);
        for site in &sites {
            for (what, config, names) in mistakes(base, site) {
                instances.insert(what.clone(), config.clone());
                cases.push((*dir, what, config, names));
            }
        }
    }
    // The bases hold every key the schema knows, so every key's mistakes are tried.
    let mut all = BTreeSet::new();
    for (id, def) in schema["definitions"].as_object().unwrap() {
        all.extend(def["properties"].as_object().unwrap().keys().map(|k| format!("{id}.{k}")));
    }
    let unreached: Vec<_> = all.difference(&reached).collect();
    assert!(unreached.is_empty(), "tests/fixtures/every-key.yaml lacks {unreached:?}");
    assert!(cases.len() > 150, "only {} mistakes tried", cases.len());

    let verdicts = schema_errors(&schema, &instances);
    let mut disagreements = Vec::new();
    for (dir, _) in &bases {
        let errors = &verdicts[&format!("base {}", dir.display())];
        assert!(errors.is_empty(), "the base config breaks the schema: {errors:?}");
    }
    for (dir, what, config, names) in cases {
        let run = validate(dir, &config);
        let by_schema = !verdicts[&what].is_empty();
        let by_validator = run.code() == 2 && names.iter().any(|n| run.stderr.contains(n.as_str()));
        if !(by_schema && by_validator) {
            disagreements.push(format!(
                "{what}: schema {}, validator {} (exit {}):\n{}",
                if by_schema { "refuses" } else { "accepts" },
                if by_validator { "refuses" } else { "does not refuse naming it" },
                run.code(),
                run.stderr.lines().take(4).collect::<Vec<_>>().join("\n")
            ));
        }
    }
    assert!(disagreements.is_empty(), "{} disagreements:\n{}", disagreements.len(), disagreements.join("\n\n"));
}

#[test]
fn schema_write_sets_up_an_existing_project_once() {
    let t = Test::new().file("sls.yaml", "service: old\nfunctions: { api: { timout: 3 } }\n");
    // A config with a mistake: the schema is what helps fix it, so it is written anyway.
    let run = sls(t.path(), ["schema", "--write"]);
    run.status(0).stderr_has("wrote").stderr_has("sls.yaml now names it");
    let text = std::fs::read_to_string(t.path().join("sls.yaml")).unwrap();
    assert!(text.starts_with("# yaml-language-server: $schema=.sls-rs/sls.schema.json\nservice: old\n"), "{text}");
    let kept: Value =
        serde_json::from_slice(&std::fs::read(t.path().join(".sls-rs/sls.schema.json")).unwrap()).unwrap();
    assert_eq!(kept, schema());
    let again = sls(t.path(), ["schema", "--write", "--output", "json"]);
    let doc = again.status(0).json();
    assert_eq!((doc["schema_changed"].clone(), doc["modelines_added"].clone()), (json!(false), json!([])));
    let doctor = sls(t.path(), ["doctor", "--output", "json"]).json();
    let check = doctor["checks"].as_array().unwrap().iter().find(|c| c["name"] == "editor schema").cloned();
    assert_eq!(check.unwrap()["status"], "ok");
    std::fs::write(t.path().join(".sls-rs/sls.schema.json"), "{}").unwrap();
    let doctor = sls(t.path(), ["doctor", "--output", "json"]).json();
    let check = doctor["checks"].as_array().unwrap().iter().find(|c| c["name"] == "editor schema").cloned().unwrap();
    assert_eq!(check["status"], "warn", "{check}");
    assert!(check["fix"].as_str().unwrap().contains("sls-rs schema --write"), "{check}");
}
