import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { LOCAL_STACK_FILE } from "../shared/operator/configuration/local-stack-file.ts";
import type { Environment } from "../shared/runtime/consumer/consumer-config.ts";
import { type BambooHrSetup, chooseBambooHr, setUpBambooHr } from "./bamboohr-setup.ts";
import { LOCAL_REGION } from "./local-aws.ts";
import { type LocalOutcomeBus, startLocalOutcomeBus } from "./local-outcomes.ts";
import { LOCAL_HOST, type LocalPorts } from "./local-ports.ts";
import type { LocalStackOptions } from "./local-stack-options.ts";
import {
  choosePlatforms,
  type PlatformSetup,
  setUpPlatforms,
  stopPlatforms,
} from "./platform-setup.ts";
import { listenOn } from "./port-unavailable-error.ts";
import { type DynamoDbServer, startDynamoDbServer } from "./stand-ins/dynamodb-server.ts";
import { type SqsServer, startSqsServer } from "./stand-ins/sqs-server.ts";

/** What the deployed handlers talk to, each on loopback: AWS's stand-ins and the platforms. */
export interface LocalStandIns {
  sqsServer: SqsServer;
  dynamoDbServer: DynamoDbServer;
  /** The simulators, or the real platforms the environment names. */
  platforms: PlatformSetup;
  /** BambooHR's employee API: the simulator, or the real one the environment names. */
  bamboohr: BambooHrSetup;
  /** The EventBridge stand-in; undefined: publishing outcomes is off. */
  outcomeBus: LocalOutcomeBus | undefined;
}

/**
 * Starts fauxqs, dynalite, the platforms and BambooHR at once, then the EventBridge stand-in.
 * Each registers its stop on `teardown` as soon as it runs.
 */
export async function startLocalStandIns(
  options: Pick<LocalStackOptions, "dataDir" | "seedDemoPeople" | "stackFile" | "outcomes">,
  env: Environment,
  ports: LocalPorts,
  teardown: AsyncDisposableStack,
): Promise<LocalStandIns> {
  const own = <T extends { stop(): Promise<void> }>(part: T): T =>
    teardown.adopt(part, () => part.stop());
  const choice = choosePlatforms(env);
  const bamboohrChoice = chooseBambooHr(env);
  const ledgerPath = options.dataDir ? join(options.dataDir, "ledger") : undefined;
  if (ledgerPath) await mkdir(ledgerPath, { recursive: true });
  const seedDemoPeople = options.seedDemoPeople ?? true;
  const [sqsStarted, dynamoDbStarted, platformsStarted, bamboohrStarted] = await Promise.allSettled(
    [
      listenOn("sqs", ports.sqs, () => startSqsServer({ port: ports.sqs, host: LOCAL_HOST })).then(
        own,
      ),
      listenOn("dynamodb", ports.dynamodb, () =>
        startDynamoDbServer({ port: ports.dynamodb, host: LOCAL_HOST, path: ledgerPath }),
      ).then(own),
      setUpPlatforms(choice, ports, { seedDemoPeople }).then((platforms) =>
        teardown.adopt(platforms, stopPlatforms),
      ),
      setUpBambooHr(bamboohrChoice, ports.bamboohr, { seedDemoPeople }).then((bamboohr) =>
        teardown.adopt(bamboohr, async () => bamboohr.simulator?.stop()),
      ),
    ],
  );
  // The first failure in start order: with every port taken, the message names the first.
  if (sqsStarted.status === "rejected") throw sqsStarted.reason;
  if (dynamoDbStarted.status === "rejected") throw dynamoDbStarted.reason;
  if (platformsStarted.status === "rejected") throw platformsStarted.reason;
  if (bamboohrStarted.status === "rejected") throw bamboohrStarted.reason;
  const outcomeBus = await listenOn("eventBridge", ports.eventBridge, () =>
    startLocalOutcomeBus({
      outcomes:
        options.outcomes ??
        (options.stackFile === false
          ? {}
          : { file: join(dirname(options.stackFile ?? LOCAL_STACK_FILE), "outcomes.ndjson") }),
      port: ports.eventBridge,
      host: LOCAL_HOST,
      region: LOCAL_REGION,
      keepFile: options.dataDir !== undefined,
    }),
  );
  if (outcomeBus) teardown.adopt(outcomeBus.server, (server) => server.stop());
  return {
    sqsServer: sqsStarted.value,
    dynamoDbServer: dynamoDbStarted.value,
    platforms: platformsStarted.value,
    bamboohr: bamboohrStarted.value,
    outcomeBus,
  };
}
