/** A request as a curl command a shell runs as it reads: every argument single-quoted, so no value can break out. */

export interface CurlRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | null;
}

/** POSIX shell single quotes: a quote inside becomes '\'' . */
function quote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** Headers curl adds itself (or that a replayed request must not pin) are left out. */
const LEFT_OUT = new Set(['content-length', 'host', 'connection', 'accept-encoding', 'user-agent']);

export function curlCommand(request: CurlRequest): string {
  const parts = ['curl', '-sS', '-i'];
  if (request.method.toUpperCase() !== 'GET' || request.body) parts.push('-X', quote(request.method.toUpperCase()));
  for (const [name, value] of Object.entries(request.headers)) {
    if (LEFT_OUT.has(name.toLowerCase())) continue;
    parts.push('-H', quote(`${name}: ${value}`));
  }
  if (request.body) parts.push('--data-raw', quote(request.body));
  parts.push(quote(request.url));
  return parts.join(' ');
}
