/** Receives what a console stream brings from the VM. */
export interface ConsoleSink {
  /** Bytes from the VM (serial output, VNC server messages). */
  onData(data: Buffer): void;
  /** The stream ended: the VM's socket closed, the stream was closed, or it failed. Called once. */
  onClose(reason: string): void;
}

/** One open console stream (one viewer): bytes to the VM, flow control, close. */
export interface ConsoleStream {
  readonly type: 'serial' | 'vnc';
  /** Bytes to the VM (keystrokes, VNC client messages). */
  write(data: Buffer): void;
  /** Stop reading from the VM while the viewer's link is backed up (VNC frames can be large); `resume` to go on. */
  pause(): void;
  resume(): void;
  /** Ends the stream (the sink's onClose is called with `reason`). */
  close(reason?: string): void;
}
