// Helpers shared by the in-browser benchmarks (bench/discovery-page, bench/lineage-tab): a quiet
// machine, the Backstage CLI's esbuild, a static server for the bundle and Debian's Chromium.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Browser, chromium } from '@playwright/test';

const ROOT = path.resolve(__dirname, '../..');
/** The Chromium the benchmarks run. */
export const CHROMIUM =
  process.env.PLAYWRIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Waits (up to 5 minutes) until the 1-minute load average is below `maxLoad`; false when it did
 * not get there in time. Without `maxLoad`, does not wait.
 */
export async function quietMachine(maxLoad?: number): Promise<boolean> {
  if (maxLoad === undefined) return true;
  const deadline = Date.now() + 5 * 60_000;
  while (os.loadavg()[0] >= maxLoad) {
    if (Date.now() > deadline) return false;
    await new Promise(resolve => setTimeout(resolve, 5000));
  }
  return true;
}

/** The esbuild of the Backstage CLI (cli-module-build → esbuild-loader → esbuild). */
export function loadEsbuild(): typeof import('esbuild') {
  const fromRoot = createRequire(path.join(ROOT, 'package.json'));
  try {
    const loader = fromRoot.resolve('esbuild-loader', {
      paths: [
        path.dirname(
          fromRoot.resolve('@backstage/cli-module-build/package.json'),
        ),
      ],
    });
    return createRequire(loader)('esbuild');
  } catch {
    return fromRoot('esbuild');
  }
}

/**
 * Serves `dir` (its `index.html` at `/`) on a free port of 127.0.0.1, uncached, and each of
 * `files` (URL path → file) from outside it.
 */
export function serve(
  dir: string,
  files: ReadonlyMap<string, string> = new Map(),
): Promise<http.Server> {
  const types: Record<string, string> = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.css': 'text/css',
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const extra = files.get(url.pathname);
    const file =
      extra ??
      path.join(dir, url.pathname === '/' ? 'index.html' : url.pathname);
    if (extra === undefined && !file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    fs.readFile(file, (error, data) => {
      if (error) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, {
        'Content-Type': types[path.extname(file)] ?? 'application/octet-stream',
        'Cache-Control': 'no-store',
      });
      res.end(data);
    });
  });
  return new Promise(resolve =>
    server.listen(0, '127.0.0.1', () => resolve(server)),
  );
}

/** Chromium (`PLAYWRIGHT_CHROMIUM_PATH`, else Debian's), without what would add noise. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
