/**
 * One bus exchange fires several events (a heartbeat's reply changes state, amps and the offer at once):
 * the returned trigger may be called for each, and `run` runs once, after them, on the next turn.
 */
export function oncePerTurn(run: () => void): () => void {
  let pending = false;
  return () => {
    if (pending) return;
    pending = true;
    setImmediate(() => {
      pending = false;
      run();
    });
  };
}
