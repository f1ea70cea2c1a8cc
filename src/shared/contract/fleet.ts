// Channels of the fleet domain (Prometheus endpoint, Alertmanager webhook, log forwarding).
// Owned by the fleet work; see contract/index.ts.
import { z } from 'zod';
import { channel } from './define';

const epochMs = z.number().int().min(0).max(1e14);

/** One delivery pipeline (webhook or log forwarding): its on-disk queue and its receiver. */
export const FleetDelivery = z.object({
  enabled: z.boolean(),
  /** where messages go: the webhook URL (credentials removed), journald socket, syslog address */
  target: z.string(),
  /** 'idle' = nothing queued, 'delivering', 'retrying' (receiver down; next attempt at nextAttemptAt), 'disabled' */
  state: z.enum(['disabled', 'idle', 'delivering', 'retrying']),
  queued: z.number().int(),
  queuedBytes: z.number().int(),
  delivered: z.number().int(),
  /** dropped because the queue was full (oldest first) */
  dropped: z.number().int(),
  /** refused by the receiver for good (HTTP 400, 413, 415, 422) */
  rejected: z.number().int(),
  consecutiveFailures: z.number().int(),
  lastSuccessAt: epochMs.nullable(),
  lastError: z.string().nullable(),
  lastErrorAt: epochMs.nullable(),
  nextAttemptAt: epochMs.nullable(),
  queueDir: z.string(),
});
export type FleetDelivery = z.infer<typeof FleetDelivery>;

export const FleetStatus = z.object({
  metrics: z.object({
    enabled: z.boolean(),
    /** http(s)://address:port/path while serving, else null */
    url: z.string().nullable(),
    tls: z.boolean(),
    auth: z.boolean(),
    scrapes: z.number().int(),
    lastScrapeAt: epochMs.nullable(),
    lastScrapeMs: z.number().nullable(),
    error: z.string().nullable(),
  }),
  webhook: FleetDelivery,
  logs: FleetDelivery,
  problems: z.array(z.string()),
});
export type FleetStatus = z.infer<typeof FleetStatus>;

export const fleetChannels = {
  'fleet:status': channel(
    z.object({}).strict(),
    FleetStatus,
    'Prometheus endpoint, webhook and log forwarding: state, queue depth, deliveries and last errors.',
  ),
  'fleet:testWebhook': channel(
    z.object({ resolve: z.boolean().default(true) }).strict(),
    z.object({ queued: z.number().int(), fingerprint: z.string() }),
    'Queue a test alert (AinlWebhookTest) for the webhook, and its resolution unless resolve is false.',
  ),
  'fleet:metrics': channel(
    z.object({}).strict(),
    z.object({ text: z.string(), tookMs: z.number() }),
    'The Prometheus text exposition the endpoint serves (rendered now, also when the endpoint is off).',
  ),
};

export const fleetEvents = {};
