// What the test receivers in cmd/ (the collector, rsyslog) share: a free loopback port, a
// receiver process started until its ports accept connections, and stopped by signal.
import { spawn } from 'node:child_process';
import { createConnection, createServer } from 'node:net';

/** A loopback port nothing listens on (TCP; the same number serves a UDP receiver). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function accepting(port) {
  return new Promise((resolve) => {
    const c = createConnection({ port, host: '127.0.0.1' });
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}

/**
 * Spawns `bin` with `args` and resolves once every one of `ports` accepts connections (within
 * `startMs`); `stop()` sends SIGTERM and waits for the exit (SIGKILL after `stopMs`).
 */
export async function startReceiver({ name, bin, args, ports, startMs, stopMs }) {
  const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const deadline = Date.now() + startMs;
  for (const port of ports) {
    while (!(await accepting(port))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`${name} did not start on port ${port}: ${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  return {
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), stopMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
