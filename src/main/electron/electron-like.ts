/**
 * The slices of Electron's API the shell uses, as small structural interfaces: the real objects satisfy
 * them, and unit tests pass plain fakes so every policy is tested in Node without an Electron binary.
 */

export interface FrameLike {
  readonly url: string;
  /** null for a top-level frame. */
  readonly parent: FrameLike | null;
}

export interface IpcMainInvokeEventLike {
  /** Electron gives null when the frame has navigated away or been destroyed. */
  readonly senderFrame: FrameLike | null;
  readonly sender: { readonly id: number };
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcMainInvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export interface NavigationEventLike {
  preventDefault(): void;
}

export type WindowOpenResponse = { action: 'deny' };

export interface WebContentsLike {
  readonly id: number;
  getURL(): string;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
  on(event: 'will-navigate', listener: (event: NavigationEventLike, url: string) => void): unknown;
  // Separate overloads (not a union) so Electron's own overloaded `on` is assignable to this interface.
  // eslint-disable-next-line @typescript-eslint/unified-signatures
  on(event: 'will-redirect', listener: (event: NavigationEventLike, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: NavigationEventLike) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => WindowOpenResponse): void;
}

export interface PermissionRequestHandler {
  (webContents: unknown, permission: string, callback: (granted: boolean) => void, details?: unknown): void;
}

export interface HeadersReceivedDetails {
  readonly url: string;
  readonly resourceType?: string;
  readonly responseHeaders?: Record<string, string[] | string>;
}

export interface SessionLike {
  setPermissionRequestHandler(handler: PermissionRequestHandler | null): void;
  setPermissionCheckHandler(handler: ((webContents: unknown, permission: string, origin: string) => boolean) | null): void;
  /** HID / serial / USB device grants (separate from permission requests in Electron). */
  setDevicePermissionHandler(handler: ((details: unknown) => boolean) | null): void;
  readonly webRequest: {
    onHeadersReceived(
      listener: (
        details: HeadersReceivedDetails,
        callback: (response: { responseHeaders?: Record<string, string[] | string> }) => void,
      ) => void,
    ): void;
  };
}

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface BrowserWindowLike {
  readonly webContents: WebContentsLike;
  loadURL(url: string): Promise<void>;
  getNormalBounds(): Rectangle;
  isMaximized(): boolean;
  maximize(): void;
  isMinimized(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
  isDestroyed(): boolean;
  on(event: 'close', listener: () => void): unknown;
  once(event: 'ready-to-show', listener: () => void): unknown;
}

/** The subset of BrowserWindowConstructorOptions the shell sets; webPreferences are all security-relevant. */
export interface SecureWindowOptions {
  readonly x?: number;
  readonly y?: number;
  readonly width: number;
  readonly height: number;
  readonly minWidth: number;
  readonly minHeight: number;
  readonly show: boolean;
  readonly title: string;
  readonly backgroundColor: string;
  readonly webPreferences: {
    readonly preload: string;
    readonly contextIsolation: true;
    readonly sandbox: true;
    readonly nodeIntegration: false;
    readonly nodeIntegrationInWorker: false;
    readonly nodeIntegrationInSubFrames: false;
    readonly webSecurity: true;
    readonly allowRunningInsecureContent: false;
    readonly experimentalFeatures: false;
    readonly disableBlinkFeatures: 'Auxclick';
    readonly webviewTag: false;
    readonly navigateOnDragDrop: false;
    readonly safeDialogs: true;
    readonly spellcheck: false;
  };
}

export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only in Electron: 'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown'. */
  getSelectedStorageBackend?(): string;
}

export interface ShellLike {
  openExternal(url: string): Promise<void>;
}

/** W is the window type dialogs attach to (Electron's BaseWindow; anything in a test). */
export interface DialogLike<W> {
  showSaveDialog(window: W, options: { defaultPath?: string; title?: string }): Promise<{ canceled: boolean; filePath?: string }>;
  showOpenDialog(
    window: W,
    options: { properties: 'openFile'[]; title?: string },
  ): Promise<{ canceled: boolean; filePaths: string[] }>;
}

export interface DisplayLike {
  readonly workArea: Rectangle;
}

export interface ScreenLike {
  getAllDisplays(): DisplayLike[];
}
