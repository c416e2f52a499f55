//! An answer's status, its `Retry-After` and the time waited so far in; out, whether to wait and
//! retry, and how long, or why to stop. The one retry policy of every command that calls an API
//! (`live`, and `probe` when it comes): attempts, backoff, the longest single wait, and the
//! budget of time spent waiting per case.

use std::time::Duration;

use crate::live::client::parse_retry_after;

/// How 429 and 503 answers are retried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0: never retry).
    pub max_retries: u32,
    /// Wait before the first retry when the server gives no `Retry-After`; doubled each time.
    pub first_backoff: Duration,
    /// The longest wait: backoff stops growing here, and a `Retry-After` asking for more is not
    /// waited for (the status is reported instead).
    pub longest_wait: Duration,
    /// The most time spent waiting between attempts, over all retries of one case: a wait
    /// that would pass it is not made (the status is reported, saying why).
    pub wait_budget: Duration,
}

/// The default budget of time spent waiting on retries per case: the default timeout.
pub const DEFAULT_RETRY_BUDGET: Duration = Duration::from_secs(30);

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            first_backoff: Duration::from_millis(500),
            longest_wait: Duration::from_secs(30),
            wait_budget: DEFAULT_RETRY_BUDGET,
        }
    }
}

/// What to do after a retryable answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RetryDecision {
    /// Wait this long, then try again.
    WaitAndRetry(Duration),
    /// Stop retrying; why, for the finding.
    Stop(String),
}

/// Whether an answer with this status is retried at all.
pub(crate) fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 503)
}

impl RetryPolicy {
    /// After `attempts` attempts (the last answered `status`, with `retry_after` when given),
    /// having waited `waited` in all so far: wait and retry, or stop and say why.
    pub fn decide(
        &self,
        attempts: u32,
        status: u16,
        retry_after: Option<&str>,
        waited: Duration,
    ) -> RetryDecision {
        if attempts > self.max_retries {
            return RetryDecision::Stop(format!(
                "still {status} after {attempts} attempt{} (--retries {})",
                if attempts == 1 { "" } else { "s" },
                self.max_retries
            ));
        }
        let backoff = self
            .first_backoff
            .saturating_mul(1u32 << attempts.saturating_sub(1).min(16))
            .min(self.longest_wait);
        let asked = retry_after.and_then(parse_retry_after);
        if let Some(asked) = asked
            && asked > self.longest_wait
        {
            return RetryDecision::Stop(format!(
                "not retried: `Retry-After` asks for {}, more than the longest wait of {}",
                seconds(asked),
                seconds(self.longest_wait)
            ));
        }
        let wait = asked.unwrap_or(backoff);
        let left = self.wait_budget.saturating_sub(waited);
        if wait > left {
            let asking = match asked {
                Some(_) => "`Retry-After` asks for",
                None => "the next backoff is",
            };
            return RetryDecision::Stop(format!(
                "not retried: {asking} {}, more than the {} left of the retry budget of {} per case (--retry-budget)",
                seconds(wait),
                seconds(left),
                seconds(self.wait_budget)
            ));
        }
        RetryDecision::WaitAndRetry(wait)
    }
}

fn seconds(duration: Duration) -> String {
    let millis = duration.as_millis();
    if millis.is_multiple_of(1000) {
        format!("{} s", millis / 1000)
    } else {
        format!("{millis} ms")
    }
}
