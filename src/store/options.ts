/**
 * Which store (engine + registry) a process runs on, declared once (src/options/declare.ts): in-process
 * by default, Redis with `--redis URL`. The CLI's flags and the library defaults both
 * come from this table.
 */
import { flag, int, str } from '../options/declare.js';
import { DEFAULT_DEPLOYMENT } from './redis/keys.js';

export const STORE_OPTIONS = {
  redis: str({
    flag: 'redis',
    env: 'REDIS_URL',
    value: 'URL',
    doc: 'run on Redis (redis://[user:password@]host:port, or several comma-separated cluster nodes); default: in-process',
    check: (v) => {
      for (const part of v.split(',').map((s) => s.trim())) {
        if (part === '') continue;
        const url = /^rediss?:\/\//.test(part) ? part : `redis://${part}`;
        if (!URL.canParse(url)) return `has a malformed URL "${part}"`;
      }
      return null;
    },
  }),
  redisCluster: flag({
    flag: 'redis-cluster',
    env: 'REDIS_CLUSTER',
    doc: 'treat a single --redis URL as a Redis Cluster node (several URLs always are)',
  }),
  deployment: str({
    flag: 'deployment',
    env: 'FILMGRAIN_DEPLOYMENT',
    default: DEFAULT_DEPLOYMENT,
    value: 'NAME',
    doc: 'Redis key prefix fg1:NAME: — deployments sharing a Redis keep apart',
    check: (v) => (/^[A-Za-z0-9_.-]{1,64}$/.test(v) ? null : 'must be 1-64 of A-Z a-z 0-9 _ . -'),
  }),
  redisConnectTimeoutMs: int({
    flag: 'redis-connect-timeout',
    env: 'FILMGRAIN_REDIS_CONNECT_TIMEOUT_MS',
    default: 0,
    // A server waits for its store as long as it takes (0), retrying with a logged
    // back-off; one-shot commands (drain) pass their own timeout.
    min: 0,
    max: 86_400_000,
    value: 'MS',
    doc: 'give up (exit 1) when Redis is not reachable within this long at start (0 = keep retrying, logging each attempt)',
  }),
} as const;
