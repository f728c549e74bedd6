/**
 * Sharing the available current among the slaves. Pure functions; the invariants they keep are the
 * safety rules of the whole package:
 *   - an offer is 0 or at least the slave's minimum;
 *   - an offer never exceeds the slave's cap, min(wiringMaxAmpsPerTWC, the slave's advertised max);
 *   - the offers together never exceed wiringMaxAmpsAllTWCs.
 */

export interface AllocationSlave {
  id: number;
  /** min(wiringMaxAmpsPerTWC, advertised max), whole amps. */
  capAmps: number;
  /** max(minAmpsPerTWC, what the slave's firmware supports). */
  minAmps: number;
  /** A car is connected and not stopped by a command. */
  wantsPower: boolean;
  /** Already charging: served first, so a newcomer never takes power from a running charge. */
  charging: boolean;
}

export interface AllocationLimits {
  wiringMaxAmpsAllTWCs: number;
}

/** Desired whole-amp offers per slave id for `availableAmps` in total. */
export function allocateAmps(
  slaves: readonly AllocationSlave[],
  availableAmps: number,
  limits: AllocationLimits,
): Map<number, number> {
  const offers = new Map<number, number>(slaves.map((s) => [s.id, 0]));
  const budget = Math.floor(Math.max(0, Math.min(finiteOrZero(availableAmps), limits.wiringMaxAmpsAllTWCs)));
  const eligible = slaves
    .filter((s) => s.wantsPower && s.capAmps >= s.minAmps && s.minAmps > 0)
    .sort((a, b) => Number(b.charging) - Number(a.charging));

  // Serve as many slaves, in priority order, as can each get their minimum.
  const served: AllocationSlave[] = [];
  let reserved = 0;
  for (const s of eligible) {
    if (reserved + s.minAmps > budget) continue;
    served.push(s);
    reserved += s.minAmps;
  }
  // Forced false this changes nothing: with nobody served, the fill below has no open slave and leaves the zeros.
  // Stryker disable next-line ConditionalExpression: equivalent (`false`; `true` is killed) — see above
  if (served.length === 0) return offers;

  // Water-fill the rest equally, respecting caps; whole amps. The remainder goes by ID, not priority, so
  // that a car starting to charge mid-round does not move it from one slave to another.
  served.sort((a, b) => a.id - b.id);
  for (const s of served) offers.set(s.id, s.minAmps);
  let left = budget - reserved;
  // Slaves already at their cap take 0 in the first round and leave `open` after it: keeping them only
  // shrinks that round's step, and the fill's result (equal increments, the remainder to the lowest IDs)
  // does not depend on the step.
  // Stryker disable next-line MethodExpression,ConditionalExpression,EqualityOperator: equivalent — see above
  let open = served.filter((s) => s.capAmps > s.minAmps);
  while (left > 0 && open.length > 0) {
    const each = Math.max(1, Math.floor(left / open.length));
    for (const s of open) {
      // Forced false this changes nothing: with nothing left, every add below is min(…, left) = 0.
      // Stryker disable next-line ConditionalExpression: equivalent (`false`; `true` times out) — see above
      if (left === 0) break;
      const current = offers.get(s.id) ?? 0;
      const add = Math.min(each, s.capAmps - current, left);
      offers.set(s.id, current + add);
      left -= add;
    }
    open = open.filter((s) => (offers.get(s.id) ?? 0) < s.capAmps);
  }
  return offers;
}

export interface WireSlave {
  id: number;
  capAmps: number;
  minAmps: number;
  /** What is on the wire for this slave now (its last heartbeat). */
  offeredAmps: number;
}

/**
 * What may go on the wire to `slave` now, given what the others were last sent. Heartbeats go out one
 * slave at a time, so moving current from one slave to another must lower the first before raising the
 * second: a raise is cut to what fits beside the others' offers, and if that is below the minimum the
 * slave keeps its previous offer when that still fits, else gets 0.
 */
export function safeWireOffer(
  slave: WireSlave,
  wanted: number,
  others: readonly WireSlave[],
  limits: AllocationLimits,
): number {
  const othersSum = others.reduce((sum, o) => sum + o.offeredAmps, 0);
  const room = Math.max(0, limits.wiringMaxAmpsAllTWCs - othersSum);
  const clamp = (amps: number): number => {
    const a = Math.floor(Math.min(finiteOrZero(amps), slave.capAmps, room));
    return a >= slave.minAmps ? a : 0;
  };
  const target = clamp(wanted);
  // Once past this test wanted is a finite raise above offeredAmps, and clamp only grows with its argument,
  // so the fallback below returns target as well: a test forced true changes nothing. It is kept because
  // it says the rule (a raise that does not fit keeps what still fits). The `false` variants here are
  // killed by allocation.spec and allocation-edges.spec.
  if (
    // Stryker disable next-line ConditionalExpression: equivalent (the whole test `true`) — see above
    target === Math.floor(finiteOrZero(wanted)) ||
    // At wanted === offeredAmps both clamps give target, so `<` here changes nothing.
    // Stryker disable next-line EqualityOperator: equivalent (`<`; `>` is killed) — see above
    wanted <= slave.offeredAmps
  )
    return target;
  // A raise that does not fit yet: keep what we had (when still valid) until the others come down.
  const previous = clamp(slave.offeredAmps);
  return Math.max(target, previous);
}

function finiteOrZero(n: number): number {
  return Number.isFinite(n) ? n : 0;
}
