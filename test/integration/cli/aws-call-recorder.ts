/** One AWS request a command made, as IAM authorizes it: `sqs:SendMessage` and its input. */
export interface AwsCall {
  /** The command line that made it (`dlq redrive`). */
  by: string;
  action: string;
  input: Record<string, unknown>;
}

const SERVICE_OF_CLIENT: Readonly<Record<string, string>> = {
  SQSClient: "sqs",
  DynamoDBClient: "dynamodb",
  CloudFormationClient: "cloudformation",
  SecretsManagerClient: "secretsmanager",
  EventBridgeClient: "events",
  CloudWatchLogsClient: "logs",
};

/** IAM authorizes an SQS batch request by the action of one entry. */
const ACTION_OF_BATCH: Readonly<Record<string, string>> = {
  "sqs:SendMessageBatch": "sqs:SendMessage",
  "sqs:DeleteMessageBatch": "sqs:DeleteMessage",
  "sqs:ChangeMessageVisibilityBatch": "sqs:ChangeMessageVisibility",
};

/** What an aws-sdk-client-mock stub keeps of the requests it answered. */
interface MockHistory {
  calls(): { args: readonly unknown[] }[];
  resetHistory(): void;
}

interface MiddlewareClient {
  middlewareStack: {
    add(
      middleware: (
        next: (args: { input: object }) => Promise<unknown>,
        context: { clientName?: string; commandName?: string },
      ) => (args: { input: object }) => Promise<unknown>,
      options: { step: "initialize"; name: string },
    ): void;
  };
}

/**
 * Every AWS request of the commands run: real clients through an SDK middleware, clients mocked
 * with aws-sdk-client-mock (where no local stand-in has the operation) from the mock's history.
 */
export class AwsCallRecorder {
  readonly calls: AwsCall[] = [];
  /** The command line now running; set before each run. */
  by = "";

  /** Adds the recording middleware to a real client. */
  record<T extends MiddlewareClient>(client: T): T {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        this.#push(context.clientName ?? "", context.commandName ?? "", args.input);
        return next(args);
      },
      { step: "initialize", name: "recordAwsCall" },
    );
    return client;
  }

  /** Moves a mock's history into the record (a mock never runs middleware). */
  takeMocked(mock: MockHistory, clientName: string): void {
    for (const call of mock.calls()) {
      const command = call.args[0] as { constructor: { name: string }; input: object };
      this.#push(clientName, command.constructor.name, command.input);
    }
    mock.resetHistory();
  }

  #push(clientName: string, commandName: string, input: object): void {
    const service = SERVICE_OF_CLIENT[clientName] ?? clientName;
    const action = `${service}:${commandName.replace(/Command$/, "")}`;
    this.calls.push({
      by: this.by,
      action: ACTION_OF_BATCH[action] ?? action,
      input: input as Record<string, unknown>,
    });
  }
}
