import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The UI is served by mtpd itself (mtpd --web web/dist). `npm run dev` proxies the API to a
// running mtpd (MTP_API, default http://127.0.0.1:8080).
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', assetsDir: 'assets', sourcemap: false, chunkSizeWarningLimit: 2000 },
  server: { proxy: { '/api': process.env.MTP_API ?? 'http://127.0.0.1:8080' } },
});
