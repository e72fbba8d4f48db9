// Builds the React renderer (for `serve`; electron.vite.config.ts reuses it for the desktop app).
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

export const rendererRoot = fileURLToPath(new URL('./src/renderer', import.meta.url));

export default defineConfig({
  root: rendererRoot,
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./out/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    // No inline scripts or styles: the CSP is script-src 'self' and style-src 'self'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
