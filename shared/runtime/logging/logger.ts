import { type LogItem, Logger as PowertoolsLogger } from "@aws-lambda-powertools/logger";
import type {
  ConstructorOptions,
  LogItemExtraInput,
  LogItemMessage,
} from "@aws-lambda-powertools/logger/types";
import { humanLogLine } from "./human-log-line.ts";
import { currentLogKeys } from "./log-keys.ts";
import { type LogFields, RedactingLogFormatter } from "./redacting-log-formatter.ts";

export { describeError, type LogFields } from "./redacting-log-formatter.ts";

/**
 * Logs through Powertools for AWS Lambda (its JSON shape, `POWERTOOLS_*` variables, Lambda's
 * advanced logging controls, `injectLambdaContext`), with ours on top: redaction and reserved
 * keys (`RedactingLogFormatter`), the keys of the record being processed (`withLogKeys`), lines
 * to a sink of our choosing (tests capture them), and a short human line in a terminal.
 */

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFormat = "json" | "pretty";

export interface LoggerOptions {
  level?: LogLevel;
  format?: LogFormat;
  /** Where lines go; defaults to stdout. Tests capture lines here. */
  sink?: (line: string) => void;
  /** The `service` of every line; `POWERTOOLS_SERVICE_NAME`, when set, wins. */
  service?: string;
  fields?: LogFields;
}

interface Output {
  format: LogFormat;
  sink: (line: string) => void;
}

const STDOUT: Output = { format: "json", sink: (line) => process.stdout.write(`${line}\n`) };

/**
 * The output of the logger being constructed. Powertools prints from inside its own constructor
 * (a reserved key among a child's fields), before the instance can hold its output.
 */
let constructing: Output | undefined;

export class Logger extends PowertoolsLogger {
  // Not a `#` field: Powertools may print from inside its own constructor, before it is set.
  private output: Output | undefined;

  constructor(options: ConstructorOptions, output: Output) {
    constructing = output;
    try {
      super(options);
    } finally {
      constructing = undefined;
    }
    this.output = output;
  }

  /** A logger whose lines all carry `fields`; a `service` field names the child's service. */
  child(fields: LogFields): Logger {
    const { service, ...keys } = fields;
    return this.createChild({
      persistentKeys: keys,
      ...(typeof service === "string" ? { serviceName: service } : {}),
    }) as Logger;
  }

  protected override createLogger(options: ConstructorOptions = {}): Logger {
    return new Logger(options, this.output ?? STDOUT);
  }

  protected override createAndPopulateLogItem(
    logLevel: number,
    input: LogItemMessage,
    extraInput: LogItemExtraInput,
  ): LogItem {
    const keys = currentLogKeys();
    // The record's keys first: a field given to the call overrides one of the same name.
    const extra = keys === undefined ? extraInput : ([keys, ...extraInput] as LogItemExtraInput);
    return super.createAndPopulateLogItem(logLevel, input, extra);
  }

  protected override printLog(_logLevel: number, log: LogItem): void {
    log.prepareForPrint();
    const { format, sink } = this.output ?? constructing ?? STDOUT;
    const attributes = log.getAttributes();
    sink(
      format === "json"
        ? JSON.stringify(attributes, this.getJsonReplacer())
        : humanLogLine(attributes),
    );
  }
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return new Logger(
    {
      logLevel: options.level,
      serviceName: process.env.POWERTOOLS_SERVICE_NAME || options.service,
      persistentKeys: options.fields,
      logFormatter: new RedactingLogFormatter(),
    },
    { format: options.format ?? "json", sink: options.sink ?? STDOUT.sink },
  );
}

export function defaultLogFormat(): LogFormat {
  const asked = process.env.LOG_FORMAT;
  if (asked === "json" || asked === "pretty") return asked;
  return process.stdout.isTTY ? "pretty" : "json";
}
