/**
 * The preload (sandboxed, context-isolated): exposes exactly the contract as `window.tokenscope`.
 * The one file in the renderer process that touches ipcRenderer; it never hands it out.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge.ts';

contextBridge.exposeInMainWorld('tokenscope', createBridge(ipcRenderer));
