/** What the sync needs to know of a failed call: HTTP code and Status reason if any, and whether to back off. */
export interface CallError {
  code?: number;
  reason?: string;
  message: string;
  /** The server is down, overloaded or unreachable: wait and try again, the object is not at fault. */
  transient: boolean;
}

const TRANSIENT_CODES = new Set([408, 429, 500, 502, 503, 504]);

/**
 * Reads an error from client-node (ApiException with a Status body, a watch's statusCode, a network
 * error) without ever looking at the request: the message comes from the Status or the error code, so
 * no header (and no token) ends up in a log line.
 */
export function callError(error: unknown): CallError {
  const e = error as { code?: unknown; statusCode?: unknown; body?: unknown; message?: unknown; name?: unknown; errno?: unknown };
  const code = typeof e.code === 'number' ? e.code : typeof e.statusCode === 'number' ? e.statusCode : undefined;
  if (code === undefined) {
    const network = typeof e.code === 'string' ? e.code : typeof e.errno === 'string' ? e.errno : String(e.name ?? 'Error');
    const message = typeof e.message === 'string' ? e.message.split('\n')[0].slice(0, 300) : network;
    return { message: `${network}: ${message}`, transient: true };
  }
  const status = statusOf(e.body);
  const message = status?.message ?? (typeof e.message === 'string' && e.statusCode !== undefined ? e.message : `HTTP ${code}`);
  return { code, reason: status?.reason, message: message.slice(0, 500), transient: TRANSIENT_CODES.has(code) };
}

function statusOf(body: unknown): { message?: string; reason?: string } | undefined {
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { message, reason } = parsed as { message?: unknown; reason?: unknown };
  return { message: typeof message === 'string' ? message : undefined, reason: typeof reason === 'string' ? reason : undefined };
}
