/** The in-process registry: for `filmgrain start` and tests; same contract as Redis. */
import {
  DEFAULT_HEARTBEAT_MS,
  type EndpointAnnouncement,
  type EndpointRecord,
  type HeartbeatOptions,
  pollWatch,
  type Registration,
  type Registry,
} from './registry.js';

interface Entry {
  record: EndpointRecord;
  expiresAt: number;
}

export class MemoryRegistry implements Registry {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  async register(
    a: EndpointAnnouncement,
    load: () => { connections: number },
    options: HeartbeatOptions = {},
  ): Promise<Registration> {
    const intervalMs = options.intervalMs ?? DEFAULT_HEARTBEAT_MS;
    const ttlMs = options.ttlMs ?? 3 * intervalMs;
    const startedAt = this.now();
    let draining = false;
    let withdrawn = false;
    const beat = async () => {
      if (withdrawn) return;
      const now = this.now();
      const prev = this.live(a.id);
      const record: EndpointRecord = {
        ...a,
        connections: load().connections,
        draining: prev?.draining ?? draining,
        startedAt,
        updatedAt: now,
      };
      this.entries.set(a.id, { record, expiresAt: now + ttlMs });
      if (record.draining !== draining) {
        draining = record.draining;
        options.onDraining?.(draining);
      }
    };
    await beat();
    const timer = setInterval(() => void beat(), intervalMs);
    timer.unref();
    return {
      id: a.id,
      get draining() {
        return draining;
      },
      beat,
      withdraw: async () => {
        withdrawn = true;
        clearInterval(timer);
        this.entries.delete(a.id);
      },
    };
  }

  async list(): Promise<EndpointRecord[]> {
    const out: EndpointRecord[] = [];
    for (const id of [...this.entries.keys()].sort()) {
      const r = this.live(id);
      if (r !== undefined) out.push({ ...r });
    }
    return out;
  }

  async setDraining(id: string, draining: boolean): Promise<boolean> {
    const r = this.live(id);
    if (r === undefined) return false;
    r.draining = draining;
    return true;
  }

  watch(listener: (endpoints: EndpointRecord[]) => void, intervalMs?: number): () => void {
    return pollWatch(() => this.list(), listener, intervalMs).stop;
  }

  private live(id: string): EndpointRecord | undefined {
    const e = this.entries.get(id);
    if (e === undefined) return undefined;
    if (e.expiresAt <= this.now()) {
      this.entries.delete(id);
      return undefined;
    }
    return e.record;
  }
}
