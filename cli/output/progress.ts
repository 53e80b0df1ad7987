import cliProgress from "cli-progress";
import type { OutputStream } from "../cli-io.ts";

/**
 * A progress bar on stderr when it is a terminal; nothing otherwise (the summary at the end
 * says everything a log file needs). `label` carries the latest counts ("moved 12, stale 1").
 */
export interface Progress {
  update(value: number, total: number, label: string): void;
  stop(): void;
}

export function createProgress(stream: OutputStream, title: string): Progress {
  if (stream.isTTY !== true) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${title} [{bar}] {value}/{total} | {label}`,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(value, total, label) {
      const safeTotal = Math.max(total, value);
      if (!started) {
        bar.start(safeTotal, value, { label });
        started = true;
      } else {
        bar.setTotal(safeTotal);
        bar.update(value, { label });
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
