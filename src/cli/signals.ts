/** Resolves with the first of `signals` the process receives. */
export function untilSignal(signals: NodeJS.Signals[]): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const handler = (sig: NodeJS.Signals) => {
      for (const s of signals) process.off(s, handler);
      resolve(sig);
    };
    for (const s of signals) process.on(s, handler);
  });
}
