/** What applying an event did to one target. */
export type TargetChange =
  /** Already in the wanted state: no write. */
  | "unchanged"
  | "written"
  /** Dry run: a write would have been made. */
  | "would_write";
