import { isAbsolute, join } from "node:path";
import type { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { Command } from "commander";
import {
  type LifecycleSettings,
  requireSetting,
  resolveLifecycleSettings,
  type SettingsFlags,
} from "../shared/operator/configuration/lifecycle-settings.ts";
import { LOCAL_STACK_FILE } from "../shared/operator/configuration/local-stack-file.ts";
import { outcomeBusOf } from "../shared/operator/configuration/outcome-bus-settings.ts";
import { readStackOutputs } from "../shared/operator/configuration/stack-outputs.ts";
import type { AwsClientOptions } from "../shared/runtime/aws/aws-clients.ts";
import { DynamoDbLedger } from "../shared/runtime/ledger/dynamodb-ledger.ts";
import { createLogger } from "../shared/runtime/logging/logger.ts";
import { noMetrics } from "../shared/runtime/metrics/metrics.ts";
import { OutcomeOutbox } from "../shared/runtime/outcomes/outcome-outbox.ts";
import { OutcomePublisher } from "../shared/runtime/outcomes/outcome-publisher.ts";
import { type ClientFactories, type CliIo, DEFAULT_CLIENTS } from "./cli-io.ts";

/** The global options every command sees (cli/program.ts declares them). */
export interface GlobalOptions extends SettingsFlags {
  verbose?: boolean;
}

/**
 * What one run of the command shares between its parts: the streams, the settings once
 * resolved (and announced on stderr), and the AWS clients it made (closed when the run ends).
 */
export class CommandContext {
  readonly io: CliIo;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly clients: ClientFactories;
  readonly now: () => number;
  verbose = false;
  /** Set by a command that reports its own outcome (`local`); otherwise success is 0. */
  exitCode: number | undefined;
  #settings: LifecycleSettings | undefined;
  readonly #made: { destroy(): void }[] = [];

  constructor(io: CliIo) {
    this.io = io;
    this.env = io.env ?? process.env;
    this.cwd = io.cwd ?? process.cwd();
    this.clients = { ...DEFAULT_CLIENTS, ...io.clients };
    this.now = io.now ?? Date.now;
  }

  /** The settings seen so far (for error messages that name an endpoint). */
  get settingsIfResolved(): LifecycleSettings | undefined {
    return this.#settings;
  }

  /** Resolves where the command acts and says so on stderr (once per run). */
  async settings(command: Command): Promise<LifecycleSettings> {
    if (this.#settings !== undefined) return this.#settings;
    const options = command.optsWithGlobals<GlobalOptions>();
    this.verbose = options.verbose === true;
    const settings = await resolveLifecycleSettings({
      flags: options,
      env: this.env,
      localStackFile: this.path(LOCAL_STACK_FILE),
      localStackFileLabel: LOCAL_STACK_FILE,
      readStackOutputs: async (stackName, region) => {
        const client = this.#keep(this.clients.cloudFormation({ region }));
        return readStackOutputs(client, stackName, region);
      },
    });
    this.#settings = settings;
    // With nothing configured, the missing-setting error that follows says all there is.
    if (Object.keys(settings.origins).length > 0) this.note(`Acting on ${settings.description}.`);
    if (this.verbose) {
      for (const [name, origin] of Object.entries(settings.origins)) {
        this.note(`  ${name} from ${origin}`);
      }
    }
    return settings;
  }

  sqs(settings: LifecycleSettings): SQSClient {
    return this.#keep(this.clients.sqs(this.#clientOptions(settings, settings.sqsEndpoint)));
  }

  dynamodb(settings: LifecycleSettings): DynamoDBClient {
    return this.#keep(
      this.clients.dynamodb(this.#clientOptions(settings, settings.dynamodbEndpoint)),
    );
  }

  /** `client`: one of `dynamodb(settings)` the caller watches; else a fresh one. */
  ledger(settings: LifecycleSettings, client = this.dynamodb(settings)): DynamoDbLedger {
    return new DynamoDbLedger({
      client,
      tableName: requireSetting(settings, "ledgerTable"),
    });
  }

  /** Publishes what the command did to dead letters; undefined: no outcome bus is configured. */
  outcomePublisher(settings: LifecycleSettings): OutcomePublisher | undefined {
    const bus = outcomeBusOf(settings, this.env);
    if (bus === undefined) return undefined;
    const client = this.#keep(
      this.clients.eventBridge(this.#clientOptions(settings, bus.endpoint)),
    );
    const logger = createLogger({ sink: (line) => this.note(line) });
    const outbox = settings.ledgerTable === undefined ? NO_OUTBOX : this.#outbox(settings);
    return new OutcomePublisher({
      bus: { client, busName: bus.busName, source: bus.source },
      outbox,
      metrics: noMetrics,
      logger,
    });
  }

  /** The CloudWatch Logs client of the settings' region. */
  cloudWatchLogs(settings: LifecycleSettings): CloudWatchLogsClient {
    return this.#keep(this.clients.cloudWatchLogs(this.#clientOptions(settings, undefined)));
  }

  #outbox(settings: LifecycleSettings): OutcomeOutbox {
    return new OutcomeOutbox({
      client: this.dynamodb(settings),
      tableName: requireSetting(settings, "ledgerTable"),
      now: this.now,
    });
  }

  /** A path the operator gave, or a default, relative to the working directory. */
  path(relative: string): string {
    return isAbsolute(relative) ? relative : join(this.cwd, relative);
  }

  /** A line on stderr: what is happening (stdout is kept for results). */
  note(line: string): void {
    this.io.stderr.write(`${line}\n`);
  }

  /** A result line on stdout. */
  out(line: string): void {
    this.io.stdout.write(`${line}\n`);
  }

  /** Closes every client this run made, so the process can exit. */
  dispose(): void {
    for (const client of this.#made.splice(0)) client.destroy();
  }

  #clientOptions(settings: LifecycleSettings, endpoint: string | undefined): AwsClientOptions {
    return { region: settings.region, endpoint, credentials: settings.credentials };
  }

  #keep<T extends { destroy(): void }>(client: T): T {
    this.#made.push(client);
    return client;
  }
}

/** Without a ledger table the CLI has no outbox: what EventBridge refused is logged whole. */
const NO_OUTBOX = {
  keep: async () => {
    throw new Error("no ledger table to keep the outcome in");
  },
};
