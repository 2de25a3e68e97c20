// Opening a VM console WebSocket: browsers cannot send a bearer token on a WebSocket, so a single-use ticket is fetched
// through the API first and presented once in the URL.
import { api } from '../../api/client';

/** Which console: the serial port (raw bytes for xterm.js) or the VNC display (RFB for noVNC). */
export type ConsoleType = 'serial' | 'vnc';

/** Where the panel's connection is; `message` is the text shown to people. */
export interface ConsoleStatus {
  state: 'connecting' | 'connected' | 'closed' | 'failed';
  message: string;
  /** Set when the ticket was refused: shown with its problem+json detail. */
  error?: unknown;
}

/** The first status of a console panel. */
export const CONNECTING: ConsoleStatus = { state: 'connecting', message: 'Connecting…' };

/** The console WebSocket URL for a ticket (same origin: the dashboard is served by the control plane). */
export function consoleUrl(vmId: string, type: ConsoleType, ticket: string): string {
  const { protocol, host } = window.location;
  const query = new URLSearchParams({ type, ticket });
  return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}/api/v1/vms/${encodeURIComponent(vmId)}/console?${query}`;
}

/** Gets a ticket (throws the API error when it is refused) and opens the console socket with binary frames. */
export async function openConsoleSocket(vmId: string, type: ConsoleType): Promise<WebSocket> {
  const { ticket } = await api.call('vms.consoleTickets.create', { params: { id: vmId } });
  const ws = new WebSocket(consoleUrl(vmId, type, ticket));
  ws.binaryType = 'arraybuffer';
  return ws;
}

// The server closes with 4000 + the HTTP status it would have answered (apps/server/src/vms/console.ws.ts).
const CLOSE_TEXT: Record<number, string> = {
  4400: 'The console request was malformed',
  4401: 'The console ticket was refused (expired or already used)',
  4409: 'The VM is not running',
  4502: 'The VM node could not open the console',
  1013: 'The connection was too slow and was cut off',
};

/** Words for why a console socket closed, from its close code and the server's reason. */
export function closeMessage(ev: Pick<CloseEvent, 'code' | 'reason'>): string {
  const base = CLOSE_TEXT[ev.code] ?? (ev.code === 1000 ? 'Disconnected' : `Connection lost (code ${ev.code})`);
  return ev.reason ? `${base}: ${ev.reason}` : base;
}
