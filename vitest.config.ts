import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Integration tests start real local servers; two cores are shared with them.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    // One file per core, not Vitest's cores − 1 (one on two cores): most files spend their
    // time waiting on loopback servers, backoffs and long polls, which overlap well.
    maxWorkers: availableParallelism(),
  },
});
