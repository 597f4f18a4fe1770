/**
 * The connection state, from the SDK's events only (`state`, `retrying`, `redirect`):
 * connecting → live; lost → "reconnecting in N s" counting down to the attempt the SDK
 * scheduled; a `reconnect` from the server → "moving to another endpoint", then live
 * again with a note that the page moved. `data-state` on #status names the state for
 * tests and styles.
 *
 * Screen readers hear each state once (the sr-only text changes only with the state);
 * the visible countdown ticking every second is hidden from them.
 */
import type { ClientState, FilmgrainClient } from '../client/index.js';
import { byId } from './dom.js';

type Shown = 'connecting' | 'connected' | 'reconnecting' | 'moving' | 'closed';

const MOVED_NOTE_MS = 15_000;

export class StatusView {
  private readonly root = byId<HTMLElement>('status');
  private readonly visible = byId<HTMLElement>('status-text');
  private readonly spoken = byId<HTMLElement>('status-spoken');
  private readonly detail = byId<HTMLElement>('status-detail');
  private retryAt: number | null = null;
  private countdown: ReturnType<typeof setInterval> | null = null;
  private movedAt = 0;
  private movedTo = '';
  private state: ClientState = 'idle';

  constructor(client: FilmgrainClient) {
    client.on('state', ({ to, endpoint, reason }) => {
      this.state = to;
      if (to === 'connected') {
        this.stopCountdown();
        const moved = Date.now() - this.movedAt < MOVED_NOTE_MS;
        this.show('connected', 'Live', moved ? `Live, moved to another endpoint` : 'Live');
        // Where it is connected is a detail for the curious (a tooltip); a move is news.
        this.detail.textContent = moved ? `moved to ${this.movedTo}` : '';
        this.root.title = endpoint === undefined ? '' : `Connected to ${endpoint}`;
      } else if (to === 'reconnecting') {
        if (this.root.dataset.state !== 'moving')
          this.show('reconnecting', 'Reconnecting…', 'Connection lost, reconnecting');
        this.detail.textContent = reason?.message ?? '';
      } else if (to === 'closed') {
        this.stopCountdown();
        this.show('closed', 'Disconnected', `Disconnected${reason ? `: ${reason.message}` : ''}`);
        this.detail.textContent = reason?.code ?? '';
      } else if (to === 'connecting') this.show('connecting', 'Connecting…', 'Connecting');
    });
    client.on('redirect', ({ target, reason, delayMs }) => {
      this.movedAt = Date.now();
      this.movedTo = `${target.host}:${target.port}`;
      this.show(
        'moving',
        'Moving to another endpoint…',
        `This endpoint is ${reason}; moving to another one`,
      );
      this.detail.textContent = `${reason}; to ${this.movedTo} in ${Math.ceil(delayMs / 1000)} s`;
    });
    client.on('retrying', ({ delayMs, redirected }) => {
      if (redirected) return;
      this.retryAt = Date.now() + delayMs;
      this.tick();
      if (this.countdown === null) this.countdown = setInterval(() => this.tick(), 250);
    });
  }

  private tick(): void {
    const waiting = this.state === 'reconnecting' || this.state === 'connecting';
    if (this.retryAt === null || !waiting) {
      this.stopCountdown();
      return;
    }
    const s = Math.ceil((this.retryAt - Date.now()) / 1000);
    if (this.root.dataset.state === 'moving') return;
    const verb = this.state === 'connecting' ? 'Retrying' : 'Reconnecting';
    this.visible.textContent = s > 0 ? `${verb} in ${s} s` : `${verb}…`;
    this.root.dataset.retryIn = String(Math.max(0, s));
  }

  private stopCountdown(): void {
    if (this.countdown !== null) clearInterval(this.countdown);
    this.countdown = null;
    this.retryAt = null;
    delete this.root.dataset.retryIn;
  }

  private show(state: Shown, text: string, spoken: string): void {
    this.root.dataset.state = state;
    this.visible.textContent = text;
    if (this.spoken.textContent !== spoken) this.spoken.textContent = spoken;
  }
}
