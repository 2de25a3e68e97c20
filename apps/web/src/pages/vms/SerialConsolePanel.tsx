// Loaded lazily (with xterm.js and its CSS) when the "Serial console" tab opens: none of it is in the initial bundle.
import type { Vm } from '@novacron/api';
import { Box, Stack, useComputedColorScheme } from '@mantine/core';
import { Terminal, type ITheme } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef } from 'react';
import { ConsoleToolbar } from './ConsoleToolbar';
import { closeMessage } from './console-socket';
import { useConsoleConnection } from './use-console-connection';

const FONT = { fontFamily: 'ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace', fontSize: 14 };
// The serial line carries no window size, so the height is a fixed classic 24 rows; the width follows the container.
const ROWS = 24;
const THEMES: Record<'light' | 'dark', ITheme> = {
  dark: { background: '#1a1b1e', foreground: '#d9dadc', cursor: '#d9dadc', selectionBackground: '#3b5bdb80' },
  light: { background: '#ffffff', foreground: '#1a1b1e', cursor: '#1a1b1e', selectionBackground: '#74c0fc80' },
};

// Width of one cell in the terminal font, measured once in the page (no fit addon: one dependency less).
function cellWidth(): number {
  const probe = document.createElement('span');
  probe.textContent = 'W'.repeat(100);
  Object.assign(probe.style, { position: 'absolute', visibility: 'hidden', whiteSpace: 'pre', fontFamily: FONT.fontFamily, fontSize: `${FONT.fontSize}px` });
  document.body.appendChild(probe);
  const width = probe.getBoundingClientRect().width / 100;
  probe.remove();
  return width || FONT.fontSize * 0.6;
}

/** The VM's serial port in xterm.js over the console WebSocket: what the guest prints, and keystrokes back to it. */
export default function SerialConsolePanel({ vm }: { vm: Vm }) {
  const box = useRef<HTMLDivElement>(null);
  const term = useRef<Terminal | null>(null);
  const scheme = useComputedColorScheme('light');
  const { attempt, status, setStatus, reconnect, connect } = useConsoleConnection(vm.id, 'serial');

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    let cancelled = false;
    let ws: WebSocket | null = null;
    const t = new Terminal({ ...FONT, rows: ROWS, cols: 80, convertEol: false, scrollback: 5000, theme: THEMES[scheme] });
    term.current = t;
    t.open(el);
    const cell = cellWidth();
    const fit = () => {
      const cols = Math.max(20, Math.floor((el.clientWidth - 16) / cell));
      if (cols !== t.cols) t.resize(cols, ROWS);
    };
    fit();
    const observer = new ResizeObserver(fit);
    observer.observe(el);
    const encoder = new TextEncoder();
    const send = (bytes: Uint8Array) => {
      if (ws?.readyState === WebSocket.OPEN) ws.send(bytes);
    };
    const input = t.onData((data) => send(encoder.encode(data)));
    const binary = t.onBinary((data) => send(Uint8Array.from(data, (c) => c.charCodeAt(0) & 0xff)));

    connect(() => cancelled, (socket) => {
      ws = socket;
      socket.onopen = () => {
        if (cancelled) return;
        setStatus({ state: 'connected', message: 'Connected' });
        t.focus();
      };
      socket.onmessage = (ev) => t.write(new Uint8Array(ev.data as ArrayBuffer));
      socket.onclose = (ev) => {
        if (!cancelled) setStatus({ state: 'closed', message: closeMessage(ev) });
      };
    });
    return () => {
      cancelled = true;
      ws?.close(1000, 'closed');
      observer.disconnect();
      input.dispose();
      binary.dispose();
      t.dispose();
      term.current = null;
    };
    // The theme is applied by the effect below: switching it must not reconnect.
  }, [connect, attempt]);

  useEffect(() => {
    if (term.current) term.current.options.theme = THEMES[scheme];
  }, [scheme]);

  return (
    <Stack gap="xs">
      <ConsoleToolbar name="Serial console" status={status} onReconnect={reconnect} />
      <Box
        ref={box}
        role="region"
        aria-label="Serial terminal"
        p={6}
        style={{ background: THEMES[scheme].background, borderRadius: 'var(--mantine-radius-sm)', border: '1px solid var(--mantine-color-default-border)' }}
      />
    </Stack>
  );
}
