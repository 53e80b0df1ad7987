// Runs before every `npm run` script (package.json): the project's code needs the Node it pins
// (devDependencies.node, which npm puts first on PATH as node_modules/.bin/node), while npm
// itself may run on an older one. Plain JavaScript, so an older Node can run it to say so.
import { readFileSync } from "node:fs";

const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const pinned = /\d+/.exec(manifest.devDependencies?.node ?? "")?.[0];
const running = process.versions.node.split(".")[0];

if (pinned !== undefined && running !== pinned) {
  process.stderr.write(
    `hr-lifecycle-sync: this runs on Node ${pinned} (node_modules/.bin/node, installed by npm ci), not on Node ${process.versions.node}: run npm ci, then run it through npm run or npx.\n`,
  );
  process.exit(1);
}
