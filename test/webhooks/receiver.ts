import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * A webhook receiver on 127.0.0.1 for tests: records every request; answers by path — `/ok` 200, `/gone` 410,
 * `/fail` 500, `/redirect` 302 to `/ok`, `/script/<name>` the statuses queued by `script(name, …)` then 200.
 */
export class Receiver {
  readonly received: Received[] = [];
  private readonly scripts = new Map<string, number[]>();
  private server!: http.Server;
  url = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '/';
        this.received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        let status = 200;
        if (path.startsWith('/gone')) status = 410;
        else if (path.startsWith('/fail')) status = 500;
        else if (path.startsWith('/redirect')) {
          res.writeHead(302, { location: '/ok' });
          return void res.end();
        } else if (path.startsWith('/script/')) status = this.scripts.get(path.slice(8))?.shift() ?? 200;
        res.writeHead(status, { 'content-type': 'text/plain' });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  script(name: string, statuses: number[]): string {
    this.scripts.set(name, [...statuses]);
    return `${this.url}/script/${name}`;
  }

  at(pathPrefix: string): Received[] {
    return this.received.filter((r) => r.path.startsWith(pathPrefix));
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
