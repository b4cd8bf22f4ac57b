//! Local runtime: `sls-rs dev` — the whole service (or every service of a project) on this
//! machine: HTTP APIs served by warm instances of the real handlers, tables, queues, buckets
//! and topics on one local AWS endpoint, the triggers between them run by sls-rs; rebuilt and
//! swapped on save without dropping anything.

use crate::local::endpoint::provision::{self, Provisioned};
use crate::local::endpoint::services::{self, Services};
use crate::local::http::listener::{self, App};
use crate::local::runtime::pool::Pool;
pub(crate) use crate::local::session::report::{Cause, Delivery, DevEvent, LocalResource, Reporter};
pub(crate) use crate::local::session::units::{Project, Unit};
use crate::local::triggers::{self, Trigger};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

pub(crate) struct Options {
    pub host: String,
    /// The first API's port; a project's other services listen on the ports after it.
    pub port: u16,
    pub max_instances: usize,
    pub watch: bool,
    /// The AWS endpoint handlers and triggers use; `None` leaves handlers to the developer's
    /// own AWS settings and runs no triggers.
    pub services: Option<services::Choice>,
    /// Names besides this machine's the listeners answer to (`--allow-host`).
    pub allow_hosts: Vec<String>,
    /// Answer the control routes from other machines (`--expose-control`).
    pub expose_control: bool,
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum DevError {
    #[error(transparent)]
    Compile(#[from] crate::local::runtime::compile::CompileError),
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: String, source: std::io::Error },
    #[error(transparent)]
    Services(#[from] services::ServicesError),
    #[error(transparent)]
    Provision(#[from] provision::ProvisionError),
    #[error("{0}")]
    Other(String),
}

/// Reports a wait for the target directory's build lock as an event.
fn waiting_for(report: &Reporter) -> impl FnMut(&std::path::Path) + '_ {
    move |dir| report(DevEvent::WaitingForBuild { target_dir: dir.display().to_string() })
}

pub(crate) async fn serve(mut project: Project, opts: Options, report: Reporter) -> Result<(), DevError> {
    let started = Instant::now();
    // The endpoint starts while the handlers build: it costs no wait unless the build is quicker.
    let log_dir = project.root.join(".sls").join("dev");
    let opening = opts.services.clone().map(|choice| {
        let (region, process) = (project.region.clone(), project.process.clone());
        tokio::spawn(async move {
            let t = Instant::now();
            Services::open(&choice, &region, &log_dir, &process).await.map(|s| (s, t.elapsed()))
        })
    });
    let binaries = tokio::task::block_in_place(|| project.compile(&mut waiting_for(&report)))?;
    report(DevEvent::Built { handlers: binaries.len(), seconds: started.elapsed().as_secs_f64() });
    // Listening comes before handlers get their environment: an API's URL is an output
    // another service may read.
    let listeners = bind(&opts, &project).await?;
    for (unit, url, _) in &listeners {
        if let Some(i) = unit {
            project.units[*i].api = Some(url.clone());
        }
    }
    let tables = project.units.iter().flat_map(|u| table_keys(&u.plan)).collect();
    let tracer = Arc::new(crate::local::endpoint::tracer::Tracer::new(tables));
    let (services, trigger_list) = match opening {
        None => (None, Vec::new()),
        Some(task) => {
            let (services, opened) = task.await.map_err(|e| DevError::Other(e.to_string()))??;
            let t = Instant::now();
            let mut provisioned = Vec::new();
            for u in &project.units {
                provisioned.push(provision::provision(&u.plan, &services).await?);
            }
            let seconds = (opened + t.elapsed()).as_secs_f64();
            report(local_aws_event(&project, &services, &provisioned, seconds));
            if services.remote {
                let (url, account, region) = (services.url.clone(), services.account.clone(), services.region.clone());
                report(DevEvent::Remote { url, account, region });
            }
            // Handlers reach a local endpoint through the tracing proxy; a remote one (TLS,
            // someone else's) directly, untraced.
            let handler_url = if services.remote || !services.url.starts_with("http://") {
                services.url.clone()
            } else {
                let started = crate::local::endpoint::tracer::start(&services.url, Arc::clone(&tracer)).await;
                started.map_err(|e| DevError::Other(format!("cannot start the tracing proxy: {e}")))?
            };
            let mut all = Vec::new();
            for (u, p) in project.units.iter_mut().zip(provisioned) {
                all.extend(p.triggers.into_iter().map(|t| Trigger { function: u.label(&t.function), ..t }));
                u.local = Some(crate::local::LocalEnv {
                    addresses: p.addresses,
                    account: services.account.clone(),
                    env: services.handler_env(&handler_url),
                    inherit_aws: services.remote,
                    inputs: BTreeMap::new(),
                });
            }
            (Some(services), all)
        }
    };
    let missing = project.link();
    if !missing.is_empty() {
        report(DevEvent::OutputsMissing { references: missing, project_root: project.units.len() > 1 });
    }
    let project = Arc::new(project);
    let pools: BTreeMap<String, Arc<Pool>> = project
        .specs(&binaries)
        .into_iter()
        .map(|(label, spec)| {
            // Reserved concurrency caps instances on AWS, so it does here: a function limited
            // to one instance shows its queueing locally too. (0 stops it on AWS; locally it
            // still runs one, as there is nothing to protect.)
            let reserved = project.units.iter().flat_map(|u| u.functions()).find(|(_, _, l)| *l == label);
            let reserved = reserved.and_then(|(decl, _, _)| decl.concurrency);
            let limit = reserved.map_or(opts.max_instances, |r| opts.max_instances.min(r as usize));
            (label, Arc::new(Pool::new(spec, limit)))
        })
        .collect();
    let (triggers, pollers) = match &services {
        Some(s) => {
            let ctx = Arc::new(triggers::Ctx {
                endpoint: s.url.clone(),
                clients: s.clients.clone(),
                tracer,
                region: s.region.clone(),
                account: s.account.clone(),
                pools: pools.clone(),
                report: Arc::clone(&report),
                // Lambda starts five pollers a queue; more than there may be instances is waste.
                pollers: opts.max_instances.min(5),
            });
            let tasks = triggers::spawn_all(Arc::clone(&ctx), &trigger_list);
            (Some((ctx, trigger_list)), tasks)
        }
        None => (None, Vec::new()),
    };

    let (stop, stopped) = tokio::sync::watch::channel(false);
    let mut servers = tokio::task::JoinSet::new();
    let guard = crate::local::http::serve::Guard {
        hosts: opts.allow_hosts.clone(),
        any_ip: !host_is_loopback(&opts.host),
        expose_control: opts.expose_control,
        internal: false,
    };
    if guard.any_ip {
        report(DevEvent::Exposed { host: opts.host.clone(), control: opts.expose_control });
    }
    let mut ready = Vec::new();
    for (unit, url, listener) in listeners {
        let routes = unit.map(|i| project.units[i].routes()).unwrap_or_default();
        for r in &routes {
            let (base, path) = (url.clone(), r.path.clone());
            report(DevEvent::Route {
                method: r.method.to_string(),
                base,
                path,
                function: r.function.clone(),
                auth: r.auth,
            });
        }
        let service = unit.and_then(|i| project.units[i].key.clone());
        ready.push(DevEvent::Listening { url, service });
        let app = App {
            routes,
            pools: pools.clone(),
            report: Arc::clone(&report),
            triggers: triggers.clone(),
            project: Arc::clone(&project),
        };
        let router = crate::local::http::serve::guarded(listener::router(app), guard.clone());
        servers.spawn(crate::local::http::serve::serve(listener, router, stopped.clone()));
    }
    // Ctrl-C is ours from before "listening" is said: a Ctrl-C right after it must stop dev
    // as cleanly as a later one, not kill it by the default action.
    let mut interrupt =
        crate::host::signal::Interrupt::listen().map_err(|e| DevError::Other(format!("cannot handle Ctrl-C: {e}")))?;
    ready.into_iter().for_each(|e| report(e));

    if opts.watch {
        // Whole workspaces, not just the services: handlers may use shared crates.
        let roots = project.workspaces.iter().map(|ws| ws.root.clone()).collect();
        let (project, pools, swapped) = (Arc::clone(&project), pools.clone(), Arc::clone(&report));
        let rebuild = move || -> Result<(), crate::local::runtime::compile::CompileError> {
            let t = Instant::now();
            let binaries = project.compile(&mut waiting_for(&swapped))?;
            for (label, spec) in project.specs(&binaries) {
                pools[&label].replace(spec);
            }
            swapped(DevEvent::Swapped { seconds: t.elapsed().as_secs_f64() });
            Ok(())
        };
        crate::local::session::watch::watch(roots, rebuild, Arc::clone(&report));
    }

    tokio::select! {
        _ = interrupt.recv() => {}
        Some(ended) = servers.join_next() => {
            let reason = match ended {
                Ok(Ok(())) => "a listener stopped".to_string(),
                Ok(Err(e)) => e.to_string(),
                Err(e) => e.to_string(),
            };
            return Err(DevError::Other(reason));
        }
    }
    let _ = stop.send(true);
    while servers.join_next().await.is_some() {}
    // Pollers first (a batch in flight returns to the queue), then the endpoint `dev` started
    // (and only that one), by dropping it.
    for task in pollers {
        task.abort();
    }
    drop(services);
    report(DevEvent::Stopped);
    Ok(())
}

/// Whether `--host` keeps the listeners to this machine.
fn host_is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost") || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// A listener per service with an HTTP API (ports counted up from `--port`, unless it is 0),
/// or one for the admin endpoints when none has: (service index, base URL, listener).
async fn bind(
    opts: &Options,
    project: &Project,
) -> Result<Vec<(Option<usize>, String, tokio::net::TcpListener)>, DevError> {
    let mut apis: Vec<Option<usize>> = project
        .units
        .iter()
        .enumerate()
        .filter(|(_, u)| u.plan.functions.iter().any(|f| f.http))
        .map(|(i, _)| Some(i))
        .collect();
    if apis.is_empty() {
        apis.push(None);
    }
    let mut out = Vec::new();
    for (n, unit) in apis.into_iter().enumerate() {
        let port = if opts.port == 0 { 0 } else { opts.port.saturating_add(n as u16) };
        let addr = format!("{}:{port}", opts.host);
        let listener = tokio::net::TcpListener::bind(&addr)
            .await
            .map_err(|source| DevError::Bind { addr: addr.clone(), source })?;
        let local = listener.local_addr().map_err(|e| DevError::Other(e.to_string()))?;
        out.push((unit, format!("http://{local}"), listener));
    }
    Ok(out)
}

/// Each table's key attribute names, by its name on the endpoint, for tracing item changes.
fn table_keys(plan: &crate::plan::Plan) -> BTreeMap<String, Vec<String>> {
    let tables = plan.resources.iter().filter(|r| r.kind == crate::config::ResourceKind::Table);
    tables
        .map(|r| {
            let t = &plan.config.resources.tables[&r.name];
            (r.physical_name.clone(), std::iter::once(&t.key).chain(&t.sort).map(|k| k.name.clone()).collect())
        })
        .collect()
}

/// The endpoint and, per resource, a command that shows what it holds.
fn local_aws_event(project: &Project, s: &Services, provisioned: &[Provisioned], seconds: f64) -> DevEvent {
    use crate::config::ResourceKind;
    let mut resources = Vec::new();
    for (u, p) in project.units.iter().zip(provisioned) {
        for r in &u.plan.resources {
            let address = p.addresses.get(&r.logical_id).cloned().unwrap_or_default();
            let aws = format!("aws --endpoint-url {} --region {}", s.url, s.region);
            let inspect = match r.kind {
                ResourceKind::Table => format!("{aws} dynamodb scan --table-name {address}"),
                ResourceKind::Queue => {
                    format!("{aws} sqs get-queue-attributes --attribute-names All --queue-url {address}")
                }
                ResourceKind::Bucket => format!("{aws} s3 ls --recursive s3://{address}"),
                ResourceKind::Topic => format!("{aws} sns list-subscriptions-by-topic --topic-arn {address}"),
            };
            resources.push(LocalResource { kind: r.kind.noun(), name: u.label(&r.name), address, inspect });
        }
    }
    DevEvent::LocalAws {
        url: s.url.clone(),
        started: s.started,
        log: s.log.as_ref().map(|l| l.display().to_string()),
        resources,
        seconds,
    }
}
