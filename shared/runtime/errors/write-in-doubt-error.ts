import { PlatformError } from "./platform-errors.ts";

/**
 * No call was made: an earlier OSIS write for this person, of the other state, got no answer
 * and may still land until `until` (epoch ms). Writing or judging the user before then could
 * be undone by it (shared/runtime/consumer/late-write-rules.ts, rule 3). Transient: the record
 * comes back once `retryAfterMs` is over.
 */
export class WriteInDoubtError extends PlatformError {
  override readonly name = "WriteInDoubtError";
  readonly until: number;
  readonly retryAfterMs: number;
  constructor(until: number, now: number) {
    super(
      `osis setActive: not called before ${new Date(until).toISOString()}: an earlier write of the other state got no answer and may still land until then`,
      { platform: "osis", operation: "setActive" },
    );
    this.until = until;
    this.retryAfterMs = Math.max(0, until - now);
  }
}
