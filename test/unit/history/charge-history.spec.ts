import assert from 'node:assert/strict';
import { ChargeHistory, isoLocal, SLOT_MS } from '../../../src/history/charge-history';

const T0 = new Date(2026, 10, 24, 1, 10, 0).getTime(); // a slot boundary in local time

describe('ChargeHistory (getHistory)', () => {
  it('576 contiguous five-minute slots, ISO-8601 local time with the offset, zeros where nothing was drawn', () => {
    const h = new ChargeHistory();
    const e = h.entries(T0 + 123_000);
    assert.equal(e.length, 576);
    assert.equal(e[575].timestamp, isoLocal(T0));
    assert.equal(e[0].timestamp, isoLocal(T0 - 575 * SLOT_MS));
    for (const x of e) {
      assert.match(x.timestamp, /^2026-11-2\dT\d\d:\d[05]:00[+-]\d\d:\d\d$/);
      assert.equal(x.charger_power, 0);
    }
    const off = -new Date(T0).getTimezoneOffset();
    const sign = off >= 0 ? '+' : '-';
    const hh = String(Math.floor(Math.abs(off) / 60)).padStart(2, '0');
    const mm = String(Math.abs(off) % 60).padStart(2, '0');
    assert.equal(isoLocal(T0), `2026-11-24T01:10:00${sign}${hh}:${mm}`);
  });

  it('averages the samples of each slot; the current slot shows its running average', () => {
    const h = new ChargeHistory();
    h.record(T0, 7000);
    h.record(T0 + 60_000, 8000);
    assert.equal(h.entries(T0 + 61_000)[575].charger_power, 7500);
    assert.equal(h.record(T0 + SLOT_MS, 0), true, 'moving on closes the slot');
    const e = h.entries(T0 + SLOT_MS + 1000);
    assert.equal(e[574].charger_power, 7500);
    assert.equal(e[575].charger_power, 0);
    assert.equal(h.record(T0 + SLOT_MS + 5000, -50), false, 'negative or NaN readings count as 0');
  });

  it('forgets slots older than 48 hours', () => {
    const h = new ChargeHistory();
    h.record(T0, 1000);
    h.record(T0 + SLOT_MS, 0);
    assert.equal(h.entries(T0 + 575 * SLOT_MS)[0].charger_power, 1000);
    h.record(T0 + 576 * SLOT_MS, 0);
    assert.equal(
      h.toJSON().slots.some(([slot]) => slot === T0),
      false,
    );
  });

  it('survives a store round trip, the open slot included, and skips garbage', () => {
    const h = new ChargeHistory();
    h.record(T0, 2000);
    h.record(T0 + SLOT_MS, 3000);
    const stored = JSON.parse(JSON.stringify(h.toJSON())) as unknown;
    const back = new ChargeHistory();
    back.restore(stored, T0 + SLOT_MS + 1000);
    assert.deepEqual(back.entries(T0 + SLOT_MS + 1000).slice(-2), h.entries(T0 + SLOT_MS + 1000).slice(-2));
    // Restored after its slot has passed, the open slot becomes a closed one.
    const later = new ChargeHistory();
    later.restore(stored, T0 + 3 * SLOT_MS);
    assert.deepEqual(
      later
        .entries(T0 + 3 * SLOT_MS)
        .slice(-3)
        .map((x) => x.charger_power),
      [3000, 0, 0],
    );
    for (const junk of [null, 'x', 42, { slots: [[1, 2], 'a', [T0, 'w']], open: { slot: 'x' } }]) {
      const j = new ChargeHistory();
      j.restore(junk, T0);
      assert.equal(
        j.entries(T0).every((x) => x.charger_power === 0),
        true,
      );
    }
  });

  it('averages generation and consumption beside the charger, and keeps a slot where only they were above 0', () => {
    const h = new ChargeHistory();
    h.record(T0, 0, { generationW: 3000, consumptionW: 500 });
    h.record(T0 + 60_000, 0, { generationW: 5000, consumptionW: -20 });
    assert.deepEqual(h.entries(T0 + 61_000)[575], {
      timestamp: isoLocal(T0),
      charger_power: 0,
      generation_power: 4000,
      consumption_power: 250,
    });
    h.record(T0 + SLOT_MS, 0, { generationW: Number.NaN, consumptionW: 0 });
    const [closed, open] = h.entries(T0 + SLOT_MS + 1000).slice(-2);
    assert.deepEqual([closed.generation_power, closed.consumption_power], [4000, 250]);
    assert.deepEqual([open.generation_power, open.consumption_power], [0, 0]);
    assert.deepEqual(h.toJSON().slots, [[T0, 0, 4000, 250]]);
  });

  it('restores both slot formats, the one before generation and consumption were kept included', () => {
    const h = new ChargeHistory();
    h.restore(
      {
        slots: [
          [T0, 1000],
          [T0 + SLOT_MS, 2000, 300, 400],
          [T0 + 2 * SLOT_MS, 5, 6],
          [T0 + 3 * SLOT_MS, 7, 8, Number.NaN],
        ],
        open: { slot: T0 + 4 * SLOT_MS, sum: 20, count: 2 },
      },
      T0 + 4 * SLOT_MS + 1000,
    );
    const e = h.entries(T0 + 4 * SLOT_MS + 1000).slice(-5);
    assert.deepEqual(
      e.map((x) => [x.charger_power, x.generation_power, x.consumption_power]),
      [
        [1000, 0, 0],
        [2000, 300, 400],
        [0, 0, 0],
        [0, 0, 0],
        [10, 0, 0],
      ],
    );
    h.record(T0 + 4 * SLOT_MS + 2000, 40, { generationW: 90, consumptionW: 30 });
    assert.deepEqual(h.toJSON().open, {
      slot: T0 + 4 * SLOT_MS,
      sum: 60,
      count: 3,
      generation: 90,
      consumption: 30,
    });
  });
});
