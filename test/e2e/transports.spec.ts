import assert from 'node:assert/strict';
import * as net from 'node:net';
import { SystemClock } from '../../src/clock';
import { TwcMaster } from '../../src/master/engine';
import { SimulatedBus } from '../../src/sim/bus';
import { SerialTransport } from '../../src/transport/serial-transport';
import { TcpTransport } from '../../src/transport/tcp-transport';
import type { TransportStatus } from '../../src/transport/transport';
import { waitFor } from '../support/pty';

/** An RS-485-to-Ethernet gateway on loopback with simulated slaves behind it. */
function gateway(port: number): Promise<{ server: net.Server; close(): Promise<void> }> {
  const clock = new SystemClock();
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    const bus = new SimulatedBus([{ id: 0x4142, maxAmps: 32 }], clock);
    bus.on('data', (frame) => socket.write(frame));
    socket.on('data', (chunk) => bus.write(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      bus.stop();
      sockets.delete(socket);
    });
    bus.start();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () =>
      resolve({
        server,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      }),
    );
  });
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('transports', function () {
  this.timeout(30000);

  it('TCP: links through a gateway, reports its loss, and reconnects when it is back', async () => {
    const port = await freePort();
    let gw = await gateway(port);
    const clock = new SystemClock();
    const transport = new TcpTransport(
      { host: '127.0.0.1', port, initialDelayMs: 100, maxDelayMs: 400 },
      clock,
    );
    const master = new TwcMaster({ transport, clock });
    const states: TransportStatus[] = [];
    master.on('transport', (s) => states.push(s));
    master.start();
    try {
      await waitFor('slave linked over TCP', 5000, () => master.snapshot().slaves.length === 1);
      await gw.close();
      await waitFor('loss reported', 5000, () => master.snapshot().transport.state === 'waiting');
      assert.match(master.snapshot().transport.detail, /127\.0\.0\.1/);
      gw = await gateway(port);
      await waitFor('reconnected', 5000, () => master.snapshot().transport.state === 'open');
      const before = master.snapshot().slaves[0]?.repliesReceived ?? 0;
      await waitFor(
        'answered again',
        5000,
        () => (master.snapshot().slaves[0]?.repliesReceived ?? 0) > before + 1,
      );
      assert.equal(master.snapshot().stats.reconnects, 1);
    } finally {
      await master.stop();
      await gw.close();
    }
    assert.equal(states.at(-1)?.state, 'closed');
  });

  it('TCP: nobody listening is a reported state with the reason, never a crash', async () => {
    const port = await freePort();
    const clock = new SystemClock();
    const transport = new TcpTransport({ host: '127.0.0.1', port, initialDelayMs: 100 }, clock);
    transport.open();
    await waitFor('refused', 5000, () => transport.status.state === 'waiting');
    assert.match(transport.status.detail, /ECONNREFUSED/);
    await transport.close();
    assert.equal(transport.status.state, 'closed');
  });

  it('serial: a missing device is reported and retried with back-off until closed', async () => {
    const clock = new SystemClock();
    const transport = new SerialTransport(
      { path: '/dev/ttyTWC-does-not-exist', initialDelayMs: 50, maxDelayMs: 200 },
      clock,
    );
    const seen: string[] = [];
    transport.on('status', (s) => seen.push(s.state));
    transport.open();
    await waitFor('three attempts', 5000, () => seen.filter((s) => s === 'connecting').length >= 3);
    assert.match(transport.status.detail, /cannot open \/dev\/ttyTWC-does-not-exist/);
    assert.equal(transport.write(Uint8Array.of(1)), false, 'writes are refused while not open');
    await transport.close();
    const count = seen.length;
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(seen.length, count, 'no attempts after close');
  });
});
