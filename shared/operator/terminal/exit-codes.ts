/** Exit codes of both terminal programs, `lifecycle` and `npm start` (docs/cli.md). */
export const EXIT = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const;
