#!/usr/bin/env node
// Writes examples/02 - TWCManager HTTP API.json: one http-in per endpoint, wired to twc-status or
// twc-command and an http-response node. Run it after changing the endpoint list; the file is committed.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const TAB = 'twc-api-tab';
const MASTER = 'twc-api-master';
const GET = [
  ['getStatus', 'status'],
  ['getSlaveTWCs', 'slaves'],
  ['getConfig', 'config'],
  ['getPolicy', 'policy'],
  ['getActivePolicyAction', 'policyAction'],
  ['getConsumptionOffsets', 'offsets'],
  ['getHistory', 'history'],
  ['getUUID', 'uuid'],
  ['getLastTWCResponse', 'lastTWCResponse'],
];
const POST = [
  'chargeNow',
  'cancelChargeNow',
  'sendStartCommand',
  'sendStopCommand',
  'addConsumptionOffset',
  'deleteConsumptionOffset',
  'setScheduledChargingSettings',
  'setSetting',
  'saveSettings',
  'setLatLon',
  'setConsumptionOffset',
  'setPolicy',
  'sendDebugCommand',
  'checkArrival',
  'checkDeparture',
  'sendTeslaAPICommand',
];

const nodes = [
  {
    id: TAB,
    type: 'tab',
    label: 'TWCManager HTTP API',
    info:
      "TWCManager's HTTP control API as a flow: every /api/... endpoint is an http-in node wired to a twc-status " +
      'or twc-command node and an http-response node, so you can see and change every route.\n\n' +
      'The bus runs on two simulated Wall Connectors (4142: an 80 A unit, 4243: a 32 A unit) wired for 32 A ' +
      'each and 80 A in all. For real hardware open the twc-master configuration, choose the serial port of ' +
      'your RS-485 adapter and set the wiring limits of your installation.\n\n' +
      "The API answers on Node-RED's port (e.g. http://localhost:1880/api/getStatus, web page on /twc) and, " +
      'with "API port" on in the twc-master, on its own port 8080 like TWCManager (web page on /).\n\n' +
      'Port 8080 listens on 127.0.0.1 only, so nothing else on your network can change the charging. To use ' +
      'it from other machines, set an "API token" in the twc-master first (clients then send ' +
      'X-TWC-Token: <token>), then clear "Listen address" (all interfaces) or give this machine\'s LAN ' +
      "address. On Node-RED's own port the routes are as reachable as Node-RED is; the API token locks " +
      'them there too.\n\n' +
      'POST routes do not parse the body ("Do not parse the body" is ticked), so JSON is read whatever ' +
      'Content-Type a client sends, as TWCManager does.',
  },
  {
    id: MASTER,
    type: 'twc-master',
    name: 'TWC bus',
    transport: 'simulator',
    serialPort: '',
    baud: 9600,
    host: '',
    tcpPort: 8899,
    simulatedSlaves: '4142:80:32,4243:32:0',
    fakeTWCID: '7777',
    // 4243 takes at most 32 A: a per-unit wiring limit above a unit's own maximum makes the engine warn.
    wiringMaxAmpsAllTWCs: 80,
    wiringMaxAmpsPerTWC: 32,
    minAmpsPerTWC: 12,
    defaultVoltage: 240,
    numberOfPhases: 1,
    httpEnabled: true,
    listenPort: 8080,
    // Loopback only until the user sets a token and opens it (the tab's info says how).
    listenHost: '127.0.0.1',
    cancelStopsCharging: false,
  },
];

// Columns wide enough for the longest labels ("[post] /api/setScheduledChargingSettings" and its command):
// the layout test in test/package/installed-package.spec.ts measures the drawn nodes.
const COLUMNS = { in: 230, twc: 580, out: 800 };
let row = 0;
function route(method, endpoint, middle) {
  const y = 40 + row * 50;
  row++;
  const base = `twc-api-${method}-${endpoint}`;
  nodes.push(
    {
      id: `${base}-in`,
      type: 'http in',
      z: TAB,
      name: '',
      url: `/api/${endpoint}`,
      method,
      upload: false,
      skipBodyParsing: method === 'post',
      swaggerDoc: '',
      x: COLUMNS.in,
      y,
      wires: [[`${base}-twc`]],
    },
    { id: `${base}-twc`, z: TAB, master: MASTER, x: COLUMNS.twc, y, wires: [[`${base}-out`]], ...middle },
    {
      id: `${base}-out`,
      type: 'http response',
      z: TAB,
      name: '',
      statusCode: '',
      headers: {},
      x: COLUMNS.out,
      y,
      wires: [],
    },
  );
}
for (const [endpoint, payload] of GET) {
  route('get', endpoint, { type: 'twc-status', name: endpoint, payload, onChange: false, interval: 0 });
}
for (const command of POST) route('post', command, { type: 'twc-command', name: command, command });

// Whatever goes wrong in a route still answers the client, so nothing hangs.
const y = 40 + row * 50 + 20;
nodes.push(
  {
    id: 'twc-api-catch',
    type: 'catch',
    z: TAB,
    name: 'any error',
    scope: null,
    uncaught: false,
    x: COLUMNS.in,
    y,
    wires: [['twc-api-500']],
  },
  {
    id: 'twc-api-500',
    type: 'change',
    z: TAB,
    name: '500 with the reason',
    rules: [
      { t: 'set', p: 'statusCode', pt: 'msg', to: '500', tot: 'num' },
      { t: 'set', p: 'payload', pt: 'msg', to: '{"error":"internal error"}', tot: 'json' },
      { t: 'set', p: 'payload.error', pt: 'msg', to: 'error.message', tot: 'msg' },
    ],
    x: COLUMNS.twc,
    y,
    wires: [['twc-api-500-out']],
  },
  {
    id: 'twc-api-500-out',
    type: 'http response',
    z: TAB,
    name: '',
    statusCode: '',
    headers: {},
    x: COLUMNS.out,
    y,
    wires: [],
  },
);

const file = path.join(__dirname, '..', 'examples', '02 - TWCManager HTTP API.json');
fs.writeFileSync(file, JSON.stringify(nodes, null, 2) + '\n');
console.log(`wrote ${path.relative(process.cwd(), file)} (${nodes.length} nodes)`);
