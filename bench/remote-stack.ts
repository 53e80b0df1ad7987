import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { OutageMode, RandomFaultOptions } from "../local/simulators/common/fault-injector.ts";
import type { LocalStackFile } from "../shared/operator/configuration/local-stack-file.ts";
import { createSqsClient, LOCAL_AWS_CREDENTIALS } from "../shared/runtime/aws/aws-clients.ts";
import type { PlatformName } from "../shared/runtime/errors/platform-errors.ts";
import type { CallCounts, FirstWrites, PersonIds, StackCommand } from "./stack-process.ts";

type Command = StackCommand extends infer C
  ? C extends { id: number }
    ? Omit<C, "id">
    : never
  : never;

/** The stack's servers in a child process (bench/stack-process.ts), driven over IPC. */
export class RemoteStack {
  readonly file: LocalStackFile;
  readonly #child: ChildProcess;
  readonly #pending = new Map<
    number,
    { resolve(value: unknown): void; reject(error: Error): void }
  >();
  #next = 1;

  private constructor(child: ChildProcess, file: LocalStackFile) {
    this.#child = child;
    this.file = file;
    child.on("message", (message: { id: number; result?: unknown; error?: string }) => {
      const pending = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      if (message.error !== undefined) pending?.reject(new Error(message.error));
      else pending?.resolve(message.result);
    });
  }

  /** An SQS client on the child's queues; the caller destroys it. */
  sqsClient(): SQSClient {
    return createSqsClient({
      region: this.file.region,
      endpoint: this.file.sqsEndpoint,
      credentials: LOCAL_AWS_CREDENTIALS,
    });
  }

  static start(): Promise<RemoteStack> {
    const child = fork(fileURLToPath(new URL("./stack-process.ts", import.meta.url)), [], {
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill();
        reject(new Error("the stack process did not start within 30 s"));
      }, 30_000);
      child.once("message", (message: { id: number; result: LocalStackFile }) => {
        clearTimeout(timer);
        resolve(new RemoteStack(child, message.result));
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`the stack process exited with ${code}`));
      });
    });
  }

  #request(command: Command): Promise<unknown> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#child.send({ ...command, id });
    });
  }

  async seed(people: string[], osisTenantId: string): Promise<string[]> {
    return (await this.#request({ command: "seed", people, osisTenantId })) as string[];
  }

  async configure(latencyMs: number, rateLimit: number | undefined): Promise<void> {
    await this.#request({ command: "configure", latencyMs, rateLimit });
  }

  async clearCalls(): Promise<void> {
    await this.#request({ command: "clearCalls" });
  }

  async calls(): Promise<CallCounts> {
    return (await this.#request({ command: "calls" })) as CallCounts;
  }

  /** CPU time the stack's process has used so far, microseconds (user + system). */
  /** Starts (`mode`) or ends (undefined) an outage of one simulated platform. */
  async outage(platform: PlatformName, mode: OutageMode | undefined): Promise<void> {
    await this.#request({ command: "outage", platform, mode });
  }

  /** When each call to one simulated platform arrived (epoch ms), since the last clearCalls. */
  async callTimes(platform: PlatformName): Promise<number[]> {
    return (await this.#request({ command: "callTimes", platform })) as number[];
  }

  /** Seeded random faults on both simulated platforms; undefined stops them. */
  async randomFaults(options: RandomFaultOptions | undefined): Promise<void> {
    await this.#request({ command: "randomFaults", options });
  }

  /** When each user was first written on each platform (answered 200), since the last clearCalls. */
  async firstWrites(): Promise<FirstWrites> {
    return (await this.#request({ command: "firstWrites" })) as FirstWrites;
  }

  /** Each person's state on both platforms: account enabled, OSIS active. */
  async states(people: PersonIds[]): Promise<{ enabled: boolean | undefined; active: boolean }[]> {
    return (await this.#request({ command: "states", people })) as {
      enabled: boolean | undefined;
      active: boolean;
    }[];
  }

  async cpuMicros(): Promise<number> {
    return (await this.#request({ command: "cpu" })) as number;
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.#child.once("exit", resolve));
    await this.#request({ command: "stop" }).catch(() => {});
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    if (this.#child.exitCode === null) this.#child.kill();
  }
}
