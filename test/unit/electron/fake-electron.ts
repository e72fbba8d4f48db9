/**
 * A fake `electron` module for Node: records every window, handler and call the shell makes, so tests
 * assert the security setup without an Electron binary. Tests install it with
 *   vi.mock('electron', () => import('./fake-electron.ts').then((m) => m.fakeElectron));
 */
import { EventEmitter } from 'node:events';
import { createElectronPlatform } from '../../../src/main/electron/platform.ts';
import type { Platform } from '../../../src/main/platform.ts';
import type {
  HeadersReceivedDetails,
  IpcMainInvokeEventLike,
  PermissionRequestHandler,
} from '../../../src/main/electron/electron-like.ts';

type Listener = (...args: unknown[]) => unknown;

export class FakeWebContents extends EventEmitter {
  static nextId = 1;
  readonly id: number;
  url = '';
  destroyed = false;
  readonly sent: { channel: string; args: unknown[] }[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  constructor() {
    super();
    this.id = FakeWebContents.nextId++;
  }
  getURL(): string {
    return this.url;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  /** Emits a navigation-like event and reports whether the handler prevented it. */
  navigate(event: 'will-navigate' | 'will-redirect' | 'will-attach-webview', url = ''): boolean {
    let prevented = false;
    this.emit(event, { preventDefault: () => (prevented = true) }, url);
    return prevented;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  static focused: FakeBrowserWindow | null = null;
  static getFocusedWindow(): FakeBrowserWindow | null {
    return FakeBrowserWindow.focused;
  }
  static nextId = 1;
  readonly id: number;
  readonly options: Record<string, unknown>;
  readonly webContents = new FakeWebContents();
  bounds: { x: number; y: number; width: number; height: number };
  maximized = false;
  minimized = false;
  shown = false;
  focusedCount = 0;
  destroyed = false;
  constructor(options: object) {
    super();
    this.id = FakeBrowserWindow.nextId++;
    this.options = options as Record<string, unknown>;
    const o = options as { x?: number; y?: number; width: number; height: number };
    this.bounds = { x: o.x ?? 0, y: o.y ?? 0, width: o.width, height: o.height };
    FakeBrowserWindow.instances.push(this);
    fakeElectron.app.emit('web-contents-created', {}, this.webContents);
  }
  loadURL(url: string): Promise<void> {
    this.webContents.url = url;
    return Promise.resolve();
  }
  getNormalBounds(): { x: number; y: number; width: number; height: number } {
    return this.bounds;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  maximize(): void {
    this.maximized = true;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  show(): void {
    this.shown = true;
  }
  focus(): void {
    this.focusedCount += 1;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  close(): void {
    this.emit('close');
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

class FakeApp extends EventEmitter {
  isPackaged = false;
  lockAvailable = true;
  quitCalls = 0;
  exitCode: number | null = null;
  readonly paths = new Map<string, string>([
    ['userData', '/nonexistent/userData'],
    ['documents', '/home/user/Documents'],
  ]);
  sandboxEnabled = false;
  enableSandbox(): void {
    this.sandboxEnabled = true;
  }
  requestSingleInstanceLock(): boolean {
    return this.lockAvailable;
  }
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
  getPath(name: string): string {
    const p = this.paths.get(name);
    if (!p) throw new Error(`no path ${name}`);
    return p;
  }
  setPath(name: string, value: string): void {
    this.paths.set(name, value);
  }
  quit(): void {
    this.quitCalls += 1;
  }
  exit(code: number): void {
    this.exitCode = code;
  }
}

export interface FakeSafeStorage {
  available: boolean;
  backend: string;
  isEncryptionAvailable(): boolean;
  encryptString(text: string): Buffer;
  decryptString(buf: Buffer): string;
  getSelectedStorageBackend(): string;
}

/** Reversible fake: "encrypts" by reversing bytes and tagging, enough to prove wrap/unwrap go through it. */
export function fakeSafeStorage(backend = 'gnome_libsecret', available = true): FakeSafeStorage {
  return {
    available,
    backend,
    isEncryptionAvailable() {
      return this.available;
    },
    encryptString(text) {
      return Buffer.concat([Buffer.from('SEALED:'), Buffer.from(text, 'utf8').reverse()]);
    },
    decryptString(buf) {
      if (!buf.subarray(0, 7).equals(Buffer.from('SEALED:')))
        throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return Buffer.from(buf.subarray(7)).reverse().toString('utf8');
    },
    getSelectedStorageBackend() {
      return this.backend;
    },
  };
}

type CheckHandler = (webContents: unknown, permission: string, origin: string) => boolean;
type HeadersListener = (
  details: HeadersReceivedDetails,
  callback: (response: { responseHeaders?: Record<string, string[] | string> }) => void,
) => void;

export interface FakeSession {
  permissionRequestHandler: PermissionRequestHandler | null;
  permissionCheckHandler: CheckHandler | null;
  headersReceived: HeadersListener | null;
  devicePermissionHandler: ((details: unknown) => boolean) | null;
  setDevicePermissionHandler(handler: ((details: unknown) => boolean) | null): void;
  setPermissionRequestHandler(handler: PermissionRequestHandler | null): void;
  setPermissionCheckHandler(handler: CheckHandler | null): void;
  readonly webRequest: { onHeadersReceived(listener: HeadersListener): void };
}

export function fakeSession(): FakeSession {
  const session: FakeSession = {
    permissionRequestHandler: null,
    permissionCheckHandler: null,
    headersReceived: null,
    devicePermissionHandler: null,
    setDevicePermissionHandler(handler) {
      session.devicePermissionHandler = handler;
    },
    setPermissionRequestHandler(handler) {
      session.permissionRequestHandler = handler;
    },
    setPermissionCheckHandler(handler) {
      session.permissionCheckHandler = handler;
    },
    webRequest: {
      onHeadersReceived(listener) {
        session.headersReceived = listener;
      },
    },
  };
  return session;
}

type InvokeHandler = (event: IpcMainInvokeEventLike, ...args: unknown[]) => unknown;

export function fakeIpcMain() {
  const handlers = new Map<string, InvokeHandler>();
  return {
    handlers,
    handle(channel: string, listener: InvokeHandler) {
      if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      handlers.set(channel, listener);
    },
    removeHandler(channel: string) {
      handlers.delete(channel);
    },
  };
}

function createFakeElectron() {
  const session = fakeSession();
  const ipcRendererListeners = new Map<string, Set<Listener>>();
  return {
    app: new FakeApp(),
    BrowserWindow: FakeBrowserWindow,
    ipcMain: fakeIpcMain(),
    session: { defaultSession: session },
    safeStorage: fakeSafeStorage(),
    shell: {
      opened: [] as string[],
      openExternal(url: string) {
        this.opened.push(url);
        return Promise.resolve();
      },
    },
    dialog: {
      errors: [] as string[],
      showErrorBox(title: string, content: string) {
        this.errors.push(`${title}: ${content}`);
      },
      showSaveDialog: () => Promise.resolve({ canceled: true }),
      showOpenDialog: () => Promise.resolve({ canceled: true, filePaths: [] }),
    },
    protocol: {
      privileged: [] as unknown[],
      handlers: new Map<string, (request: Request) => Promise<Response>>(),
      registerSchemesAsPrivileged(schemes: unknown[]) {
        this.privileged.push(...schemes);
      },
      handle(scheme: string, handler: (request: Request) => Promise<Response>) {
        this.handlers.set(scheme, handler);
      },
    },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    Menu: {
      applicationMenu: null as unknown,
      buildFromTemplate: (template: unknown[]) => ({ template }),
      setApplicationMenu(menu: unknown) {
        this.applicationMenu = menu;
      },
    },
    contextBridge: {
      exposed: new Map<string, unknown>(),
      exposeInMainWorld(key: string, api: unknown) {
        this.exposed.set(key, api);
      },
    },
    ipcRenderer: {
      invoked: [] as { channel: string; args: unknown[] }[],
      listeners: ipcRendererListeners,
      invoke(channel: string, ...args: unknown[]) {
        this.invoked.push({ channel, args });
        return Promise.resolve({ ok: true, value: null });
      },
      on(channel: string, listener: Listener) {
        const set = ipcRendererListeners.get(channel) ?? new Set();
        set.add(listener);
        ipcRendererListeners.set(channel, set);
        return this;
      },
      removeListener(channel: string, listener: Listener) {
        ipcRendererListeners.get(channel)?.delete(listener);
        return this;
      },
    },
  };
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;

/** The module object vi.mock hands out; reset it between tests with resetFakeElectron(). */
export const fakeElectron: FakeElectron = createFakeElectron();

export function resetFakeElectron(): void {
  const fresh = createFakeElectron();
  fakeElectron.app.removeAllListeners();
  Object.assign(fakeElectron, { ...fresh, BrowserWindow: FakeBrowserWindow });
  FakeBrowserWindow.instances = [];
  FakeBrowserWindow.focused = null;
}

/** The Electron Platform over a fake safeStorage with this Linux backend (e.g. `basic_text`: no keyring); dialogs cancel. */
export function fakeElectronPlatform(userData: string, backend: string): Platform {
  return createElectronPlatform<{ name: string }>({
    app: { getPath: () => userData },
    safeStorage: fakeSafeStorage(backend),
    shell: { openExternal: () => Promise.resolve() },
    dialog: {
      showSaveDialog: () => Promise.resolve({ canceled: true }),
      showOpenDialog: () => Promise.resolve({ canceled: true, filePaths: [] }),
    },
    window: () => ({ name: 'main' }),
    env: {},
    os: 'linux',
  });
}
