// The page `/` shows when the editor is not built: the API is up, and what it offers.

const ENDPOINTS = [
  'GET /api/catalogue',
  'GET /api/graphs',
  'POST /api/graphs',
  'GET|PUT|DELETE /api/graphs/:id',
  'POST /api/graphs/:id/validate',
  'POST /api/graphs/:id/start',
  'POST /api/graphs/:id/stop',
  'GET /api/graphs/:id/status',
  'POST /api/validate',
  'GET /api/status',
  'GET /api/explain/:id',
  'WS /api/events?token=…[&graph=<id>]',
];

export function indexPage(): string {
  const items = ENDPOINTS.map((endpoint) => `<li><code>${endpoint.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</code></li>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Rivulet</title></head>
<body>
<h1>Rivulet control API is up</h1>
<p>The editor is not built yet. Every API call needs the token: <code>Authorization: Bearer &lt;token&gt;</code> or <code>?token=&lt;token&gt;</code>.</p>
<ul>
${items}
</ul>
</body></html>
`;
}
