import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReceivedResponse } from '../../src/check/client.ts';
import { answeredByProxy, proxyOf } from '../../src/check/proxy.ts';

const answer = (status: number, body: string, headers: Record<string, string> = {}): ReceivedResponse => ({ status, headers, body });

// Error pages proxies answer with themselves, as they come (nginx 1.22 with and without its version, the same template without a footer, Apache 2.4, Envoy).
const PROXY_PAGES: readonly [ReceivedResponse, string][] = [
  [answer(413, '<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n', { server: 'nginx/1.22.1' }), 'nginx/1.22.1'],
  [answer(502, '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n', { server: 'nginx' }), 'nginx'],
  [answer(502, '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n', { server: 'awselb/2.0' }), 'awselb/2.0'],
  [answer(413, '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>413 Request Entity Too Large</title>\n</head><body>\n<h1>Request Entity Too Large</h1>\n<hr>\n<address>Apache/2.4.57 (Debian) Server at api.example.com Port 443</address>\n</body></html>\n'), 'Apache/2.4.57 (Debian)'],
  [answer(503, 'upstream connect error or disconnect/reset before headers. reset reason: connection failure', { server: 'envoy' }), 'envoy'],
];

// Answers of the app itself, through a proxy or not: never a proxy's own page.
const APP_ANSWERS: readonly ReceivedResponse[] = [
  answer(404, '{"type":"about:blank","title":"Not Found","status":404}', { server: 'nginx/1.22.1' }),
  answer(404, '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot GET /x</pre>\n</body>\n</html>\n'),
  answer(200, '<hr><center>nginx</center></body>'),
  answer(400, '{"message":"<hr><center>is quoted here</center>"}'),
];

describe('check: what shows a proxy in front', () => {
  it("names the proxy on its own error pages", () => {
    for (const [response, name] of PROXY_PAGES) assert.equal(answeredByProxy(response), name, response.body);
  });

  it("finds no proxy page in the app's own answers", () => {
    for (const response of APP_ANSWERS) assert.equal(answeredByProxy(response), undefined, response.body);
  });

  it('names the proxy an answer came through from Server (a web server, not an app) or Via', () => {
    assert.equal(proxyOf(answer(200, '{}', { server: 'nginx/1.22.1' })), 'nginx/1.22.1');
    assert.equal(proxyOf(answer(200, '{}', { server: 'Apache/2.4.57 (Debian)' })), 'Apache/2.4.57 (Debian)');
    assert.equal(proxyOf(answer(200, '{}', { via: '1.1 varnish (Varnish/7.1)' })), '1.1 varnish (Varnish/7.1)');
    assert.equal(proxyOf(answer(200, '{}')), undefined);
    assert.equal(proxyOf(answer(200, '{}', { server: 'my-api' })), undefined);
  });
});
