import assert from 'node:assert/strict';
import { CandidatePool, CANDIDATE_CAPACITY, PROBE_BACKOFF_MS } from '../../../src/master/candidates';
import { WireLimit } from '../../../src/master/wire-limit';
import type { SlaveLinkReady } from '../../../src/protocol/messages';

describe('WireLimit: the limit in force on the wire', () => {
  it('starts from what it is given (a unit coming back with its reserve)', () => {
    assert.equal(new WireLimit().inForceAmps, 0);
    assert.equal(new WireLimit(17).inForceAmps, 17);
    assert.equal(new WireLimit(17).sentAmps, 17);
  });

  it('a raise is in force at once; a keep-alive only once the unit echoes it', () => {
    const w = new WireLimit();
    assert.equal(w.needsSetLimit(20), true);
    w.sent(20);
    assert.equal(w.inForceAmps, 20);
    assert.equal(w.needsSetLimit(20), true, 'not echoed yet: send it again');
    w.replied(12, 10, true);
    assert.equal(w.needsSetLimit(20), true, 'an echo of another value confirms nothing');
    w.replied(20, 10, true);
    assert.equal(w.needsSetLimit(20), false);
    assert.equal(w.needsSetLimit(21), true);
    assert.equal(w.needsSetLimit(19), true);
  });

  it('after a lowering the old limit stays in force until the echo shows the new one', () => {
    const w = new WireLimit();
    w.sent(32);
    w.replied(32, 30, true);
    w.sent(16);
    assert.deepEqual([w.sentAmps, w.inForceAmps], [16, 32]);
    w.replied(32, 30, true);
    assert.equal(w.inForceAmps, 32, 'still showing the old limit');
    w.replied(16.01, 15, true);
    assert.equal(w.inForceAmps, 32, 'centiamps count: 16.01 is not 16');
    w.replied(16, 15, false);
    assert.equal(w.inForceAmps, 16);
  });

  it('two lowerings in a row keep the highest unconfirmed limit; a raise above it replaces it', () => {
    const w = new WireLimit();
    w.sent(40);
    w.replied(40, 38, true);
    w.sent(30);
    w.sent(20);
    assert.equal(w.inForceAmps, 40);
    w.sent(35);
    assert.equal(w.inForceAmps, 40, 'a raise below the unconfirmed limit leaves it in force');
    w.sent(45);
    assert.equal(w.inForceAmps, 45);
    w.sent(45);
    assert.equal(w.inForceAmps, 45, 'the same limit again is no lowering');
  });

  it('a unit showing more than we sent obeys someone else: that counts', () => {
    const w = new WireLimit();
    w.sent(16);
    w.replied(40, 20, true);
    assert.equal(w.inForceAmps, 40);
    w.replied(40.5, 20, true);
    assert.equal(w.inForceAmps, 41, 'rounded up to whole amps');
    w.replied(16, 15, true);
    assert.equal(w.inForceAmps, 16);
  });

  it('a 0 is never confirmed by the echo, but by three timely replies without draw', () => {
    const w = new WireLimit();
    w.sent(32);
    w.replied(32, 31, true);
    w.sent(0);
    assert.equal(w.inForceAmps, 32);
    assert.equal(w.needsSetLimit(0), true, '0 always goes out as a set-limit');
    w.replied(32, 0.5, true);
    w.replied(32, 0, true);
    assert.equal(w.inForceAmps, 32, 'two are not enough (a reply may answer an older heartbeat)');
    w.replied(32, 0.25, false);
    assert.equal(w.inForceAmps, 32, 'a late reply proves nothing');
    w.replied(32, 0, true);
    assert.equal(w.inForceAmps, 0);
    assert.equal(w.needsSetLimit(0), true);
  });

  it('a draw while at 0 starts the count again and keeps the higher limit', () => {
    const w = new WireLimit();
    w.sent(32);
    w.sent(0);
    w.replied(32, 0, true);
    w.replied(32, 0, true);
    w.replied(32, 1, true);
    w.replied(32, 0, true);
    w.replied(32, 0, true);
    assert.equal(w.inForceAmps, 32);
    w.replied(32, 0, true);
    assert.equal(w.inForceAmps, 0);
  });

  it('a unit drawing while at 0 with a limit we never sent: its limit is in force', () => {
    const w = new WireLimit();
    w.replied(24, 10, true);
    assert.equal(w.inForceAmps, 24);
    w.replied(0, 0.9, true);
    w.replied(0, 0, true);
    w.replied(0, 0, true);
    assert.equal(w.inForceAmps, 0);
  });

  it('a new limit starts the zero count and the confirmation afresh', () => {
    const w = new WireLimit();
    w.sent(0);
    w.replied(0, 0, true);
    w.replied(0, 0, true);
    w.sent(20);
    w.replied(20, 10, true);
    w.sent(0);
    w.replied(20, 0, true);
    assert.equal(w.inForceAmps, 20, 'the earlier zero replies do not count for this lowering');
  });
});

describe('WireLimit: more edges', () => {
  it('a 0 sent at every heartbeat is still confirmed by three timely no-draw replies', () => {
    const w = new WireLimit();
    w.sent(32);
    w.replied(32, 31, true);
    for (let i = 0; i < 2; i++) {
      w.sent(0);
      w.replied(32, 0, true);
    }
    assert.equal(w.inForceAmps, 32, 'two are not enough');
    w.sent(0);
    w.replied(32, 0, true);
    assert.equal(w.inForceAmps, 0, 'repeating the same 0 does not start the count again');
  });

  it('a draw reported after a confirmed 0 puts that limit in force; it is then shown, so no set-limit is needed', () => {
    const w = new WireLimit();
    w.sent(32);
    w.replied(32, 31, true);
    w.sent(0);
    for (let i = 0; i < 3; i++) w.replied(32, 0, true);
    assert.equal(w.inForceAmps, 0);
    w.replied(24, 10, true);
    assert.equal(w.inForceAmps, 24);
    assert.equal(w.needsSetLimit(24), false);
    assert.equal(w.needsSetLimit(0), true);
  });

  it('a draw of exactly 1 A counts as drawing, 0.99 A does not', () => {
    const w = new WireLimit();
    w.sent(30);
    w.replied(30, 29, true);
    w.sent(0);
    w.replied(30, 0.99, true);
    w.replied(30, 0.99, true);
    w.replied(30, 1, true);
    w.replied(30, 0, true);
    w.replied(30, 0, true);
    assert.equal(w.inForceAmps, 30, 'the 1 A reply started the count again');
    w.replied(30, 0, true);
    assert.equal(w.inForceAmps, 0);
  });

  it('an echo below what we sent confirms nothing and lowers nothing', () => {
    const w = new WireLimit();
    w.sent(30);
    w.replied(30, 20, true);
    w.sent(18);
    w.replied(12, 10, true);
    assert.deepEqual([w.sentAmps, w.inForceAmps, w.needsSetLimit(18)], [18, 30, true]);
    w.replied(18, 10, true);
    assert.deepEqual([w.inForceAmps, w.needsSetLimit(18)], [18, false]);
    w.replied(12, 10, true);
    assert.deepEqual([w.inForceAmps, w.needsSetLimit(18)], [18, true], 'showing less: send it again');
  });

  it('a raise while a lowering is unconfirmed leaves the old limit counted until the raise is echoed', () => {
    const w = new WireLimit();
    w.sent(40);
    w.replied(40, 39, true);
    w.sent(20);
    w.sent(30);
    assert.deepEqual([w.sentAmps, w.inForceAmps], [30, 40]);
    assert.equal(w.needsSetLimit(40), true, '40 in force but not shown as sent');
    w.replied(30, 29, true);
    assert.equal(w.inForceAmps, 30);
  });
});

const announce = (sender: number, maxAmps = 32): SlaveLinkReady => ({
  kind: 'slaveLinkReady',
  sender,
  sign: 1,
  maxAmps,
  version: 2,
});

describe('CandidatePool: announced units waiting for a slot', () => {
  it('probes the most often heard first, then the most recent; only a probed ID may link', () => {
    const pool = new CandidatePool();
    pool.announce(announce(1), 0);
    pool.announce(announce(2), 10);
    pool.announce(announce(2), 20);
    pool.announce(announce(3), 30);
    assert.equal(pool.next(40)?.id, 2);
    assert.equal(pool.wasProbed(2), false);
    pool.probed(2);
    assert.equal(pool.wasProbed(2), true);
    assert.equal(pool.next(40)?.id, 3, 'then the newest of those heard once');
    pool.probed(3);
    assert.equal(pool.next(40)?.id, 1);
    pool.probed(1);
    assert.equal(pool.next(40), undefined, 'nothing fresh');
    assert.equal(pool.nextAt(), Number.POSITIVE_INFINITY);
  });

  it('an unanswered probe backs off, and an ID that failed goes after one that never did', () => {
    const pool = new CandidatePool();
    pool.announce(announce(7), 0);
    pool.probed(7);
    pool.missed(7, 100);
    pool.announce(announce(7), 200);
    pool.announce(announce(7), 300);
    assert.equal(pool.next(300), undefined, 'waiting out its back-off');
    assert.equal(pool.nextAt(), 100 + PROBE_BACKOFF_MS);
    assert.equal(pool.next(100 + PROBE_BACKOFF_MS)?.id, 7);
    pool.announce(announce(8), 400);
    assert.equal(pool.next(100 + PROBE_BACKOFF_MS)?.id, 8, 'never failed beats heard more often');
  });

  it('keeps the lowest max heard, and forgets the longest unheard when full', () => {
    const pool = new CandidatePool(3);
    pool.announce(announce(1, 16), 0);
    pool.announce(announce(1, 80), 1);
    pool.announce(announce(2), 2);
    pool.announce(announce(3), 3);
    pool.announce(announce(1, 32), 4);
    pool.announce(announce(4), 5);
    assert.equal(pool.size, 3);
    assert.equal(pool.take(2), undefined, 'the longest unheard went');
    assert.equal(pool.take(1)?.maxAmps, 16);
    assert.ok(CANDIDATE_CAPACITY >= 550, 'room for 10 s of a flood at full line rate');
  });

  it('between IDs heard as often, the one heard last goes first, re-announcements included', () => {
    const pool = new CandidatePool();
    pool.announce(announce(1), 0);
    pool.announce(announce(2), 10);
    pool.announce(announce(2), 20);
    pool.announce(announce(1), 30);
    assert.equal(pool.next(40)?.id, 1);
  });

  it('a re-announcement brings the newest sign and protocol, and the lowest max', () => {
    const pool = new CandidatePool();
    pool.announce({ kind: 'slaveLinkReady', sender: 6, sign: 1, maxAmps: 40, version: 1 }, 0);
    pool.announce({ kind: 'slaveLinkReady', sender: 6, sign: 9, maxAmps: 48, version: 2 }, 10);
    const c = pool.take(6)!;
    assert.deepEqual([c.sign, c.version, c.maxAmps, c.announcements, c.lastAnnouncedAt], [9, 2, 40, 2, 10]);
  });

  it('counts each missed probe; fewer misses go first, and a candidate never announced again waits', () => {
    const pool = new CandidatePool();
    pool.announce(announce(1), 0);
    pool.announce(announce(2), 0);
    for (const t of [0, 5000]) {
      pool.probed(1);
      pool.missed(1, t);
      pool.announce(announce(1), t + 1);
    }
    pool.probed(2);
    pool.missed(2, 0);
    pool.announce(announce(2), 1);
    assert.equal(pool.next(20_000)?.id, 2, 'one miss beats two, though 1 was heard more often');
    pool.probed(2);
    assert.equal(pool.next(20_000)?.id, 1);
    assert.equal(pool.nextAt(), 5000 + 3000);
    pool.probed(1);
    assert.equal(pool.next(20_000), undefined, 'nothing announced since its probe');
  });

  it('nextAt is the earliest back-off of the fresh candidates only', () => {
    const pool = new CandidatePool();
    pool.announce(announce(1), 100);
    pool.announce(announce(2), 200);
    assert.equal(pool.nextAt(), 100);
    pool.probed(1);
    assert.equal(pool.nextAt(), 200);
  });

  it('take removes the candidate; missed and probed for unknown IDs do nothing', () => {
    const pool = new CandidatePool();
    pool.announce(announce(5), 0);
    pool.missed(9, 0);
    pool.probed(9);
    assert.equal(pool.take(5)?.id, 5);
    assert.equal(pool.size, 0);
    assert.equal(pool.take(5), undefined);
  });
});
