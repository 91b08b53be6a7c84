import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

/**
 * A local stand-in for the parts of Stripe's HTTP API that Arbor calls (no live Stripe here): Checkout Sessions and
 * PaymentIntents, answered as Stripe documents them. It records what it was asked, for assertions.
 */
export class StripeStandIn {
  readonly sessions: { params: URLSearchParams; idempotencyKey: string | undefined; authorization: string }[] = [];
  /** The payment-method type each PaymentIntent reports. */
  readonly intentMethods = new Map<string, string>();
  private server: http.Server | null = null;
  private seq = 0;

  get url(): string {
    const port = (this.server!.address() as AddressInfo).port;
    return `http://127.0.0.1:${port}`;
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => this.answer(req, body, res));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  private answer(req: http.IncomingMessage, body: string, res: http.ServerResponse): void {
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${++this.seq}` });
      res.end(JSON.stringify(value));
    };
    const url = new URL(req.url ?? '/', 'http://stand-in');
    if (req.method === 'POST' && url.pathname === '/v1/checkout/sessions') {
      const params = new URLSearchParams(body);
      this.sessions.push({
        params,
        idempotencyKey: req.headers['idempotency-key'] as string | undefined,
        authorization: String(req.headers.authorization ?? ''),
      });
      const id = `cs_test_${this.sessions.length}`;
      json(200, {
        id,
        object: 'checkout.session',
        mode: 'payment',
        url: `${this.url}/pay/${id}`,
        payment_intent: null,
        payment_status: 'unpaid',
        status: 'open',
        client_reference_id: params.get('client_reference_id'),
        currency: params.get('line_items[0][price_data][currency]'),
        amount_total: Number(params.get('line_items[0][price_data][unit_amount]')),
        metadata: { invoice: params.get('metadata[invoice]'), organization: params.get('metadata[organization]') },
      });
      return;
    }
    const intent = /^\/v1\/payment_intents\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && intent) {
      const id = decodeURIComponent(intent[1]!);
      const type = this.intentMethods.get(id) ?? 'card';
      json(200, {
        id,
        object: 'payment_intent',
        status: 'succeeded',
        payment_method: { id: `pm_${id}`, object: 'payment_method', type },
      });
      return;
    }
    json(404, { error: { type: 'invalid_request_error', message: `No such route ${req.method} ${url.pathname}` } });
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

/** A Stripe event as Stripe sends it, signed with the SDK's own test helper at `signedAt` (Unix seconds). */
export function signedEvent(
  secret: string,
  event: { id: string; type: string; created: number; object: Record<string, unknown> },
  signedAt: number,
): { body: string; signature: string } {
  const body = JSON.stringify({
    id: event.id,
    object: 'event',
    api_version: '2024-06-20',
    created: event.created,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: event.type,
    data: { object: event.object },
  });
  const signature = new Stripe('sk_test_x').webhooks.generateTestHeaderString({
    payload: body,
    secret,
    timestamp: signedAt,
  });
  return { body, signature };
}
