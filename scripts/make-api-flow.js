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
      'The bus runs on two simulated Wall Connectors. For real hardware open the twc-master configuration, ' +
      'choose the serial port of your RS-485 adapter and set the wiring limits of your installation.\n\n' +
      "The API answers on Node-RED's port (e.g. http://localhost:1880/api/getStatus, web page on /twc) and, " +
      'with "API port" on in the twc-master, on its own port 8080 like TWCManager (web page on /).\n\n' +
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
    wiringMaxAmpsAllTWCs: 80,
    wiringMaxAmpsPerTWC: 80,
    minAmpsPerTWC: 12,
    defaultVoltage: 240,
    numberOfPhases: 1,
    httpEnabled: true,
    listenPort: 8080,
    listenHost: '',
    cancelStopsCharging: false,
  },
];

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
      x: 170,
      y,
      wires: [[`${base}-twc`]],
    },
    { id: `${base}-twc`, z: TAB, master: MASTER, x: 460, y, wires: [[`${base}-out`]], ...middle },
    {
      id: `${base}-out`,
      type: 'http response',
      z: TAB,
      name: '',
      statusCode: '',
      headers: {},
      x: 690,
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
    x: 160,
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
    x: 400,
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
    x: 690,
    y,
    wires: [],
  },
);

const file = path.join(__dirname, '..', 'examples', '02 - TWCManager HTTP API.json');
fs.writeFileSync(file, JSON.stringify(nodes, null, 2) + '\n');
console.log(`wrote ${path.relative(process.cwd(), file)} (${nodes.length} nodes)`);
