import { setTimeout as sleep } from "node:timers/promises";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { listScheduledChanges } from "../../shared/operator/schedule/schedule-operations.ts";
import { isAcknowledged, type RecordOutcome } from "../../shared/runtime/consumer/outcome.ts";
import { sourceDeduplicationId } from "../../shared/runtime/events/deduplication-id.ts";
import type { LifecycleEvent } from "../../shared/runtime/events/lifecycle-event.ts";
import { toMessageBody } from "../../shared/runtime/events/message-body.ts";
import { DynamoDbLedger } from "../../shared/runtime/ledger/dynamodb-ledger.ts";
import { sendToWebhook } from "../local-webhook.ts";
import type { LocalStack } from "../running-local-stack.ts";
import { DEMO_OSIS_TENANT_ID, DEMO_PEOPLE, type DemoPerson } from "../simulators/demo-users.ts";
import { type DemoStep, demoScript, type ExpectedOutcome } from "./demo-script.ts";

/**
 * Runs the demo script on a started local stack (simulated platforms, demo people seeded):
 * each phase is prepared, sent and drained in turn; then what became of each event and of
 * each person is read back.
 */
export interface DemoEventResult {
  step: DemoStep;
  messageId: string | undefined;
  /** The record's final, acknowledged outcome (undefined if it never got one). */
  outcome: RecordOutcome | undefined;
  asExpected: boolean;
}

export interface DemoPersonState {
  person: DemoPerson;
  accountEnabled: boolean | undefined;
  accountVersion: number | undefined;
  /** undefined: not on OSIS. */
  osisActive: boolean | undefined;
  /** The person's OSIS S3 keys, by whether each signs requests. */
  osisKeys: { active: number; inactive: number };
}

export interface DemoResult {
  events: DemoEventResult[];
  people: DemoPersonState[];
  deadLetters: number;
}

/** Collects the consumer's outcomes; pass `record` as the stack's `onOutcome`. */
export class OutcomeRecorder {
  readonly outcomes: RecordOutcome[] = [];
  readonly record = (outcome: RecordOutcome): void => {
    this.outcomes.push(outcome);
  };

  /** The last acknowledged outcome of a message (retries come before it). */
  finalOutcome(match: {
    messageId?: string | undefined;
    eventId?: string;
  }): RecordOutcome | undefined {
    return this.outcomes.findLast(
      (outcome) =>
        isAcknowledged(outcome.outcome) &&
        (match.messageId !== undefined
          ? outcome.messageId === match.messageId
          : outcome.eventId === match.eventId),
    );
  }
}

export async function runDemo(
  stack: LocalStack,
  recorder: OutcomeRecorder,
  options: { now?: number; drainTimeoutMs?: number; signal?: AbortSignal } = {},
): Promise<DemoResult> {
  const accountPlatform = stack.platforms.accountPlatform.simulator;
  const osis = stack.platforms.osis.simulator;
  if (!accountPlatform || !osis) {
    throw new Error("the demo needs both platform simulators");
  }
  const phases = demoScript({
    now: options.now ?? Date.now(),
    versionConflictRetries: stack.config.versionConflictRetries,
  });
  const sent: { step: DemoStep; messageId: string | undefined }[] = [];
  for (const phase of phases) {
    phase.prepare?.({ accountPlatform });
    for (const step of phase.steps) {
      sent.push({ step, messageId: await send(stack, step) });
    }
    const drain = { timeoutMs: options.drainTimeoutMs ?? 30_000, signal: options.signal };
    await stack.waitUntilDrained(drain);
    if (phase.awaitScheduled) {
      await waitUntilNoneScheduled(stack, drain);
      await stack.waitUntilDrained(drain);
    }
  }

  const events = sent.map(({ step, messageId }) => {
    // A scheduled change comes back as another message: follow it by its event id.
    const outcome = recorder.finalOutcome(
      step.via === "queue" && step.effectiveInMs === undefined
        ? { messageId }
        : { eventId: step.event.id },
    );
    return { step, messageId, outcome, asExpected: matches(outcome, step.expected) };
  });
  const people = DEMO_PEOPLE.map((person) => {
    const account = accountPlatform.user(person.accountUserId);
    const osisUser = person.inOsis ? osis.user(DEMO_OSIS_TENANT_ID, person.login) : undefined;
    return {
      person,
      accountEnabled: account?.enabled,
      accountVersion: account?.version,
      osisActive: osisUser === undefined ? undefined : osisUser.active !== false,
      osisKeys: keyCounts(osis.credentials(DEMO_OSIS_TENANT_ID, person.login)),
    };
  });
  const deadLetters = (await stack.dlqDepth()).total;
  return { events, people, deadLetters };
}

function keyCounts(keys: readonly { active?: boolean }[]): DemoPersonState["osisKeys"] {
  const active = keys.filter((key) => key.active !== false).length;
  return { active, inactive: keys.length - active };
}

/** Until the scheduler has put every scheduled change back on the queue and it was applied. */
async function waitUntilNoneScheduled(
  stack: LocalStack,
  options: { timeoutMs: number; signal?: AbortSignal | undefined },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const ledger = new DynamoDbLedger({ client: stack.dynamodb, tableName: stack.ledgerTable });
  while ((await listScheduledChanges(ledger)).length > 0) {
    if (Date.now() > deadline) throw new Error("the scheduled changes did not fall due in time");
    await sleep(250, undefined, { signal: options.signal });
  }
}

async function send(stack: LocalStack, step: DemoStep): Promise<string | undefined> {
  if (step.effectiveInMs !== undefined) {
    const effectiveAt = new Date(Date.now() + step.effectiveInMs).toISOString();
    step.event.data = { ...step.event.data, effectiveAt };
  }
  if (step.via === "webhook") {
    await sendToWebhook({ url: stack.endpoints.webhook, secret: stack.webhookSecret }, step.event);
    return undefined;
  }
  return enqueue(stack, step.event, step.deduplicationId);
}

async function enqueue(
  stack: LocalStack,
  event: LifecycleEvent,
  deduplicationId: string | undefined,
): Promise<string | undefined> {
  const output = await stack.sqs.send(
    new SendMessageCommand({
      QueueUrl: stack.queueUrl,
      MessageBody: toMessageBody(event),
      MessageGroupId: event.subject,
      MessageDeduplicationId: deduplicationId ?? sourceDeduplicationId(event),
    }),
  );
  return output.MessageId;
}

function matches(outcome: RecordOutcome | undefined, expected: ExpectedOutcome): boolean {
  if (outcome === undefined || outcome.outcome !== expected.outcome) return false;
  return expected.outcome !== "dead_lettered" || outcome.reason === expected.reason;
}
