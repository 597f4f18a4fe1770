/**
 * Waiting in real time, for tests and benchmarks, on what they cannot be told about
 * directly (another process, a socket, a Redis read): the one poll loop they share.
 * Tests that can run on a fake clock (test/support/fake-clock.ts) should; these are
 * for the rest.
 */

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Resolves once `check()` holds, polling every `everyMs`; throws after `ms`, naming
 * `what`. `check` may be async (a Redis read): one poll is in flight at a time.
 */
export async function until(
  check: () => boolean | Promise<boolean>,
  ms = 3000,
  what = 'condition',
  everyMs = 10,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}
