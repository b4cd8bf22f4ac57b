//! Deploy stage, for a project: runs one job per service in dependency order, eagerly — a
//! service starts the moment everything it needs has finished, not when a whole "wave" has —
//! with at most `concurrency` running. A failure skips what depends on it; the rest go on.

use futures_util::stream::{FuturesUnordered, StreamExt};
use std::collections::BTreeSet;
use std::future::Future;

/// How one service's job ended.
#[derive(Debug)]
pub(crate) enum Ended<T, E> {
    Done(T),
    Failed(E),
    /// Not run: `because` (an index) failed or was skipped before it.
    Skipped {
        because: usize,
    },
}

/// What the scheduler tells its caller as it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Event {
    Started(usize),
    Finished { index: usize, ok: bool },
    Skipped { index: usize, because: usize },
}

/// Runs `job(i)` for each selected `i`, after every selected service in `needs[i]`. Needs
/// outside the selection count as met: those services are deployed already, or not at all,
/// and a job that reads their outputs finds out which.
pub(crate) async fn run<T, E, F, Fut>(
    needs: &[BTreeSet<usize>],
    selected: &BTreeSet<usize>,
    concurrency: usize,
    mut on: impl FnMut(Event),
    job: F,
) -> Vec<Option<Ended<T, E>>>
where
    F: Fn(usize) -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    let n = needs.len();
    let mut ended: Vec<Option<Ended<T, E>>> = (0..n).map(|_| None).collect();
    let mut started = vec![false; n];
    let mut running = FuturesUnordered::new();
    let waits_on = |i: usize| needs[i].iter().copied().filter(|j| selected.contains(j)).collect::<Vec<_>>();
    loop {
        // Skips first: a service whose producer failed never starts.
        for i in selected.iter().copied() {
            if started[i] {
                continue;
            }
            let failed =
                waits_on(i).into_iter().find(|&j| matches!(ended[j], Some(Ended::Failed(_) | Ended::Skipped { .. })));
            if let Some(because) = failed {
                started[i] = true;
                ended[i] = Some(Ended::Skipped { because });
                on(Event::Skipped { index: i, because });
            }
        }
        for i in selected.iter().copied() {
            if running.len() >= concurrency.max(1) {
                break;
            }
            if !started[i] && waits_on(i).iter().all(|&j| matches!(ended[j], Some(Ended::Done(_)))) {
                started[i] = true;
                on(Event::Started(i));
                let fut = job(i);
                running.push(async move { (i, fut.await) });
            }
        }
        let Some((i, result)) = running.next().await else { break };
        on(Event::Finished { index: i, ok: result.is_ok() });
        ended[i] = Some(match result {
            Ok(t) => Ended::Done(t),
            Err(e) => Ended::Failed(e),
        });
    }
    ended
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;
    use std::time::Duration;

    fn needs(edges: &[&[usize]]) -> Vec<BTreeSet<usize>> {
        edges.iter().map(|e| e.iter().copied().collect()).collect()
    }

    /// A ← B ← C, and D alone; each job takes `ms[i]` and fails if listed in `fail`.
    fn run_graph(ms: [u64; 4], fail: &[usize], concurrency: usize) -> (Vec<Event>, Vec<&'static str>) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
        let needs = needs(&[&[], &[0], &[1], &[]]);
        let events = Mutex::new(Vec::new());
        let selected: BTreeSet<usize> = (0..4).collect();
        let ended = rt.block_on(run(
            &needs,
            &selected,
            concurrency,
            |e| events.lock().unwrap().push(e),
            |i| {
                let fails = fail.contains(&i);
                async move {
                    tokio::time::sleep(Duration::from_millis(ms[i])).await;
                    if fails {
                        Err(())
                    } else {
                        Ok(())
                    }
                }
            },
        ));
        let how = ended
            .iter()
            .map(|e| match e {
                Some(Ended::Done(())) => "done",
                Some(Ended::Failed(())) => "failed",
                Some(Ended::Skipped { .. }) => "skipped",
                None => "not selected",
            })
            .collect();
        (events.into_inner().unwrap(), how)
    }

    #[test]
    fn a_consumer_starts_as_soon_as_its_producer_finishes_not_after_the_slowest_of_its_wave() {
        // D is slow; B and then C must not wait for it.
        let (events, how) = run_graph([10, 10, 10, 400], &[], 4);
        let pos = |e: Event| events.iter().position(|x| *x == e).unwrap();
        assert_eq!(&events[..2], &[Event::Started(0), Event::Started(3)], "independent services start together");
        assert!(pos(Event::Started(1)) == pos(Event::Finished { index: 0, ok: true }) + 1);
        assert!(pos(Event::Started(2)) < pos(Event::Finished { index: 3, ok: true }), "{events:?}");
        assert_eq!(how, ["done"; 4]);
    }

    #[test]
    fn a_failure_skips_its_dependents_and_independent_services_finish() {
        let (events, how) = run_graph([10, 10, 10, 50], &[1], 4);
        assert_eq!(how, ["done", "failed", "skipped", "done"]);
        assert!(events.contains(&Event::Skipped { index: 2, because: 1 }));
        assert!(!events.contains(&Event::Started(2)));
    }

    #[test]
    fn concurrency_bounds_how_many_run_at_once() {
        let (events, _) = run_graph([10, 10, 10, 10], &[], 1);
        let mut running = 0;
        for e in events {
            match e {
                Event::Started(_) => running += 1,
                Event::Finished { .. } => running -= 1,
                Event::Skipped { .. } => {}
            }
            assert!(running <= 1);
        }
    }

    #[test]
    fn needs_outside_the_selection_count_as_met() {
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let needs = needs(&[&[], &[0]]);
        let selected = BTreeSet::from([1]);
        let ended = rt.block_on(run(&needs, &selected, 2, |_| {}, |_| async { Ok::<_, ()>(()) }));
        assert!(ended[0].is_none() && matches!(ended[1], Some(Ended::Done(()))));
    }
}
