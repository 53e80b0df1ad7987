import { randomUUID } from "node:crypto";
import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import { EPHEMERAL_PORTS } from "../../local/local-ports.ts";
import { startLocalStack } from "../../local/local-stack.ts";
import type { LocalStackOptions } from "../../local/local-stack-options.ts";
import type { LocalStack } from "../../local/running-local-stack.ts";
import { DEMO_OSIS_TENANT_ID, type DemoPerson } from "../../local/simulators/demo-users.ts";
import type { RecordOutcome } from "../../shared/runtime/consumer/outcome.ts";
import { sourceDeduplicationId } from "../../shared/runtime/events/deduplication-id.ts";
import type { LifecycleEvent } from "../../shared/runtime/events/lifecycle-event.ts";
import { captureLogs } from "../support/captured-logs.ts";

/** Small settings so a transient failure is retried within a second or two, not minutes. */
export const FAST_TUNING: Readonly<Record<string, string>> = {
  CONSUMER_BACKOFF_BASE_SECONDS: "1",
  CONSUMER_BACKOFF_CAP_SECONDS: "2",
  CONSUMER_MAX_ATTEMPTS: "3",
  CONSUMER_PLATFORM_TIMEOUT_MS: "1000",
  CONSUMER_DEADLINE_MARGIN_MS: "2000",
};

/** A local stack on free ports, isolated from the developer's environment and files. */
export interface TestStack {
  stack: LocalStack;
  outcomes: RecordOutcome[];
  logs: ReturnType<typeof captureLogs>;
}

export async function startTestStack(options: LocalStackOptions = {}): Promise<TestStack> {
  const outcomes: RecordOutcome[] = [];
  const logs = captureLogs();
  const stack = await startLocalStack({
    ports: EPHEMERAL_PORTS,
    stackFile: false,
    env: FAST_TUNING,
    logger: logs.logger,
    random: () => 0.5,
    ...options,
    consumer: { functionTimeoutMs: 10_000, ...options.consumer },
    onOutcome: (outcome) => {
      outcomes.push(outcome);
      options.onOutcome?.(outcome);
    },
  });
  return { stack, outcomes, logs };
}

export function event(
  type: LifecycleEvent["type"],
  subject: string,
  data: LifecycleEvent["data"],
  time = new Date().toISOString(),
): LifecycleEvent {
  return {
    specversion: "1.0",
    id: randomUUID(),
    source: "urn:test:e2e",
    type,
    time,
    subject,
    data,
  };
}

/** Sends as every producer does: group = subject, deduplication id from source + id. */
export async function enqueue(stack: LocalStack, lifecycleEvent: LifecycleEvent): Promise<string> {
  const output = await stack.sqs.send(
    new SendMessageCommand({
      QueueUrl: stack.queueUrl,
      MessageBody: JSON.stringify(lifecycleEvent),
      MessageGroupId: lifecycleEvent.subject,
      MessageDeduplicationId: sourceDeduplicationId(lifecycleEvent),
    }),
  );
  return output.MessageId ?? "";
}

/** Reads and deletes everything in the DLQ. */
export async function takeDeadLetters(stack: LocalStack): Promise<Message[]> {
  const all: Message[] = [];
  for (;;) {
    const output = await stack.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: stack.dlqUrl,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ["All"],
        MessageSystemAttributeNames: ["All"],
      }),
    );
    const messages = output.Messages ?? [];
    if (messages.length === 0) return all;
    all.push(...messages);
    await stack.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: stack.dlqUrl,
        Entries: messages.map((m, index) => ({
          Id: String(index),
          ReceiptHandle: m.ReceiptHandle,
        })),
      }),
    );
  }
}

/** A demo person's state on both simulators. */
export function stateOf(
  stack: LocalStack,
  person: DemoPerson,
): { enabled: boolean | undefined; active: boolean | undefined } {
  const account = stack.platforms.accountPlatform.simulator?.user(person.accountUserId);
  const osis = stack.platforms.osis.simulator?.user(DEMO_OSIS_TENANT_ID, person.login);
  return {
    enabled: account?.enabled,
    active: osis === undefined ? undefined : osis.active !== false,
  };
}

export function attribute(message: Message, name: string): string | undefined {
  return message.MessageAttributes?.[name]?.StringValue;
}
