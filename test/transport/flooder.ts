/**
 * A UDP flood from a worker thread (its own event loop), for tests that block the main thread so
 * that nothing reads the socket and the kernel drops what its receive buffer cannot hold.
 */
import { Worker } from 'node:worker_threads';

/**
 * Floods `port` from a worker thread (its own event loop) once told to: the main thread is
 * blocked meanwhile, so nothing reads the socket. Resolves with the number of datagrams sent.
 */
export function flooder(port: number, count: number): { go(): void; done: Promise<number> } {
  const worker = new Worker(
    `
    const dgram = require('node:dgram');
    const { parentPort, workerData } = require('node:worker_threads');
    const socket = dgram.createSocket('udp4');
    const datagram = Buffer.from('flood-node\\n'.padStart(1000, ' '));
    parentPort.once('message', () => {
      let left = workerData.count;
      for (let i = 0; i < workerData.count; i++) {
        socket.send(datagram, workerData.port, '127.0.0.1', () => {
          if (--left > 0) return;
          socket.close();
          parentPort.postMessage(workerData.count);
        });
      }
    });
    `,
    { eval: true, workerData: { port, count } },
  );
  const done = new Promise<number>((resolve, reject) => {
    worker.once('message', (sent: number) => {
      void worker.terminate();
      resolve(sent);
    });
    worker.once('error', reject);
  });
  return { go: () => worker.postMessage('go'), done };
}
