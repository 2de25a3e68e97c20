// Connection state shared by the console panels: the ticketed socket is the same whatever draws it (xterm.js or noVNC).
import { useCallback, useState } from 'react';
import { CONNECTING, openConsoleSocket, type ConsoleStatus, type ConsoleType } from './console-socket';

/**
 * Status, a reconnect counter for the panel's effect, and `connect`, which opens the socket and hands it over
 * (or closes it at once when the effect was cleaned up meanwhile, so a stale panel never holds a console).
 */
export function useConsoleConnection(vmId: string, type: ConsoleType) {
  const [attempt, setAttempt] = useState(0);
  const [status, setStatus] = useState<ConsoleStatus>(CONNECTING);
  const reconnect = useCallback(() => setAttempt((n) => n + 1), []);
  const connect = useCallback((isCancelled: () => boolean, onSocket: (ws: WebSocket) => void) => {
    setStatus(CONNECTING);
    openConsoleSocket(vmId, type).then(
      (ws) => {
        if (isCancelled()) return ws.close(1000, 'closed');
        onSocket(ws);
      },
      (error: unknown) => {
        if (!isCancelled()) setStatus({ state: 'failed', message: 'Not connected', error });
      },
    );
  }, [vmId, type]);
  return { attempt, status, setStatus, reconnect, connect };
}
