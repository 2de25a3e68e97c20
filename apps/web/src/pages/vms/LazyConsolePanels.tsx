// The console panels pull in xterm.js and noVNC: they are loaded only when their tab opens on a running VM, keeping
// both out of the initial bundle and out of the VM detail page's own chunk.
import type { Vm } from '@novacron/api';
import { Center, Loader } from '@mantine/core';
import { lazy, Suspense, type ComponentType } from 'react';
import { NoData } from '../../components/NoData';

const SerialConsolePanel = lazy(() => import('./SerialConsolePanel'));
const VncConsolePanel = lazy(() => import('./VncConsolePanel'));

// QEMU has a serial port and a display only while it runs (paused included: the display stays readable).
function ifRunning(vm: Vm, Panel: ComponentType<{ vm: Vm }>, what: string) {
  if (vm.state !== 'running' && vm.state !== 'paused') {
    return <NoData title={`The VM is ${vm.state}`} description={`The ${what} is available while the VM is running. Start it to connect.`} />;
  }
  return (
    <Suspense fallback={<Center py="xl"><Loader aria-label={`Loading the ${what}`} /></Center>}>
      <Panel vm={vm} />
    </Suspense>
  );
}

/** The "Serial console" tab: xterm.js on the VM's serial port, or why it cannot connect now. */
export function LazySerialConsole({ vm }: { vm: Vm }) {
  return ifRunning(vm, SerialConsolePanel, 'serial console');
}

/** The "Graphical console" tab: noVNC on the VM's display, or why it cannot connect now. */
export function LazyVncConsole({ vm }: { vm: Vm }) {
  return ifRunning(vm, VncConsolePanel, 'graphical console');
}
