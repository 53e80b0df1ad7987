import { loadSchedulerConfig } from "../../shared/runtime/schedule/scheduler-config.ts";
import { createSchedulerDependencies } from "../../shared/runtime/schedule/scheduler-dependencies.ts";
import { createSchedulerHandler } from "./create-handler.ts";

/** The deployed scheduler: configuration, dependencies, handler. */
const config = loadSchedulerConfig(process.env);

export const handler = createSchedulerHandler(createSchedulerDependencies({ config }));
