import type { SQSClient } from "@aws-sdk/client-sqs";
import {
  BAMBOOHR_IGNORED_METRIC,
  BAMBOOHR_UNORDERED_METRIC,
  WEBHOOK_ACCEPTED_METRIC,
  WEBHOOK_REJECTED_METRIC,
} from "../../contract/metrics.ts";
import { EnqueueFailedError } from "../errors/enqueue-failed-error.ts";
import type { QueuedMessage } from "../events/bamboohr-signal.ts";
import type { EventClock, ValidationProblem } from "../events/validation.ts";
import { describeError, type Logger } from "../logging/logger.ts";
import type { Metrics } from "../metrics/metrics.ts";
import { readBambooHrDelivery } from "./bamboohr-delivery.ts";
import type { BambooHrSettings } from "./bamboohr-delivery-context.ts";
import { BAMBOOHR_MAX_AGE_SECONDS } from "./bamboohr-signature.ts";
import { parseBambooHrInstant } from "./bamboohr-timestamp.ts";
import { readCloudEvents } from "./cloudevents-body.ts";
import { enqueueEvents } from "./event-enqueuer.ts";
import { readFormBody } from "./form-body.ts";
import { readJsonBody } from "./json-body.ts";
import { sourcesRefused } from "./key-sources.ts";
import { ACCEPTED_TYPES, type BodyKind, classifyContentType } from "./media-type.ts";
import { beforeDeadline, READ_DEADLINE_MS } from "./read-deadline.ts";
import {
  type Authentication,
  authenticateRequest,
  type WebhookKeyrings,
} from "./request-authentication.ts";
import { classifyRequest } from "./request-classification.ts";
import type { WebhookRequest } from "./webhook-request.ts";
import { responses, type WebhookResponse } from "./webhook-responses.ts";

export type { WebhookRequest } from "./webhook-request.ts";

export interface WebhookRequestHandlerOptions {
  sqs: SQSClient;
  queueUrl: string;
  keys: WebhookKeyrings;
  bamboohr: BambooHrSettings;
  logger: Logger;
  metrics: Metrics;
  /** Clock (epoch ms) the signature timestamps and the events' times are checked against. */
  now?: () => number;
  /** LIFECYCLE_MAX_FUTURE_SECONDS: how far ahead of now an event's `time` may be. */
  maxFutureSeconds: number;
  /** LIFECYCLE_MAX_SCHEDULE_DAYS: the furthest `data.effectiveAt` accepted. */
  maxScheduleDays: number;
  /** BAMBOOHR_MAX_AGE_SECONDS: how old a `/bamboohr` signature may be (default 10800). */
  bamboohrMaxAgeSeconds?: number | undefined;
  /** How long reading the delivery may take before the answer is 503 (default READ_DEADLINE_MS). */
  readDeadlineMs?: number | undefined;
}

/** Problems written to one log line at most; the response lists them all. */
const LOGGED_PROBLEMS = 20;

/**
 * The webhook, in the order its checks must run: route (404/405), size (413), signature (401),
 * content type (415), schema (400; 413 for too many BambooHR employees), BambooHR's API read
 * (503 when it fails), each event's source against its signing key (403); then every event is
 * enqueued (202), or none is (503). Nothing is parsed,
 * logged or enqueued before the signature holds. Bad input never throws.
 */
export async function handleWebhookRequest(
  request: WebhookRequest,
  options: WebhookRequestHandlerOptions,
): Promise<WebhookResponse> {
  const response = await answer(request, options);
  if (response.status === 202) options.metrics.count(WEBHOOK_ACCEPTED_METRIC);
  else {
    options.metrics.count(WEBHOOK_REJECTED_METRIC, {
      status: String(response.status),
      reason: response.reason ?? "other",
    });
  }
  return response;
}

async function answer(
  request: WebhookRequest,
  options: WebhookRequestHandlerOptions,
): Promise<WebhookResponse> {
  const classified = classifyRequest(request);
  if (!classified.ok) return classified.response;
  const { route } = classified;

  let authentication: Authentication;
  try {
    const nowSeconds = Math.floor((options.now ?? Date.now)() / 1000);
    authentication = await authenticateRequest(route, request, options.keys, nowSeconds, {
      bamboohrMaxAgeSeconds: options.bamboohrMaxAgeSeconds ?? BAMBOOHR_MAX_AGE_SECONDS,
    });
  } catch (error) {
    options.logger.error("The webhook could not read its signing keys", {
      route,
      error: describeError(error),
    });
    return responses.unavailable();
  }
  if (!authentication.ok) {
    // Which check failed, for the operator: a sender whose key was rotated away shows here.
    options.logger.warn("Webhook refused: the signature did not verify", {
      route,
      failedCheck: authentication.failure,
    });
    return responses.unauthorized(authentication.failure);
  }

  // From here on the sender is known: its request may be read and logged.
  const log = options.logger.child({ route, webhookId: request.headers["webhook-id"] });
  const contentType = request.headers["content-type"];
  const kind = classifyContentType(route, contentType);
  if (kind === undefined) {
    log.warn("Webhook refused: unsupported content type", {
      contentType: contentType?.slice(0, 100),
    });
    return responses.unsupportedType(ACCEPTED_TYPES[route]);
  }

  const clock = {
    now: (options.now ?? Date.now)(),
    maxFutureSeconds: options.maxFutureSeconds,
    maxScheduleDays: options.maxScheduleDays,
  };
  let read: ReadEvents;
  try {
    read = await beforeDeadline(
      readEvents(kind, request.rawBody, authentication.timestamp, options, log, clock),
      options.readDeadlineMs ?? READ_DEADLINE_MS,
      "Reading the delivery (BambooHR's API, the ledger)",
    );
  } catch (error) {
    log.error("BambooHR's API or the ledger could not be read; BambooHR is asked to retry", {
      error: describeError(error),
    });
    return responses.unavailable();
  }
  if (!read.ok) {
    log.warn("Webhook refused: invalid events", {
      problemCount: read.problems.length,
      problems: read.problems.slice(0, LOGGED_PROBLEMS),
    });
    return read.status === 413
      ? responses.tooManyEvents(read.problems)
      : responses.invalid(read.problems);
  }

  if (read.unordered?.length) {
    // Without BambooHR's API, field values without their own timestamp cannot be ordered.
    log.warn(
      "BambooHR delivery taken from its field values without their own timestamp: it cannot be ordered against other changes; configure BambooHR's API so the consumer reads employees back",
      { events: read.unordered.length, eventIds: read.unordered.slice(0, LOGGED_PROBLEMS) },
    );
    options.metrics.count(BAMBOOHR_UNORDERED_METRIC, {}, read.unordered.length);
  }
  const refused = sourcesRefused(read.events, authentication.sources, kind === "batch");
  if (refused.problems.length > 0) {
    log.warn("Webhook refused: the signing key may not send these sources", {
      sources: refused.sources.slice(0, LOGGED_PROBLEMS),
    });
    return responses.forbiddenSources(refused.sources, refused.problems);
  }

  try {
    await enqueueEvents(options.sqs, options.queueUrl, read.events, (options.now ?? Date.now)());
  } catch (error) {
    if (!(error instanceof EnqueueFailedError)) throw error;
    log.error("Webhook events were not all enqueued; the sender is asked to retry", {
      events: read.events.length,
      error: describeError(error),
    });
    return responses.unavailable();
  }
  // Employees a delivery named that became no event: each also has its own warning above.
  if (read.ignored) options.metrics.count(BAMBOOHR_IGNORED_METRIC, {}, read.ignored);
  const ids = read.events.map((event) => event.id);
  const ignored = read.ignored === undefined ? {} : { ignored: read.ignored };
  const problems = read.problems?.length ? { problems: read.problems } : {};
  log.info("Webhook events accepted", { events: ids.length, eventIds: ids, ...ignored });
  return responses.accepted(ids, { ...ignored, ...problems });
}

type ReadEvents =
  | {
      ok: true;
      events: QueuedMessage[];
      ignored?: number;
      problems?: ValidationProblem[];
      unordered?: string[];
    }
  | { ok: false; status: 400 | 413; problems: ValidationProblem[] };

/**
 * The fifth check: the body as events of the shared schema, all valid or none taken; a
 * BambooHR delivery as the events of the employees that can be mapped (bamboohr-delivery.ts).
 * Throws only when BambooHR's API or the ledger fails (the caller answers 503).
 */
async function readEvents(
  kind: BodyKind,
  rawBody: Buffer,
  timestamp: string,
  options: WebhookRequestHandlerOptions,
  log: Logger,
  clock: EventClock,
): Promise<ReadEvents> {
  const body = kind === "bamboohr-form" ? readFormBody(rawBody) : readJsonBody(rawBody);
  if (!body.ok) return { ok: false, status: 400, problems: body.problems };
  if (kind === "event" || kind === "batch") {
    const read = readCloudEvents(body.value, kind === "batch", clock);
    return read.ok ? read : { ...read, status: 400 };
  }
  // The signature held, so the timestamp parses.
  const signedAtMs = parseBambooHrInstant(timestamp) ?? Date.now();
  return readBambooHrDelivery(body.value, signedAtMs, options.bamboohr, log, clock);
}
