//! Local runtime: warm instances of one function, like Lambda keeps them — reused while
//! healthy, more started under concurrent load (up to a limit), replaced when one crashes or
//! when a rebuild swaps the binary.

use crate::local::runtime::instance::{Instance, Outcome, Spec};
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

pub(crate) struct Pool {
    spec: Mutex<Arc<Spec>>,
    idle: Mutex<Vec<Instance>>,
    generation: std::sync::atomic::AtomicU64,
    limit: Semaphore,
}

impl Pool {
    pub(crate) fn new(spec: Spec, max_instances: usize) -> Pool {
        Pool {
            spec: Mutex::new(Arc::new(spec)),
            idle: Mutex::new(Vec::new()),
            generation: std::sync::atomic::AtomicU64::new(0),
            limit: Semaphore::new(max_instances.max(1)),
        }
    }

    pub(crate) fn spec(&self) -> Arc<Spec> {
        Arc::clone(&self.spec.lock().expect("pool lock"))
    }

    fn current(&self) -> u64 {
        self.generation.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Runs one invocation on a warm instance, starting one if none is free; `trace` is the
    /// trace root of what caused it, if known.
    pub(crate) async fn invoke(&self, payload: Vec<u8>, trace: Option<String>) -> std::io::Result<Outcome> {
        let _permit = self.limit.acquire().await.map_err(std::io::Error::other)?;
        let generation = self.current();
        let warm = self.idle.lock().expect("pool lock").pop();
        let mut instance = match warm {
            Some(i) if i.generation == generation => i,
            _ => Instance::start(self.spec(), generation).await?,
        };
        let outcome = instance.invoke(payload, trace).await;
        // A crashed or timed-out instance is dropped (which kills it); the next request starts
        // a fresh one. So is one whose binary was replaced while it worked.
        if outcome.reusable && instance.generation == self.current() {
            self.idle.lock().expect("pool lock").push(instance);
        }
        Ok(outcome)
    }

    /// Points new invocations at a rebuilt binary; idle instances of the old one stop now,
    /// busy ones when they finish.
    pub(crate) fn replace(&self, spec: Spec) {
        *self.spec.lock().expect("pool lock") = Arc::new(spec);
        self.generation.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.idle.lock().expect("pool lock").clear();
    }
}
