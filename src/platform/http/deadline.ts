/** An abort signal for one outgoing request, and the way to drop it once the answer is in. */
export interface Deadline {
  readonly signal: AbortSignal;
  /** Cancels the timer: call as soon as the request has settled. */
  clear(): void;
}

/**
 * A signal that aborts with a TimeoutError after `ms`, like `AbortSignal.timeout(ms)`,
 * but whose timer is cancelled when the request settles. `AbortSignal.timeout` keeps
 * its timer, the signal and whatever listens to it alive for the whole timeout: under
 * load that is thousands of finished requests' state promoted to the old generation
 * (tens of MB of RSS) for nothing.
 */
export function deadline(ms: number): Deadline {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`no answer within ${ms} ms`, 'TimeoutError')), ms);
  timer.unref();
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}
