// @novnc/novnc ships plain JavaScript without types: the part of RFB the graphical console uses.
declare module '@novnc/novnc' {
  /** noVNC's RFB client: draws the remote screen into a canvas inside `target` and sends keyboard and mouse input. */
  export default class RFB extends EventTarget {
    constructor(target: HTMLElement, urlOrChannel: string | WebSocket, options?: { shared?: boolean; credentials?: { password?: string }; wsProtocols?: string[] });
    scaleViewport: boolean;
    resizeSession: boolean;
    viewOnly: boolean;
    focusOnClick: boolean;
    background: string;
    disconnect(): void;
    sendCtrlAltDel(): void;
    focus(options?: FocusOptions): void;
  }
}
