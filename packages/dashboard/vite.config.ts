// Builds the dashboard into dist/: one hashed script and one stylesheet under assets/, no inline code, so the strict
// Content-Security-Policy the server sends (script-src 'self'; style-src 'self') holds.
import { defineConfig } from 'vite';

export default defineConfig({
  // Absolute asset paths: the same index.html is served at / and at /portal.
  base: '/',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The modulepreload polyfill is needless for one chunk; keep the page free of anything but our two files.
    modulePreload: { polyfill: false },
    // Never inline assets as data: URLs into the CSS (allowed by img-src, but there is no need).
    assetsInlineLimit: 0,
    target: 'es2022',
  },
});
