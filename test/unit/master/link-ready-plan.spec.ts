import assert from 'node:assert/strict';
import { resolveMasterConfig } from '../../../src/master/config';
import { LinkReadyPlan, type LinkReadyKind } from '../../../src/master/link-ready';

// Frames 40 ms apart, idle rounds every 3 s: the ten-frame sequence takes 400 ms, so the settle window
// opens 1.4 s after the bus does (400 ms of frames, a second for the announcements) and closes at 15 s.
const config = resolveMasterConfig({ linkReadySpacingMs: 40, linkReadyRepeatMs: 3000 });

/** Takes every frame due from `at` on, one spacing apart, without starting idle rounds. */
function drain(plan: LinkReadyPlan, at: number): { frames: LinkReadyKind[]; end: number } {
  const frames: LinkReadyKind[] = [];
  let now = at;
  while (plan.due(now, false)) {
    frames.push(plan.take(now));
    now += 40;
  }
  return { frames, end: now };
}

describe('LinkReadyPlan: when link-ready frames go out and when the bus counts as settled', () => {
  it('settles at the earliest once no probe is pending, at the latest whatever is pending', () => {
    const plan = new LinkReadyPlan(config);
    plan.opened(1000);
    const none = (): boolean => false;
    const some = (): boolean => true;
    assert.equal(plan.settled(2399, none), false, 'the announcements may still be coming');
    assert.equal(plan.settled(2400, none), true, 'the window opens at 1000 + 400 + 1000');
    assert.equal(plan.settled(2400, some), false, 'a unit not yet probed holds the raises back');
    assert.equal(plan.settled(15_999, some), false);
    assert.equal(plan.settled(16_000, some), true, '15 s after opening, a flood no longer holds them');
  });

  it('a collision while the sequence is still going out does not start it again', () => {
    const plan = new LinkReadyPlan(config);
    plan.opened(0);
    const first = [plan.take(0), plan.take(40), plan.take(80)];
    plan.collision(100);
    const rest = drain(plan, 120).frames;
    assert.deepEqual([first.length, rest.length], [3, 7], 'ten frames in all');
    assert.equal(plan.collisionSeen(100), true);
  });

  it('collision replays are spaced like the idle rounds, never back to back', () => {
    const plan = new LinkReadyPlan(config);
    plan.opened(0);
    const opening = drain(plan, 0);
    assert.equal(opening.frames.length, 10);
    plan.collision(5000);
    const replay = drain(plan, 5000);
    assert.equal(replay.frames.length, 10, 'the first collision is answered with the sequence');
    plan.collision(6000);
    assert.equal(plan.due(6000, false), false, '1 s after the last replay: too soon for another');
    plan.collision(8000);
    assert.equal(drain(plan, 8000).frames.length, 10, '3 s after it the unit is answered again');
  });

  it('the last unit dropped starts the idle rounds at once, not at the next repeat', () => {
    const plan = new LinkReadyPlan(config);
    plan.opened(0);
    drain(plan, 0);
    assert.equal(plan.nextAt(true), 3000, 'idle rounds every 3 s after the opening sequence');
    plan.noSlavesLeft(1200);
    assert.equal(plan.nextAt(true), 1200);
    assert.equal(plan.due(1200, true), true);
    assert.equal(plan.take(1200), 'masterLinkReady1');
  });

  it('an idle round starts exactly when due, and never restarts a sequence still going out', () => {
    const plan = new LinkReadyPlan(config);
    plan.opened(0);
    drain(plan, 0);
    assert.equal(plan.due(2999, true), false);
    assert.equal(plan.due(3000, true), true, 'the round is due at 3000 itself');
    const started = [plan.take(3000), plan.take(3040), plan.take(3080)];
    // Long past the next round's time with seven frames still queued: they go out, then the round after.
    assert.equal(plan.due(9000, true), true);
    const rest = drain(plan, 9000).frames;
    assert.deepEqual([started.length, rest.length], [3, 7]);
    assert.equal(plan.nextAt(true), 6000, 'the next round counts from the start of this one');
  });
});
