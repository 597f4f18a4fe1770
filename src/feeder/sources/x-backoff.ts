/**
 * X's documented reconnect schedule (docs.x.com, "Handling disconnections",
 * "Reconnection strategy"), as a pure function of the failure kind and attempt number.
 * X prescribes exact waits rather than jitter, so jitter is only ever added on top
 * (`jitterRatio` of the wait), never subtracted.
 */

/** TCP/IP errors: "back off linearly", +250 ms per attempt, "up to 16 seconds". */
export const NETWORK_STEP_MS = 250;
export const NETWORK_CAP_MS = 16_000;
/** HTTP errors: "start with a 5 second wait, doubling each attempt, up to 320 seconds". */
export const HTTP_BASE_MS = 5_000;
export const HTTP_CAP_MS = 320_000;
/**
 * HTTP 429: "start with a 1 minute wait and double each attempt". The docs name no cap;
 * 32 minutes (six doublings) is ours, so a long outage still retries twice an hour.
 */
export const RATE_BASE_MS = 60_000;
export const RATE_CAP_MS = 32 * 60_000;

export type XFailure = { kind: 'network' } | { kind: 'http'; status: number };

/** The wait before retry `attempt` (0-based) after `failure`. */
export function xReconnectDelay(
  failure: XFailure,
  attempt: number,
  random: () => number = Math.random,
  jitterRatio = 0.1,
): number {
  const n = Math.max(0, attempt);
  let base: number;
  if (failure.kind === 'network') base = Math.min(NETWORK_STEP_MS * (n + 1), NETWORK_CAP_MS);
  else if (failure.status === 429)
    base = Math.min(RATE_BASE_MS * 2 ** Math.min(n, 30), RATE_CAP_MS);
  else base = Math.min(HTTP_BASE_MS * 2 ** Math.min(n, 30), HTTP_CAP_MS);
  return base + Math.floor(random() * base * jitterRatio);
}
