import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A STAND-IN for the Stripe API, not Stripe: a local HTTP server that answers
 * `POST /v1/checkout/sessions` like Stripe does and records the form parameters the SDK sent, and
 * answers `GET /v1/checkout/sessions/:id/line_items` with one item of the price set for that session
 * in `linePrices` (`price_pro` unless set).
 */
export async function startStripeStandIn() {
  const requests: URLSearchParams[] = [];
  const linePrices = new Map<string, string>();
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      response.setHeader('content-type', 'application/json');
      const lineItems = /^\/v1\/checkout\/sessions\/(cs_\w+)\/line_items(\?|$)/.exec(request.url ?? '');
      if (request.method === 'GET' && lineItems) {
        const price = { id: linePrices.get(lineItems[1]!) ?? 'price_pro', object: 'price' };
        response.end(
          JSON.stringify({
            object: 'list',
            data: [{ id: 'li_standin', object: 'item', price, quantity: 1 }],
            has_more: false,
            url: request.url,
          }),
        );
        return;
      }
      if (request.method !== 'POST' || request.url !== '/v1/checkout/sessions') {
        response.statusCode = 404;
        response.end(
          JSON.stringify({ error: { type: 'invalid_request_error', message: 'stand-in: unknown route' } }),
        );
        return;
      }
      requests.push(new URLSearchParams(body));
      const id = `cs_test_standin${requests.length}`;
      response.end(
        JSON.stringify({ id, object: 'checkout.session', url: `https://checkout.stripe.test/pay/${id}` }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    requests,
    linePrices,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
