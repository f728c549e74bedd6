import * as fs from 'node:fs';
import { bareServer } from './http-load';

/** The baseline in its own process, as Node-RED is in its own: `node bare-server.js bodies.json`. */
const bodies = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as Record<string, string>;
bareServer(bodies).then(
  (s) => console.log(`listening ${s.url}`),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
