// electron-vite: the main process (ESM, runtime dependencies external), the sandboxed preload (one CJS
// file, everything bundled: a sandboxed preload can require nothing but 'electron'), and the renderer
// (the same root and plugins as the browser build in vite.renderer.config.ts).
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { fileURLToPath } from 'node:url';
import rendererConfig, { rendererRoot } from './vite.renderer.config.ts';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** Loaded by the main process at run time from node_modules (native code, or too dynamic to bundle). */
export const MAIN_RUNTIME_EXTERNALS = ['better-sqlite3', 'oidc-provider', 'jose', 'oauth4webapi'];

/**
 * `npm start` only: the dev server's page gets its CSP from the main process (a dev variant that allows
 * Vite's inline React refresh preamble and HMR socket), so the page's own strict meta CSP is dropped there.
 * Builds keep the meta tag untouched.
 */
const devServerCsp: Plugin = {
  name: 'tokenscope-dev-server-csp',
  apply: 'serve',
  transformIndexHtml: (html) => html.replace(/\s*<meta http-equiv="Content-Security-Policy"[^>]*>/, ''),
};

export default defineConfig({
  main: {
    build: {
      outDir: here('./out/main'),
      externalizeDeps: { include: MAIN_RUNTIME_EXTERNALS },
      rolldownOptions: {
        input: { index: here('./src/main/index.ts') },
        output: { format: 'es' },
      },
    },
  },
  preload: {
    build: {
      outDir: here('./out/preload'),
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: here('./src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: rendererRoot,
    plugins: [...(rendererConfig.plugins ?? []), devServerCsp],
    build: {
      outDir: here('./out/renderer'),
      emptyOutDir: true,
      sourcemap: false,
      assetsInlineLimit: 0,
      modulePreload: { polyfill: false },
      rolldownOptions: { input: here('./src/renderer/index.html') },
    },
  },
});
