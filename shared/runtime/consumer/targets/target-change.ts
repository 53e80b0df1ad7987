/** What applying an event did to one target. */
export type TargetChange =
  /** Already in the wanted state: no write. */
  "unchanged" | "written";
