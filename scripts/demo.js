#!/usr/bin/env node
// `npm start`: a demo Node-RED with this package, the TWCManager API example flow and two simulated Wall
// Connectors (or a real serial port with --serial). Every run starts from a clean .demo/ user dir.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');

const ROOT = path.resolve(__dirname, '..');
const USAGE = `usage: npm start [-- --serial /dev/ttyUSB0 --wiring-max-amps-all-twcs A
                         --wiring-max-amps-per-twc A --min-amps-per-twc A] [--listen-port 8080] [--ui-port 1880]

  --serial PATH                  drive real Wall Connectors on this RS-485 serial port instead of the simulator
  --wiring-max-amps-all-twcs A   the breaker / wiring limit shared by all Wall Connectors (required with --serial)
  --wiring-max-amps-per-twc A    the wiring limit of each Wall Connector (required with --serial)
  --min-amps-per-twc A           below this a Wall Connector is offered 0 A instead (required with --serial)
  --listen-port N                the TWCManager API and web page port (default 8080)
  --ui-port N                    the Node-RED editor port (default 1880)

  Without --serial the simulated Wall Connectors use the example flow's limits unless these are given.`;

/** The three wiring settings, named as on the twc-master node; the real chargers' safety depends on them. */
const WIRING = [
  ['wiring-max-amps-all-twcs', 'wiringMaxAmpsAllTWCs'],
  ['wiring-max-amps-per-twc', 'wiringMaxAmpsPerTWC'],
  ['min-amps-per-twc', 'minAmpsPerTWC'],
];
// The demo runs the shipped example flow; its simulated units and their limits are the demo's defaults.
const FLOW_FILE = path.join(ROOT, 'examples', '02 - TWCManager HTTP API.json');
const flow = JSON.parse(fs.readFileSync(FLOW_FILE, 'utf8'));
const exampleMaster = flow.find((n) => n.type === 'twc-master');

function fail(message) {
  console.error(`npm start: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function port(name, text) {
  const n = Number(text);
  if (!/^\d+$/.test(String(text)) || n < 1 || n > 65535)
    fail(`${name} must be a port number from 1 to 65535`);
  return n;
}

let args;
try {
  args = parseArgs({
    args: process.argv.slice(2),
    options: {
      serial: { type: 'string' },
      'listen-port': { type: 'string', default: '8080' },
      'ui-port': { type: 'string', default: '1880' },
      ...Object.fromEntries(WIRING.map(([flag]) => [flag, { type: 'string' }])),
      help: { type: 'boolean', default: false },
    },
  }).values;
} catch (err) {
  fail(err.message);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
const listenPort = port('--listen-port', args['listen-port']);
const uiPort = port('--ui-port', args['ui-port']);
if (listenPort === uiPort) fail('--listen-port and --ui-port must differ');
if (args.serial !== undefined && !args.serial.trim()) fail('--serial needs the path of a serial port');
const missing = WIRING.filter(([flag]) => args[flag] === undefined).map(([flag]) => `--${flag}`);
if (args.serial !== undefined && missing.length > 0)
  fail(`real Wall Connectors need their wiring limits: give ${missing.join(', ')}`);
const wiring = {};
for (const [flag, name] of WIRING) {
  const text = args[flag];
  if (text !== undefined && !/^\d+$/.test(text)) fail(`--${flag} must be a whole number of amps`);
  wiring[name] = text === undefined ? exampleMaster[name] : Number(text);
}

// The demo always runs the sources as they are; the build skips what has not changed since its last run,
// and runs in this process (a second Node.js start would cost more than the check).
if (!require('./build.js').build()) process.exit(1);
// The engine's own check of the limits, so the demo accepts exactly what a twc-master node accepts.
try {
  require(path.join(ROOT, 'dist', 'master', 'config.js')).resolveMasterConfig(wiring);
} catch (err) {
  fail(err.message);
}

const userDir = path.resolve(process.env.TWC_DEMO_DIR || path.join(ROOT, '.demo'));
fs.rmSync(userDir, { recursive: true, force: true });
fs.mkdirSync(userDir, { recursive: true });

for (const node of flow) {
  if (node.type !== 'twc-master') continue;
  Object.assign(node, {
    name: args.serial ? `TWC bus on ${args.serial}` : 'Two simulated TWCs',
    transport: args.serial ? 'serial' : 'simulator',
    serialPort: args.serial ?? '',
    ...wiring,
    httpEnabled: true,
    listenPort,
    listenHost: '127.0.0.1',
  });
}
fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(flow, null, 2));
fs.writeFileSync(
  path.join(userDir, 'settings.js'),
  `// Written by scripts/demo.js; every \`npm start\` writes it again.
module.exports = {
  uiHost: '127.0.0.1',
  uiPort: ${uiPort},
  flowFile: 'flows.json',
  credentialSecret: false,
  nodesDir: [${JSON.stringify(ROOT)}],
  editorTheme: { tours: false, palette: { catalogues: [] } },
  externalModules: { palette: { allowInstall: false } },
  telemetry: { enabled: false },
  logging: { console: { level: 'info' } },
};
`,
);

// The tests set TWC_NODE_RED_DIR to run the demo on another Node-RED install (scripts/test.js).
const nodeRedDir = process.env.TWC_NODE_RED_DIR || path.join(ROOT, 'node_modules', 'node-red');
const red = spawn(
  process.execPath,
  [path.join(nodeRedDir, 'red.js'), '--userDir', userDir, '--settings', path.join(userDir, 'settings.js')],
  { stdio: ['ignore', 'inherit', 'inherit'] },
);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => red.kill(sig));
red.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));

(async () => {
  const editor = `http://127.0.0.1:${uiPort}/`;
  const api = `http://127.0.0.1:${listenPort}/`;
  for (let i = 0; i < 300; i++) {
    const up = await fetch(`${api}api/getStatus`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) {
      console.log(`
  TWC demo is running${args.serial ? ` on ${args.serial}` : ' with two simulated Wall Connectors (4142, 4243)'}
    Node-RED editor   ${editor}
    web page          ${api}   (also ${editor}twc)
    TWCManager API    ${api}api/getStatus   e.g. curl -d '{"chargeNowRate":16,"chargeNowDuration":3600}' ${api}api/chargeNow
  Ctrl-C stops it.
`);
      return;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  console.error(`npm start: the API did not answer on ${api}; see the log above`);
})();
