import type { CommandModule } from "./command-module.ts";
import { dlqCommand } from "./dlq.ts";
import { guardCommand } from "./guard.ts";
import { localCommand } from "./local.ts";
import { outcomesCommand } from "./outcomes.ts";
import { planCommand } from "./plan.ts";
import { platformsCommand } from "./platforms.ts";
import { reconcileCommand } from "./reconcile.ts";
import { scheduleCommand } from "./schedule.ts";
import { sendCommand } from "./send.ts";
import { statusCommand } from "./status.ts";

/**
 * Every top-level command, in the order `lifecycle --help` lists them. Adding one: write
 * cli/commands/<name>.ts exporting a CommandModule, and add it here.
 */
export const COMMANDS: readonly CommandModule[] = [
  sendCommand,
  planCommand,
  dlqCommand,
  statusCommand,
  outcomesCommand,
  platformsCommand,
  scheduleCommand,
  guardCommand,
  reconcileCommand,
  localCommand,
];
