// The layers and their allowed directions (docs/architecture.md, "Layers"), checked by
// `npm run depcruise` in `npm test`. Type-only imports count: a layer is a layer for types too.
// A folder added at the top level must be added to the `depcruise` script's list.
//
//   entry points    functions/  cli/  local/  bench/  infra/       (test/ may import any layer)
//   operator        shared/operator/    what only the CLI and the local harness run
//   runtime         shared/runtime/     what the deployed functions run
//   contract        shared/contract/    constants only: the names every part agrees on
//
// A layer imports only the layers below it; infra imports only the contract and the setting
// rules (shared/runtime/configuration/), so `cdk synth` loads no runtime client.
const ENTRY_POINTS = "^(functions|cli|local|bench|infra|test)/";
// The CDK and its checks, and zod for the setting rules infra/configuration.ts shares.
const DEPLOY_TOOLS = "^node_modules/(aws-cdk-lib|constructs|cdk-nag|zod)/";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-folder-cycle",
      comment: "Folders depend one way: a cycle between two folders means a concept lives in both.",
      severity: "error",
      scope: "folder",
      from: {},
      to: { circular: true },
    },
    {
      name: "no-file-cycle",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "contract-is-constants",
      comment: "shared/contract/ holds names and numbers only: it imports nothing.",
      severity: "error",
      from: { path: "^shared/contract/" },
      to: { pathNot: "^shared/contract/" },
    },
    {
      name: "runtime-imports-no-operator-or-entry-point",
      comment:
        "The deployed functions run shared/runtime/: none of it may need operator, local or CLI code.",
      severity: "error",
      from: { path: "^(shared/runtime|functions)/" },
      to: { path: ["^shared/operator/", "^(cli|local|bench|infra|test)/"] },
    },
    {
      name: "functions-are-separate",
      comment: "A Lambda entry imports runtime code, never another function's entry.",
      severity: "error",
      from: { path: "^functions/([^/]+)/" },
      to: { path: "^functions/", pathNot: "^functions/$1/" },
    },
    {
      name: "operator-imports-no-entry-point",
      comment: "shared/operator/ serves the CLI and the local harness; it imports neither.",
      severity: "error",
      from: { path: "^shared/operator/" },
      to: { path: ENTRY_POINTS },
    },
    {
      name: "local-imports-no-cli",
      comment: "npm start never needs the lifecycle command: what both need is in shared/.",
      severity: "error",
      from: { path: "^local/" },
      to: { path: "^cli/" },
    },
    {
      name: "infra-imports-contract-and-configuration-only",
      comment:
        "infra/ reads names from the contract and rules from the setting rules, so cdk synth loads no runtime module.",
      severity: "error",
      from: { path: "^infra/" },
      to: {
        dependencyTypesNot: ["core"],
        pathNot: ["^infra/", "^shared/contract/", "^shared/runtime/configuration/", DEPLOY_TOOLS],
      },
    },
    {
      name: "infra-loads-no-runtime-client",
      comment:
        "Whatever infra reaches, transitively, loads no AWS SDK client, Powertools or middy.",
      severity: "error",
      from: { path: "^infra/" },
      to: {
        path: "^node_modules/(@aws-sdk|@smithy|@aws-lambda-powertools|@middy)/",
        reachable: true,
      },
    },
    {
      name: "nothing-outside-the-tree",
      comment: "Every import resolves inside this repository or to an installed package.",
      severity: "error",
      from: {},
      to: { path: "^\\.\\./" },
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: "runtime-uses-no-dev-dependency",
      comment:
        "A function's bundle holds only dependencies (a devDependency is not installed in production).",
      severity: "error",
      from: { path: "^(shared|functions|cli|local)/" },
      to: { dependencyTypes: ["npm-dev"], dependencyTypesNot: ["type-only"] },
    },
    {
      name: "no-orphans",
      comment:
        "A source module nothing imports and that imports nothing is dead. Test files are found by vitest or named by path (knip checks them).",
      severity: "error",
      from: {
        orphan: true,
        pathNot: ["\\.d\\.ts$", "(^|/)\\.[^/]+\\.(c|m)?js$", "^vitest\\.config\\.ts$", "^test/"],
      },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: "^node_modules/" },
    exclude: { path: "^(cdk\\.out|dist|\\.lifecycle)/" },
    // TypeScript 7 has no JavaScript compiler API for dependency-cruiser to call, so swc parses;
    // it keeps type-only imports (marked `type-only`), which the rules count like any other.
    parser: "swc",
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
