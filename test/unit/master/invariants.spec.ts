import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ManualClock } from '../../../src/clock';
import { TwcMaster } from '../../../src/master/engine';
import { FakeTransport } from '../../support/fake-transport';
import { ScriptedSlaves } from './scripted-slaves';

type Op =
  | { op: 'join'; slave: number; maxAmps: number; version: 1 | 2 }
  | { op: 'silence'; slave: number }
  | { op: 'state'; slave: number; state: number; actual: number }
  | { op: 'available'; amps: number }
  | { op: 'stop' | 'start'; slave: number }
  | { op: 'wait'; ms: number };

const IDS = [0x1001, 0x2002, 0x3003, 0x4004];
const slaveIndex = fc.integer({ min: 0, max: IDS.length - 1 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    op: fc.constant('join' as const),
    slave: slaveIndex,
    maxAmps: fc.integer({ min: 6, max: 80 }),
    version: fc.constantFrom(1 as const, 2 as const),
  }),
  fc.record({ op: fc.constant('silence' as const), slave: slaveIndex }),
  fc.record({
    op: fc.constant('state' as const),
    slave: slaveIndex,
    state: fc.constantFrom(0, 1, 3, 4, 8),
    actual: fc.integer({ min: 0, max: 80 }),
  }),
  fc.record({ op: fc.constant('available' as const), amps: fc.integer({ min: 0, max: 200 }) }),
  fc.record({ op: fc.constantFrom('stop' as const, 'start' as const), slave: slaveIndex }),
  fc.record({ op: fc.constant('wait' as const), ms: fc.integer({ min: 1, max: 8000 }) }),
);

describe('master engine invariants (fast-check)', () => {
  it('keeps every offer on the wire within the limits at every instant, whatever slaves do', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 6, max: 80 }),
        fc.integer({ min: 5, max: 32 }),
        fc.array(opArb, { minLength: 1, maxLength: 40 }),
        (wiringAll, wiringPer, minAmps, ops) => {
          fc.pre(minAmps <= wiringPer);
          const clock = new ManualClock(0);
          const transport = new FakeTransport();
          const bus = new ScriptedSlaves(transport, clock);
          const master = new TwcMaster({
            transport,
            clock,
            config: {
              wiringMaxAmpsAllTWCs: wiringAll,
              wiringMaxAmpsPerTWC: wiringPer,
              minAmpsPerTWC: minAmps,
              slaveTimeoutMs: 6000,
            },
          });
          const maxOf = new Map<number, number>();
          const versionOf = new Map<number, 1 | 2>();
          let checked = 0;
          master.on('tx', (msg) => {
            if (msg.kind !== 'masterHeartbeat') return;
            const snap = master.snapshot();
            let sum = 0;
            for (const s of snap.slaves) {
              const min = Math.max(minAmps, s.version === 1 ? 5 : 6);
              const cap = Math.min(wiringPer, maxOf.get(s.id) ?? 0);
              assert.ok(
                s.lastAmpsOffered === 0 || s.lastAmpsOffered >= min,
                `offer ${s.lastAmpsOffered} below minimum ${min}`,
              );
              assert.ok(s.lastAmpsOffered <= cap, `offer ${s.lastAmpsOffered} above cap ${cap}`);
              assert.ok(Number.isInteger(s.lastAmpsOffered));
              sum += s.lastAmpsOffered;
            }
            assert.ok(sum <= wiringAll, `wire sum ${sum} above ${wiringAll}`);
            // What actually went on the wire for this slave is what the snapshot says.
            const target = snap.slaves.find((s) => s.id === msg.receiver);
            if (msg.command !== 0) assert.equal(msg.amps, target?.lastAmpsOffered);
            checked++;
          });
          master.start();
          clock.advance(1100);
          for (const op of ops) {
            const id = 'slave' in op ? IDS[op.slave] : 0;
            switch (op.op) {
              case 'join': {
                const existing = bus.slaves.get(id);
                // A unit keeps its advertised max; rejoining is the same unit coming back.
                const maxAmps = existing?.maxAmps ?? op.maxAmps;
                const version = existing?.version ?? op.version;
                bus.add(id, { maxAmps, version, state: existing?.state ?? 0, actual: existing?.actual ?? 0 });
                maxOf.set(id, maxAmps);
                versionOf.set(id, version);
                bus.linkReady(id);
                break;
              }
              case 'silence': {
                const s = bus.slaves.get(id);
                if (s) s.silent = true;
                break;
              }
              case 'state': {
                const s = bus.slaves.get(id);
                if (s) Object.assign(s, { state: op.state, actual: op.actual });
                break;
              }
              case 'available':
                master.setAvailableAmps(op.amps);
                break;
              case 'stop':
              case 'start':
                if (master.snapshot().slaves.some((s) => s.id === id)) {
                  if (op.op === 'stop') master.stopCharging(id);
                  else master.startCharging(id);
                }
                break;
              case 'wait':
                clock.advance(op.ms);
                break;
            }
            clock.advance(50);
          }
          clock.advance(3000);
          return checked >= 0;
        },
      ),
      { numRuns: 300 },
    );
  });

  it('follows a new available total at each slave’s next heartbeat (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 8 }), (totals) => {
        const clock = new ManualClock(0);
        const transport = new FakeTransport();
        const bus = new ScriptedSlaves(transport, clock);
        const master = new TwcMaster({
          transport,
          clock,
          config: {
            wiringMaxAmpsAllTWCs: 100,
            wiringMaxAmpsPerTWC: 50,
            minAmpsPerTWC: 10,
            spikeAmpsToCancel6ALimit: 0,
          },
        });
        for (const id of [1, 2]) bus.add(id, { state: 1, actual: 20, maxAmps: 80 });
        master.start();
        clock.advance(1100);
        for (const id of [1, 2]) bus.linkReady(id);
        clock.advance(3000);
        for (const total of totals) {
          master.setAvailableAmps(total);
          const at = clock.now();
          clock.advance(1100);
          const sent = [1, 2].map((id) => bus.heartbeatsTo(id).find((h) => h.at >= at));
          for (const h of sent) assert.ok(h, 'each slave got a heartbeat within one round');
          const offers = master.snapshot().slaves.map((s) => s.lastAmpsOffered);
          const sum = offers[0] + offers[1];
          if (total >= 20) {
            assert.equal(sum, Math.min(100, total), `total ${total}: ${offers.join('+')}`);
            assert.ok(Math.abs(offers[0] - offers[1]) <= 1, `shared equally: ${offers.join('+')}`);
          } else if (total >= 10) {
            assert.deepEqual(
              [...offers].sort((a, b) => a - b),
              [0, total],
              `total ${total}: one car gets it all`,
            );
          } else {
            assert.deepEqual(offers, [0, 0], `total ${total}: below the minimum`);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
