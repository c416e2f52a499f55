//! A list of items and a job in, the job's result for each item out, in the items' order, the
//! items shared among a few threads: for the commands' disk work (reading, comparing, writing
//! and flushing thousands of files), where threads mostly wait on the disk.

use std::sync::atomic::{AtomicUsize, Ordering};

/// `job` applied to every item of `items` on at most `threads` threads (one when there are few
/// items); the results are in the order of `items`, whatever thread made each.
pub(crate) fn map<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    job: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let threads = threads.clamp(1, items.len().max(1));
    if threads == 1 {
        return items.iter().map(job).collect();
    }
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(index) else {
                            return done;
                        };
                        done.push((index, job(item)));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| match worker.join() {
                Ok(done) => done,
                // A job that panicked is a bug: the panic goes on, as it would on one thread.
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    });
    done.sort_unstable_by_key(|(index, _)| *index);
    done.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_the_order_of_the_items_whatever_the_threads() {
        let items: Vec<u64> = (0..1_000).collect();
        let squares: Vec<u64> = items.iter().map(|item| item * item).collect();
        for threads in [0, 1, 3, 16, 5_000] {
            assert_eq!(map(&items, threads, |item| item * item), squares);
        }
        assert_eq!(map(&[] as &[u64], 4, |item| *item), Vec::<u64>::new());
    }
}
