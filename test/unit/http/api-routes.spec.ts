import assert from 'node:assert/strict';
import { comparablePath, httpInRoutes } from '../../../src/nodes/api-routes';

const httpIn = (id: string, url: string, wires: string[][], extra: object = {}) => ({
  id,
  type: 'http in',
  z: 'tab',
  method: 'post',
  url,
  skipBodyParsing: true,
  wires,
  ...extra,
});

describe('the API’s routes among the deployed http-in nodes', () => {
  const nodes = [
    { id: 'tab', type: 'tab' },
    { id: 'off-tab', type: 'tab', disabled: true },
    httpIn('direct', '/api/chargeNow', [['cmd']]),
    httpIn('through', 'api/viaFunction', [['fn']]),
    { id: 'fn', type: 'function', z: 'tab', wires: [[], ['status']] },
    { id: 'cmd', type: 'twc-command', z: 'tab', master: 'm1', wires: [['out']] },
    { id: 'status', type: 'twc-status', z: 'tab', master: 'm2', wires: [['out', 'fn']] },
    { id: 'out', type: 'http response', z: 'tab', wires: [] },
    httpIn('mine', '/upload', [['out']], { skipBodyParsing: false, method: 'put' }),
    httpIn('param', '/api/twc/:id/', [['cmd']], { method: 'get' }),
    httpIn('disabled', '/api/off', [['cmd']], { d: true }),
    httpIn('in-off-tab', '/api/offtab', [['cmd']], { z: 'off-tab' }),
    httpIn('to-disabled', '/api/toDisabled', [['dcmd']]),
    { id: 'dcmd', type: 'twc-command', z: 'tab', master: 'm1', d: true, wires: [] },
  ];
  const routes = httpInRoutes(nodes);
  const byPath = (p: string) => routes.filter((r) => r.pattern.test(p));

  it('follows the wires through other nodes, loops included, to the twc-masters fed', () => {
    assert.deepEqual(byPath('/api/chargeNow')[0].masters, ['m1']);
    assert.deepEqual(byPath('/api/viaFunction')[0].masters, ['m2']);
    assert.deepEqual(byPath('/upload')[0].masters, [], 'a route of the user’s own feeds no master');
    assert.deepEqual(byPath('/api/toDisabled')[0].masters, [], 'a disabled TWC node serves nothing');
  });

  it('matches paths as Express does: any case, a trailing slash, a :param segment', () => {
    assert.equal(byPath('/API/CHARGENOW/').length, 1);
    assert.equal(byPath('/api/chargeNow/x').length, 0);
    assert.equal(byPath('/api/twc/4142').length, 1);
    assert.equal(byPath('/api/twc/4142/').length, 1);
    assert.equal(byPath('/api/twc/41/42').length, 0);
    assert.equal(byPath('/apixchargeNow').length, 0, 'no regex meaning in the url');
  });

  it('compares paths with doubled slashes made one, as the raw-body reader does', () => {
    assert.equal(comparablePath('//api//chargeNow//'), '/api/chargeNow/');
    assert.equal(byPath(comparablePath('//api/chargeNow')).length, 1);
    assert.equal(byPath(comparablePath('/api/chargeNow///')).length, 1);
  });

  it('keeps method and raw body as the node says, and leaves out disabled nodes and tabs', () => {
    assert.deepEqual(
      routes.map((r) => `${r.method} ${r.raw}`),
      ['POST true', 'POST true', 'PUT false', 'GET true', 'POST true'],
    );
    assert.equal(byPath('/api/off').length, 0);
    assert.equal(byPath('/api/offtab').length, 0);
  });
});
