/** The in-process registry: for `filmgrain start` and tests; same contract as Redis. */
import { type Clock, realClock } from '../clock/clock.js';
import {
  type EndpointAnnouncement,
  type EndpointRecord,
  type HeartbeatOptions,
  heartbeat,
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

  constructor(private readonly clock: Clock = realClock) {}

  async register(
    a: EndpointAnnouncement,
    load: () => { connections: number },
    options: HeartbeatOptions = {},
  ): Promise<Registration> {
    const startedAt = this.clock.now();
    return heartbeat(
      a.id,
      async (now, ttlMs, draining) => {
        const record: EndpointRecord = {
          ...a,
          connections: load().connections,
          draining: this.live(a.id)?.draining ?? draining,
          startedAt,
          updatedAt: now,
        };
        this.entries.set(a.id, { record, expiresAt: now + ttlMs });
        return record.draining;
      },
      async () => {
        this.entries.delete(a.id);
      },
      options,
      this.clock,
    );
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
    return pollWatch(() => this.list(), listener, intervalMs, this.clock).stop;
  }

  private live(id: string): EndpointRecord | undefined {
    const e = this.entries.get(id);
    if (e === undefined) return undefined;
    if (e.expiresAt <= this.clock.now()) {
      this.entries.delete(id);
      return undefined;
    }
    return e.record;
  }
}
