//! Local runtime: what one `dev` runs — one service, or every service of a project — with the
//! names functions go by (`users/users-api` at a project root, where two services may both
//! have an `api`), the binaries they are built into, and each service's view of the others'
//! outputs on the local endpoint.

use crate::build::Workspace;
use crate::config::api::Auth;
use crate::config::{EventKind, Function};
use crate::local::runtime::compile::{self, CompileError};
use crate::local::runtime::instance::Spec;
use crate::local::LocalEnv;
use crate::plan::{EnvPart, EnvValue, FunctionPlan, OutputValue, Plan};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One service as `dev` runs it.
pub(crate) struct Unit {
    /// Its key in the project, when `dev` runs a project's services together.
    pub key: Option<String>,
    pub plan: Plan,
    /// Index into `Project::workspaces`.
    pub workspace: usize,
    /// Where its resources are on the local endpoint, and what reaches it.
    pub local: Option<LocalEnv>,
    /// Its HTTP API's local base URL, once listening.
    pub api: Option<String>,
}

impl Unit {
    /// The name `dev` reports `name` (a function, a resource) of this service by.
    pub(crate) fn label(&self, name: &str) -> String {
        match &self.key {
            Some(key) => format!("{key}/{name}"),
            None => name.to_string(),
        }
    }

    /// Each function with its declaration and label.
    pub(crate) fn functions(&self) -> impl Iterator<Item = (&Function, &FunctionPlan, String)> {
        self.plan.each_function().map(|(decl, f)| (decl, f, self.label(&f.name)))
    }

    /// Its HTTP routes, each to a function by label.
    pub(crate) fn routes(&self) -> Vec<crate::local::http::api::Route> {
        let http = |(decl, _, label): (&Function, &FunctionPlan, String)| {
            decl.events
                .iter()
                .filter_map(|e| match &e.kind {
                    EventKind::Http { method, path, auth, .. } => Some(crate::local::http::api::Route {
                        method: *method,
                        path: path.clone(),
                        function: label.clone(),
                        auth: Some(self.plan.config.api.auth_of(*auth)).filter(|a| *a != Auth::None).map(Auth::name),
                    }),
                    _ => None,
                })
                .collect::<Vec<_>>()
        };
        self.functions().flat_map(http).collect()
    }

    /// What the service's stack would output, as it is on the local endpoint: resource
    /// names, URLs and ARNs, function names, the API's local URL. Raw outputs are left out:
    /// they may say anything, and nothing here evaluates CloudFormation.
    pub(crate) fn outputs(&self, region: &str) -> BTreeMap<String, String> {
        let Some(local) = &self.local else { return BTreeMap::new() };
        let mut out = BTreeMap::new();
        for o in self.plan.outputs() {
            let resource = self.plan.resources.iter().find(|r| r.logical_id == o.logical_id);
            let function = self.plan.functions.iter().find(|f| f.ids.function == o.logical_id);
            let value = match (o.value, resource, function) {
                (OutputValue::Attribute(_), Some(r), _) => Some(r.arn(region, &local.account)),
                (OutputValue::Ref, _, Some(f)) => Some(f.physical_name.clone()),
                (OutputValue::ApiUrl, _, _) => self.api.clone(),
                _ => local.addresses.get(&o.logical_id).cloned(),
            };
            out.extend(value.map(|v| (o.key.clone(), v)));
        }
        out
    }
}

/// Everything one `dev` runs, and how it builds it.
pub(crate) struct Project {
    /// Producers before consumers.
    pub units: Vec<Unit>,
    pub workspaces: Vec<Workspace>,
    /// Where `dev` runs (the service's directory, or the project's): its state goes below.
    pub root: PathBuf,
    pub region: String,
    pub release: bool,
    pub echo: bool,
    /// The environment handlers inherit from, and moto's is cleaned of.
    pub process: crate::host::process::Process,
}

impl Project {
    /// Builds every function: one `cargo build` per workspace (one, for a project sharing a
    /// workspace). Returns label → binary. `waiting`: as for [`compile::compile`].
    pub(crate) fn compile(&self, waiting: &mut dyn FnMut(&Path)) -> Result<BTreeMap<String, PathBuf>, CompileError> {
        let mut out = BTreeMap::new();
        for (i, ws) in self.workspaces.iter().enumerate() {
            let units: Vec<&Unit> = self.units.iter().filter(|u| u.workspace == i).collect();
            let functions: Vec<&FunctionPlan> = units.iter().flat_map(|u| &u.plan.functions).collect();
            let dir = compile::compile(ws, &functions, self.release, self.echo, waiting)?;
            for u in units {
                out.extend(u.functions().map(|(_, f, label)| (label, dir.join(&f.bin))));
            }
        }
        Ok(out)
    }

    /// How each function starts, by label.
    pub(crate) fn specs(&self, binaries: &BTreeMap<String, PathBuf>) -> BTreeMap<String, Spec> {
        let mut out = BTreeMap::new();
        for u in &self.units {
            for (_, f, label) in u.functions() {
                let prefix = Some(format!("[{label}]"));
                let spec = crate::local::spec_for(
                    &self.process,
                    &u.plan,
                    f,
                    binaries[&label].clone(),
                    &self.region,
                    prefix,
                    u.local.as_ref(),
                );
                out.insert(label, spec);
            }
        }
        out
    }

    /// Gives each service the local values of the outputs it reads from services running
    /// here; returns the references in handlers' environments no service here can answer
    /// (`orders.SignupsQueueUrl`), whose variables stay empty.
    pub(crate) fn link(&mut self) -> Vec<String> {
        let outputs: BTreeMap<Option<String>, BTreeMap<String, String>> =
            self.units.iter().map(|u| (u.key.clone(), u.outputs(&self.region))).collect();
        let mut missing = Vec::new();
        for u in &mut self.units {
            // Only what a handler sees counts as missing: an ARN read for IAM alone is not.
            let in_env: BTreeSet<&str> = u
                .plan
                .functions
                .iter()
                .flat_map(|f| f.env.values())
                .flat_map(|v| match v {
                    EnvValue::Outputs(parts) => parts.as_slice(),
                    _ => &[],
                })
                .filter_map(|p| match p {
                    EnvPart::Parameter(id) => Some(id.as_str()),
                    EnvPart::Text(_) => None,
                })
                .collect();
            for r in &u.plan.references {
                let value = outputs.get(&Some(r.service.clone())).and_then(|o| o.get(&r.output));
                match (value, u.local.as_mut()) {
                    // Without local services, handlers use the developer's own AWS settings.
                    (_, None) => {}
                    (Some(v), Some(local)) => {
                        local.inputs.insert(r.parameter.clone(), v.clone());
                    }
                    _ if in_env.contains(r.parameter.as_str()) => missing.push(format!("{}.{}", r.service, r.output)),
                    _ => {}
                }
            }
        }
        missing.sort();
        missing.dedup();
        missing
    }

    /// The function a name means: a label, or a bare function name only one service has.
    pub(crate) fn resolve(&self, name: &str) -> Option<String> {
        let labels = self.units.iter().flat_map(|u| u.functions().map(|(_, _, l)| l));
        let mut found: Vec<String> =
            labels.filter(|l| l == name || l.rsplit_once('/').is_some_and(|(_, f)| f == name)).collect();
        if let Some(exact) = found.iter().position(|l| l == name) {
            return Some(found.swap_remove(exact));
        }
        (found.len() == 1).then(|| found.remove(0))
    }
}
