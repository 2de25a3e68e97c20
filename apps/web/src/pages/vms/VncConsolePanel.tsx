// Loaded lazily (with noVNC) when the "Graphical console" tab opens: none of it is in the initial bundle.
import type { Vm } from '@novacron/api';
import { Box, Button, Stack, useComputedColorScheme } from '@mantine/core';
import RFB from '@novnc/novnc';
import { useEffect, useRef } from 'react';
import { ConsoleToolbar } from './ConsoleToolbar';
import { closeMessage } from './console-socket';
import { useConsoleConnection } from './use-console-connection';

const BACKGROUND = { light: '#e9ecef', dark: '#101113' } as const;

/** The VM's display through noVNC: RFB bytes relayed by the server from QEMU's VNC socket on the node. */
export default function VncConsolePanel({ vm }: { vm: Vm }) {
  const box = useRef<HTMLDivElement>(null);
  const rfbRef = useRef<RFB | null>(null);
  const scheme = useComputedColorScheme('light');
  const { attempt, status, setStatus, reconnect, connect } = useConsoleConnection(vm.id, 'vnc');

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    let cancelled = false;
    let rfb: RFB | null = null;
    connect(() => cancelled, (ws) => {
      // Registered before noVNC attaches its own handler, so the server's close reason is known when 'disconnect' fires.
      let closedBecause: string | undefined;
      ws.addEventListener('close', (ev) => (closedBecause = closeMessage(ev)));
      let name = '';
      rfb = new RFB(el, ws, { shared: true });
      rfb.scaleViewport = true;
      rfb.background = BACKGROUND[scheme];
      rfbRef.current = rfb;
      rfb.addEventListener('desktopname', (ev) => {
        name = (ev as CustomEvent<{ name: string }>).detail.name;
      });
      rfb.addEventListener('connect', () => {
        if (!cancelled) setStatus({ state: 'connected', message: name ? `Connected to ${name}` : 'Connected' });
      });
      rfb.addEventListener('disconnect', (ev) => {
        const clean = (ev as CustomEvent<{ clean: boolean }>).detail.clean;
        if (!cancelled) setStatus({ state: 'closed', message: closedBecause ?? (clean ? 'Disconnected' : 'Connection lost') });
      });
      rfb.addEventListener('securityfailure', (ev) => {
        const reason = (ev as CustomEvent<{ reason?: string }>).detail.reason;
        if (!cancelled) closedBecause = `The VNC server refused the connection${reason ? `: ${reason}` : ''}`;
      });
      rfb.addEventListener('credentialsrequired', () => {
        closedBecause = 'The VNC server asks for a password, which the console does not support';
        rfb?.disconnect();
      });
    });
    return () => {
      cancelled = true;
      rfb?.disconnect();
      rfbRef.current = null;
    };
    // The theme is applied by the effect below: switching it must not reconnect.
  }, [connect, attempt]);

  useEffect(() => {
    if (rfbRef.current) rfbRef.current.background = BACKGROUND[scheme];
  }, [scheme]);

  return (
    <Stack gap="xs">
      <ConsoleToolbar name="Graphical console" status={status} onReconnect={reconnect}>
        <Button size="xs" variant="default" disabled={status.state !== 'connected'} onClick={() => rfbRef.current?.sendCtrlAltDel()}>
          Send Ctrl+Alt+Del
        </Button>
      </ConsoleToolbar>
      <Box
        ref={box}
        role="region"
        aria-label="Graphical console screen"
        h="min(70vh, 640px)"
        mih={300}
        style={{ background: BACKGROUND[scheme], borderRadius: 'var(--mantine-radius-sm)', border: '1px solid var(--mantine-color-default-border)', overflow: 'hidden' }}
      />
    </Stack>
  );
}
