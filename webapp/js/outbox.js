// The page's messages on their way: sent one at a time and in order, each under its own
// Idempotency-Key through every retry, so it is stored once whatever the network does. No DOM here.

/** Pause before the next try while the network is gone, doubling up to RETRY_MAX_MILLIS. */
export const RETRY_FIRST_MILLIS = 1_000;
export const RETRY_MAX_MILLIS = 15_000;

/** Waits `millis`, or less if `wake` is called first (the default: a timer). */
function pause(millis, wake) {
  return new Promise((resume) => {
    wake(resume);
    setTimeout(resume, millis);
  });
}

export class Outbox {
  /**
   * `post(entry)` sends one entry ({room, text, key}) and rejects with `e.problem.status === 0`
   * when the network failed; any other rejection is a refusal. `changed(outcome)` is called when
   * the entries change: with `{}` for one added, `{sent: entry}`, `{pending: entry}` (a try failed
   * for the network; it is tried again) or `{refused: entry, error}` (dropped: it will not go out
   * as it is). `wait(millis, wake)` pauses between tries; `wake` hands it a way to end it early.
   */
  constructor({ post, changed, wait = pause }) {
    this.post = post;
    this.changed = changed;
    this.wait = wait;
    this.entries = [];
    this.flushing = false;
    this.retryPause = RETRY_FIRST_MILLIS;
    this.wakeRetry = () => {};
  }

  /** Queues an entry and sends what is queued. */
  add(entry) {
    this.entries.push(entry);
    this.changed({});
    return this.flush();
  }

  /** The entries of `room` still on their way, oldest first. */
  waitingIn(room) {
    return this.entries.filter((entry) => entry.room === room);
  }

  /** The network is back: the next try comes now, after the shortest pause. */
  networkBack() {
    this.retryPause = RETRY_FIRST_MILLIS;
    this.wakeRetry();
  }

  /** Sends what is queued, in order; one call at a time does (the others return at once). */
  async flush() {
    if (this.flushing) {
      return;
    }
    this.flushing = true;
    try {
      while (this.entries.length > 0) {
        const next = this.entries[0];
        try {
          await this.post(next);
          this.entries.shift();
          this.retryPause = RETRY_FIRST_MILLIS;
          this.changed({ sent: next });
        } catch (e) {
          if (e.problem?.status === 0) {
            this.changed({ pending: next });
            const millis = this.retryPause;
            this.retryPause = Math.min(RETRY_MAX_MILLIS, millis * 2); // before: networkBack resets it
            await this.wait(millis, (wake) => {
              this.wakeRetry = wake;
            });
            continue;
          }
          this.entries.shift();
          this.changed({ refused: next, error: e });
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
