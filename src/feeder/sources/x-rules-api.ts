/**
 * The filtered stream's rules endpoints over `fetch`.
 *
 * docs.x.com, "GET /2/tweets/search/stream/rules" → `{data?: [{id, value, tag}], meta}`;
 * "POST /2/tweets/search/stream/rules" with `{"add": [{value, tag}]}` or
 * `{"delete": {"ids": [...]}}` → `{data?, meta: {summary}, errors?}`. Rule-level problems
 * (invalid or duplicate rules) come back in `errors` with status 200/201, so they are
 * counted rather than thrown.
 */
import type { ExistingRule, StreamRule } from './x-rules.js';

export class XHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface RulesApi {
  baseUrl: string;
  token: string;
  /** Rules per POST request. Default 100. */
  perRequest?: number;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

async function call(api: RulesApi, method: 'GET' | 'POST', body?: unknown): Promise<unknown> {
  const init: RequestInit = {
    method,
    headers: {
      authorization: `Bearer ${api.token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
  };
  if (body !== undefined) init.body = JSON.stringify(body);
  const res = await fetch(new URL('/2/tweets/search/stream/rules', api.baseUrl), init);
  const text = await res.text();
  if (!res.ok)
    throw new XHttpError(res.status, `rules ${method}: HTTP ${res.status} ${text.slice(0, 200)}`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new XHttpError(res.status, `rules ${method}: response is not JSON`);
  }
}

export async function getRules(api: RulesApi): Promise<ExistingRule[]> {
  const body = await call(api, 'GET');
  const data = isObject(body) && Array.isArray(body.data) ? body.data : [];
  const out: ExistingRule[] = [];
  for (const r of data) {
    if (!isObject(r) || typeof r.id !== 'string' || typeof r.value !== 'string') continue;
    out.push({ id: r.id, value: r.value, tag: typeof r.tag === 'string' ? r.tag : '' });
  }
  return out;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function errorCount(body: unknown): number {
  return isObject(body) && Array.isArray(body.errors) ? body.errors.length : 0;
}

/** Deletes then adds; returns how many rules X refused. */
export async function applyRuleDiff(
  api: RulesApi,
  diff: { delete: string[]; add: StreamRule[] },
): Promise<number> {
  const size = api.perRequest ?? 100;
  let refused = 0;
  // Delete first so the project never holds old and new rules beyond its cap.
  for (const ids of chunks(diff.delete, size)) {
    refused += errorCount(await call(api, 'POST', { delete: { ids } }));
  }
  for (const add of chunks(diff.add, size)) {
    refused += errorCount(await call(api, 'POST', { add }));
  }
  return refused;
}
