/**
 * What every client of the local services shares: the region, the credentials the emulators
 * accept (any; these never leave the machine), and a free TCP port to start one on.
 */
import net from 'node:net';

export const REGION = 'us-east-1';
export const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** A port nothing listens on now (the OS picks it; the caller binds it right after). */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}
