import { rm } from "node:fs/promises";
import { OUTCOME_BUS_NAME } from "../shared/contract/setting-names.ts";
import { type EventBridgeServer, startEventBridgeServer } from "./stand-ins/eventbridge-server.ts";

/** The local outcome bus's name (deployed: the stack's bus, output `OutcomeBusName`). */
export const LOCAL_OUTCOME_BUS_NAME = "lifecycle-outcomes";

/** Where the local stack's outcomes go; false: publishing is off (`OUTCOME_BUS_NAME` unset). */
export type LocalOutcomesOption = { file?: string | undefined } | false;

export interface LocalOutcomeBus {
  server: EventBridgeServer;
  file: string | undefined;
  /** The consumer's and the scheduler's variable. */
  wiring: { [OUTCOME_BUS_NAME]: string };
}

/**
 * The EventBridge stand-in the local consumer and scheduler publish to. The file starts empty
 * unless the stack keeps its ledger on disk (`--data`): its outcomes then go on from the last
 * run's, as the ledger does.
 */
export async function startLocalOutcomeBus(options: {
  outcomes: LocalOutcomesOption;
  port: number;
  host: string;
  region: string;
  keepFile: boolean;
}): Promise<LocalOutcomeBus | undefined> {
  if (options.outcomes === false) return undefined;
  const file = options.outcomes.file;
  if (file !== undefined && !options.keepFile) await rm(file, { force: true });
  const server = await startEventBridgeServer({
    port: options.port,
    host: options.host,
    region: options.region,
    file,
  });
  return { server, file, wiring: { [OUTCOME_BUS_NAME]: LOCAL_OUTCOME_BUS_NAME } };
}
