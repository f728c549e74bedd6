import assert from 'node:assert/strict';
import { oncePerTurn } from '../../../src/nodes/once-per-turn';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('oncePerTurn (the nodes’ coalescing of one bus exchange’s events)', () => {
  it('runs once after several triggers of one turn, not during them, and again for a later turn', async () => {
    let runs = 0;
    const trigger = oncePerTurn(() => runs++);
    trigger();
    trigger();
    trigger();
    assert.equal(runs, 0, 'not while the events of the exchange are still coming');
    await nextTurn();
    assert.equal(runs, 1);
    trigger();
    await nextTurn();
    assert.equal(runs, 2);
    await nextTurn();
    assert.equal(runs, 2, 'nothing without a trigger');
  });

  it('a trigger from inside the run is the next turn’s', async () => {
    let runs = 0;
    const trigger = oncePerTurn(() => {
      runs++;
      if (runs === 1) trigger();
    });
    trigger();
    await nextTurn();
    assert.equal(runs, 1);
    await nextTurn();
    assert.equal(runs, 2);
  });
});
