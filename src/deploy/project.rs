//! Deploy stage, for a project: the selected services deployed in dependency order through
//! `order` — eagerly, a bounded number at once — each by `deploy` with a step of its own, and
//! everything that happens reported as one typed event naming its service, for the command to
//! draw as rows, lines or NDJSON.

use super::order::{self, Ended};
use super::stack::Change;
use super::watch::StackEvent;
use super::{DeployError, Hooks, Notice, Options, Report, Step};
use crate::aws::Aws;
use crate::synth::Manifest;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Mutex;

/// One service to deploy: what `package` made of it.
pub(crate) struct Service<'a> {
    pub manifest: &'a Manifest,
    pub template: &'a str,
    pub root: &'a Path,
}

/// What happened to service `index` (an index into the project's services).
#[derive(Debug)]
pub(crate) enum Event<'a> {
    Started(usize),
    Finished {
        index: usize,
        ok: bool,
    },
    /// Not deployed: `because` failed or was skipped before it.
    Skipped {
        index: usize,
        because: usize,
    },
    Notice(usize, Notice),
    Stack(usize, &'a StackEvent),
    /// The changes its change set holds (one question was asked for the whole project).
    Changes(usize, &'a [Change]),
}

/// Deploys each selected service (the keys of `services`, indices into the project's) once
/// everything it `needs` has deployed; `steps[i]` tracks how far service `i` got, for whoever
/// must say what an interruption left behind.
pub(crate) async fn deploy_all(
    aws: &Aws,
    needs: &[BTreeSet<usize>],
    services: &BTreeMap<usize, Service<'_>>,
    opts: &Options,
    concurrency: usize,
    steps: &[Mutex<Step>],
    on: &(dyn Fn(Event) + Sync),
) -> Vec<Option<Ended<Report, DeployError>>> {
    let picked: BTreeSet<usize> = services.keys().copied().collect();
    // `order` runs a job only for a service it was given.
    let job = |i: usize| {
        let s = &services[&i];
        async move {
            let notice = |n: Notice| on(Event::Notice(i, n));
            let mut on_event = |e: &StackEvent| on(Event::Stack(i, e));
            let mut confirm = |changes: &[Change]| {
                on(Event::Changes(i, changes));
                true
            };
            let hooks = Hooks { notice: &notice, step: &steps[i], event: &mut on_event, confirm: &mut confirm };
            super::deploy(aws, s.manifest, s.template, s.root, opts, hooks).await
        }
    };
    let progress = |e: order::Event| {
        on(match e {
            order::Event::Started(i) => Event::Started(i),
            order::Event::Finished { index, ok } => Event::Finished { index, ok },
            order::Event::Skipped { index, because } => Event::Skipped { index, because },
        })
    };
    order::run(needs, &picked, concurrency, progress, job).await
}
