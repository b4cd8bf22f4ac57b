//! The pipeline, one way down — config (1) → plan (2) → synth (3) → build (4) → deploy (5) —
//! as commands run it: load (config and plan), build, package (synth, with the hashes build
//! left), deploy. Each step is callable on its own; `build`, `package`, `validate`, `deploy`,
//! `diff` and `dev` call these and render what comes back, so no command drives another.

use crate::build::{self, BuildError, Progress};
use crate::config::{self, LoadError};
use crate::plan::graph::{self, Graph};
use crate::plan::{self, Plan};
use crate::synth::{self, SynthError, Synthesis};
use std::path::{Path, PathBuf};

/// What a command acts on: one service, or a project of services.
#[derive(Debug)]
pub(crate) enum Target {
    Service(Box<Plan>),
    Project(Box<Graph>),
}

impl Target {
    /// Each service's plan, producers first, keyed by its name in the project (`None` for a
    /// service on its own): for commands that do the same to every service.
    pub(crate) fn into_plans(self) -> Vec<(Option<String>, Plan)> {
        match self {
            Target::Service(plan) => vec![(None, *plan)],
            Target::Project(graph) => {
                let mut services: Vec<_> = graph.services.into_iter().map(Some).collect();
                graph.order.iter().filter_map(|&i| services[i].take()).map(|s| (Some(s.key), s.plan)).collect()
            }
        }
    }
}

/// Finds `sls.yaml` (or the `explicit` file) from `cwd`, validates it and plans `stage`: a
/// project file gives the whole graph; a service that refers to others is checked within the
/// project that lists it, so its references are known before anything is deployed.
pub(crate) fn load_target(explicit: Option<&Path>, cwd: &Path, stage: &str) -> Result<Target, LoadError> {
    let path = config::locate(explicit, cwd)?;
    let path = if path.is_absolute() { path } else { cwd.join(path) };
    let shown = |p: &Path| crate::host::files::relative_to(p, cwd);
    let text = config::read_text(&path, &shown(&path))?;
    if let Ok(Some(node)) = config::yaml::parse(&text) {
        if config::project::is_project(&node) {
            return Ok(Target::Project(Box::new(graph::load(&path, &shown(&path), stage)?)));
        }
    }
    let plan = plan::load(&path, &shown(&path), stage)?;
    if !plan.config.reads_other_services() {
        return Ok(Target::Service(Box::new(plan)));
    }
    let Some((mut graph, i)) = enclosing_graph(&plan.config.root, cwd, stage)? else {
        let remote = plan.config.functions.iter().flat_map(|f| &f.remote_uses).map(|u| (u.span, &u.service));
        let (span, service) = plan
            .config
            .references
            .iter()
            .map(|r| (r.span, &r.service))
            .chain(remote)
            .next()
            .expect("reads another service");
        let problem = config::Problem::new(
            span,
            format!("this service reads service `{service}`, but no project lists it"),
        )
        .help("outputs come from services of one project: add a root sls.yaml with `services:` naming this directory and the one it reads");
        return Err(LoadError::Invalid(plan.config.diagnostics(vec![problem])));
    };
    Ok(Target::Service(Box::new(graph.services.swap_remove(i).plan)))
}

/// The project that lists the service at `root` as one of its services, planned for `stage`,
/// and the service's index in it; `None` for a service no project lists.
pub(crate) fn enclosing_graph(root: &Path, cwd: &Path, stage: &str) -> Result<Option<(Graph, usize)>, LoadError> {
    let Some((file, key)) = config::project::enclosing(root) else { return Ok(None) };
    let graph = graph::load(&file, &crate::host::files::relative_to(&file, cwd), stage)?;
    // `enclosing` found the project by this very key.
    Ok(graph.index(&key).map(|i| (graph, i)))
}

/// The one service a command acts on; a project root is a usage error naming its services.
pub(crate) fn load(explicit: Option<&Path>, cwd: &Path, stage: &str) -> Result<Plan, LoadError> {
    match load_target(explicit, cwd, stage)? {
        Target::Service(plan) => Ok(*plan),
        Target::Project(graph) => Err(LoadError::ProjectRoot {
            file: graph.project.file.clone(),
            services: graph.services.iter().map(|s| format!("{} ({})", s.key, project_path(&graph, &s.key))).collect(),
        }),
    }
}

fn project_path(graph: &Graph, key: &str) -> String {
    graph.project.service(key).map(|s| s.path.clone()).unwrap_or_default()
}

/// Builds several services' functions together: one cargo lambda call per workspace and
/// architecture. An error names the plan (by index) it is about.
pub(crate) fn build_all(
    plans: &[&Plan],
    opts: &build::Options,
    progress: &mut dyn FnMut(usize, Progress),
) -> Result<Vec<build::Report>, (usize, BuildError)> {
    build::build_all(plans, opts, progress)
}

/// What `package` wrote: the synthesis, and where its template and manifest are.
#[derive(Debug)]
pub(crate) struct Packaged {
    pub synthesis: Synthesis,
    /// The template as written, for deploy and diff to send without reading it back.
    pub template: String,
    pub template_path: PathBuf,
    pub manifest_path: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum PackageError {
    #[error("the template cannot be synthesized")]
    Synth(SynthError),
    #[error(transparent)]
    Write(#[from] crate::host::files::WriteError),
}

/// Synthesizes the plan and writes `.sls/<stage>/template.json` and `manifest.json`, with the
/// hashes of whatever `build` has produced so far.
pub(crate) fn package(plan: &Plan) -> Result<Packaged, PackageError> {
    let mut synthesis = synth::synthesize(plan).map_err(PackageError::Synth)?;
    let built = build::load_state(plan).into_iter().map(|(f, s)| (f, (s.sha256, s.size))).collect();
    synthesis.manifest.record_artifacts(&built);
    let dir = plan.config.root.join(".sls").join(&plan.stage);
    let (template_path, manifest_path) = (dir.join("template.json"), dir.join("manifest.json"));
    let template = synth::to_json(&synthesis.template);
    let manifest = serde_json::to_string_pretty(&synthesis.manifest).expect("manifest serializes") + "\n";
    let root = &plan.config.root;
    crate::host::files::write_atomic(root, &template_path, template.as_bytes())?;
    crate::host::files::write_atomic(root, &manifest_path, manifest.as_bytes())?;
    Ok(Packaged { synthesis, template, template_path, manifest_path })
}
