import assert from 'node:assert/strict';
import { RefusalLog } from '../../../src/http/refusal-log';

describe('the refusal log', () => {
  it('tells one refusal a minute per kind, then how many it kept quiet', () => {
    const said: string[] = [];
    let now = 1_000_000;
    const log = new RefusalLog(
      (m) => said.push(m),
      () => now,
    );
    for (let i = 0; i < 5; i++) log.refused('token', `token ${i}`);
    log.refused('too-large', 'big');
    assert.deepEqual(said, ['token 0', 'big']);
    now += 59_999;
    log.refused('token', 'token 5');
    assert.equal(said.length, 2, 'still inside the minute');
    now += 1;
    log.refused('token', 'token 6');
    assert.deepEqual(said.slice(2), ['token 6 (5 more refused like it since the last warning)']);
    now += 60_000;
    log.refused('token', 'token 7');
    assert.equal(said[3], 'token 7', 'nothing was kept quiet in between');
  });
});
