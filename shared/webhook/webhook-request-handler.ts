import type { SQSClient } from "@aws-sdk/client-sqs";
import type { LifecycleEvent } from "../events/lifecycle-event.ts";
import { MAX_EVENT_BYTES } from "../events/lifecycle-event.ts";
import { type ValidationProblem, validateLifecycleEvent } from "../events/validation.ts";
import { describeError, type Logger } from "../logging/logger.ts";
import type { Metrics } from "../metrics/metrics.ts";
import { type BambooHrFieldMapping, mapBambooHrBody } from "./bamboohr-mapping.ts";
import { verifyBambooHrSignature } from "./bamboohr-signature.ts";
import { EnqueueFailedError, enqueueEvents } from "./event-enqueuer.ts";
import { BATCH_EVENT_TYPE, mediaType, SINGLE_EVENT_TYPES } from "./media-type.ts";
import type { SigningKeyring } from "./signing-keys.ts";
import { verifyStandardWebhook } from "./standard-webhooks.ts";
import { responses, type WebhookResponse } from "./webhook-responses.ts";

/** A request as received: headers lower-cased, the body as the exact bytes that were signed. */
export interface WebhookRequest {
  method: string;
  path: string;
  headers: Readonly<Record<string, string | undefined>>;
  rawBody: Buffer;
}

export interface WebhookRequestHandlerOptions {
  sqs: SQSClient;
  queueUrl: string;
  keys: { standardWebhooks: SigningKeyring; bamboohr: SigningKeyring };
  bamboohrMapping: BambooHrFieldMapping;
  logger: Logger;
  metrics: Metrics;
  now?: () => number;
}

export const MAX_BODY_BYTES = 256 * 1024;
export const MAX_BATCH_EVENTS = 50;
const ROUTES = { "/events": "events", "/bamboohr": "bamboohr" } as const;

/**
 * The webhook, in the order the checks must run: route, size, signature, content type, schema.
 * Nothing is parsed, logged or enqueued before the signature holds.
 */
export async function handleWebhookRequest(
  request: WebhookRequest,
  options: WebhookRequestHandlerOptions,
): Promise<WebhookResponse> {
  const response = await answer(request, options);
  if (response.status === 202) options.metrics.count("WebhookAccepted");
  else options.metrics.count("WebhookRejected", { status: String(response.status) });
  return response;
}

async function answer(
  request: WebhookRequest,
  options: WebhookRequestHandlerOptions,
): Promise<WebhookResponse> {
  const route = ROUTES[request.path as keyof typeof ROUTES];
  if (route === undefined) return responses.notFound();
  if (request.method.toUpperCase() !== "POST") return responses.methodNotAllowed();
  if (request.rawBody.length > MAX_BODY_BYTES) return responses.tooLarge(MAX_BODY_BYTES);

  const nowSeconds = Math.floor((options.now ?? Date.now)() / 1000);
  const { headers, rawBody } = request;
  const authentic =
    route === "events"
      ? await options.keys.standardWebhooks.verify((keys) =>
          verifyStandardWebhook({
            id: headers["webhook-id"],
            timestamp: headers["webhook-timestamp"],
            signature: headers["webhook-signature"],
            rawBody,
            keys,
            nowSeconds,
          }),
        )
      : await options.keys.bamboohr.verify((keys) =>
          verifyBambooHrSignature({
            timestamp: headers["x-bamboohr-timestamp"],
            signature: headers["x-bamboohr-signature"],
            rawBody,
            keys,
            nowSeconds,
          }),
        );
  if (!authentic) {
    options.logger.warn("webhook refused: signature did not verify", { route });
    return responses.unauthorized();
  }

  const type = mediaType(headers["content-type"]);
  const allowed =
    route === "events" ? [...SINGLE_EVENT_TYPES, BATCH_EVENT_TYPE] : ["application/json"];
  if (type === undefined || !allowed.includes(type)) return responses.unsupportedType(allowed);

  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString("utf8"));
  } catch {
    return responses.invalid([{ path: "$", message: "is not valid JSON" }]);
  }

  const candidates =
    route === "events"
      ? readCloudEvents(body, type === BATCH_EVENT_TYPE)
      : mapBambooHrBody(body, headers["x-bamboohr-timestamp"] ?? "", options.bamboohrMapping);
  if (!candidates.ok) return responses.invalid(candidates.problems);

  const validated = validateAll(
    candidates.events,
    type === BATCH_EVENT_TYPE || route === "bamboohr",
  );
  if (!validated.ok) return responses.invalid(validated.problems);

  try {
    await enqueueEvents(options.sqs, options.queueUrl, validated.events);
  } catch (error) {
    if (!(error instanceof EnqueueFailedError)) throw error;
    options.logger.error("webhook could not enqueue every event", {
      route,
      error: describeError(error),
    });
    return responses.unavailable();
  }
  const ids = validated.events.map((event) => event.id);
  const ignored = "ignored" in candidates ? { ignored: candidates.ignored } : {};
  options.logger.info("webhook accepted events", { route, events: ids.length, ...ignored });
  return responses.accepted(ids, ignored);
}

type Candidates = { ok: true; events: unknown[] } | { ok: false; problems: ValidationProblem[] };

function readCloudEvents(body: unknown, batch: boolean): Candidates {
  if (!batch) return { ok: true, events: [body] };
  if (!Array.isArray(body)) {
    return { ok: false, problems: [{ path: "$", message: "must be a JSON array of events" }] };
  }
  if (body.length === 0 || body.length > MAX_BATCH_EVENTS) {
    return {
      ok: false,
      problems: [
        {
          path: "$",
          message: `must hold 1 to ${MAX_BATCH_EVENTS} events (it holds ${body.length})`,
        },
      ],
    };
  }
  return { ok: true, events: body };
}

/** All or nothing: every problem of every event is reported, and then nothing is enqueued. */
function validateAll(
  candidates: readonly unknown[],
  indexed: boolean,
): { ok: true; events: LifecycleEvent[] } | { ok: false; problems: ValidationProblem[] } {
  const events: LifecycleEvent[] = [];
  const problems: ValidationProblem[] = [];
  candidates.forEach((candidate, index) => {
    const root = indexed ? `$[${index}]` : "$";
    const result = validateLifecycleEvent(candidate, root);
    if (!result.ok) {
      problems.push(...result.problems);
    } else if (Buffer.byteLength(JSON.stringify(result.event)) > MAX_EVENT_BYTES) {
      problems.push({ path: root, message: `is larger than ${MAX_EVENT_BYTES} bytes` });
    } else {
      events.push(result.event);
    }
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, events };
}
