// One real mtpd per Playwright worker: `mtpd --demo` on a fresh SQLite file or a fresh
// PostgreSQL schema, a free loopback port, the built UI (dist/). The demo prints one login per
// role once; the fixture reads them from its stdout (no test-only flag in mtpd).
import { test as base, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
export const shotsDir = path.join(here, '.artifacts/screenshots');

export interface Login {
  role: string;
  email: string;
  password: string;
  orgs: string;
}

export interface Mail {
  to: string;
  data: string;
}

export interface Mtp {
  mails: Mail[];
  url: string;
  provider: string;
  logins: Record<string, Login>;
  backend: string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function pgDatabase(): { url: string; drop: () => void } {
  const base = process.env.MTP_TEST_PG!;
  const schema = `web_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const r = spawnSync('psql', ['-X', '-q', base, '-c', `CREATE SCHEMA ${schema}`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql: ${r.stderr}`);
  const sep = base.includes('?') ? '&' : '?';
  return {
    url: `${base}${sep}options=-c%20search_path%3D${schema}`,
    drop: () => void spawnSync('psql', ['-X', '-q', base, '-c', `DROP SCHEMA ${schema} CASCADE`]),
  };
}

export function parseBanner(out: string): { provider: string; logins: Record<string, Login> } {
  const provider = /Provider "[^"]*" \(([^)]+)\)/.exec(out)?.[1] ?? '';
  const logins: Record<string, Login> = {};
  for (const line of out.split('\n')) {
    const m = /^\s{2}(\S+)\s+(\S+@demo\.example)\s+(\S+)\s+(.*)$/.exec(line);
    if (m) logins[m[1]!] = { role: m[1]!, email: m[2]!, password: m[3]!, orgs: m[4]!.trim() };
  }
  return { provider, logins };
}

// A minimal SMTP server on loopback: mtpd's outbox sender (libcurl) delivers to it for real.
async function smtpSink(mails: Mail[]): Promise<{ port: number; close: () => void }> {
  const server = createServer((sock) => {
    let buf = '';
    let inData = false;
    let to = '';
    sock.write('220 sink ESMTP\r\n');
    sock.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      for (;;) {
        if (inData) {
          const end = buf.indexOf('\r\n.\r\n');
          if (end < 0) return;
          mails.push({ to, data: buf.slice(0, end) });
          buf = buf.slice(end + 5);
          inData = false;
          sock.write('250 OK\r\n');
          continue;
        }
        const nl = buf.indexOf('\r\n');
        if (nl < 0) return;
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 2);
        const cmd = line.slice(0, 4).toUpperCase();
        if (cmd === 'EHLO') sock.write('250-sink\r\n250 8BITMIME\r\n');
        else if (cmd === 'HELO') sock.write('250 sink\r\n');
        else if (cmd === 'RCPT') {
          to = /<([^>]*)>/.exec(line)?.[1] ?? '';
          sock.write('250 OK\r\n');
        } else if (cmd === 'DATA') {
          inData = true;
          sock.write('354 go on\r\n');
        } else if (cmd === 'QUIT') {
          sock.end('221 bye\r\n');
        } else sock.write('250 OK\r\n');
      }
    });
    sock.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const a = server.address();
  return { port: typeof a === 'object' && a ? a.port : 0, close: () => server.close() };
}

// The link of the last email to `to` whose link path is `/path?token=...`.
export async function waitForLink(mtp: Mtp, to: string, path: string, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mail = [...mtp.mails].reverse().find((m) => m.to === to && m.data.includes(path));
    if (mail) {
      const body = mail.data.replace(/=\r\n/g, '');
      const m = new RegExp(`https?://[^\\s]*${path.replace('/', '\\/')}\\?token=[A-Za-z0-9_\\-.%]+`).exec(body);
      if (m) return new URL(m[0]).pathname + new URL(m[0]).search;
    }
    if (Date.now() > deadline) throw new Error(`no email to ${to} with ${path}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

// The first link to `path` (any query, e.g. `/userconsole?organization=...`) in an email to
// `to` that arrived after the first `since` emails (mtp.mails.length before the action).
export async function waitForMailLink(mtp: Mtp, to: string, path: string, since = 0, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  const escaped = path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  for (;;) {
    for (const mail of mtp.mails.slice(since)) {
      if (mail.to !== to) continue;
      const m = new RegExp(`https?://[^\\s/]+${escaped}(?:\\?[^\\s]*)?(?=\\s|$)`).exec(mail.data.replace(/=\r\n/g, ''));
      if (m) return new URL(m[0]).pathname + new URL(m[0]).search;
    }
    if (Date.now() > deadline) throw new Error(`no email to ${to} with ${path}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function startMtpd(backend: string): Promise<{ mtp: Mtp; stop: () => Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'mtp-web-'));
  const port = await freePort();
  const pg = backend === 'postgresql' ? pgDatabase() : null;
  const db = pg ? pg.url : `sqlite:${path.join(dir, 'mtp.db')}`;
  const mails: Mail[] = [];
  const sink = await smtpSink(mails);
  const bin = process.env.MTP_MTPD ?? path.join(repo, 'build/service/main/mtpd');
  const child: ChildProcess = spawn(
    bin,
    ['--demo', '--db', db, '--listen', `127.0.0.1:${port}`, '--policies', path.join(repo, 'policies/builtin'),
      '--jwt-key-file', path.join(dir, 'jwt.key'), '--web', path.join(here, '../dist'), '--threads', '4',
      '--smtp', `smtp://127.0.0.1:${sink.port}`, '--public-url', `http://127.0.0.1:${port}`],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MTP_SMTP: '' } },
  );
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const deadline = Date.now() + 60_000;
  while (!/Log in:/.test(out)) {
    if (child.exitCode !== null) throw new Error(`mtpd exited ${child.exitCode}: ${err}`);
    if (Date.now() > deadline) throw new Error(`mtpd did not print its demo banner: ${out}\n${err}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  // The fleet part of the banner follows the logins.
  await new Promise((r) => setTimeout(r, 300));
  const { provider, logins } = parseBanner(out);
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    sink.close();
    pg?.drop();
    rmSync(dir, { recursive: true, force: true });
  };
  return { mtp: { url: `http://127.0.0.1:${port}`, provider, logins, backend, mails }, stop };
}

// A worker's own demo mtpd. A spec that changes the directory at scale declares it again
// (`test.extend({ mtp: ownMtpd() })`) to get an mtpd of its own, shared with no other spec.
export function ownMtpd(): [(a: { backend: string }, use: (m: Mtp) => Promise<void>) => Promise<void>, { scope: 'worker'; timeout: number }] {
  return [
    async ({ backend }: { backend: string }, use: (m: Mtp) => Promise<void>) => {
      const { mtp, stop } = await startMtpd(backend);
      await use(mtp);
      await stop();
    },
    { scope: 'worker', timeout: 90_000 },
  ];
}

export const test = base.extend<object, { mtp: Mtp; backend: string }>({
  backend: ['sqlite', { option: true, scope: 'worker' }],
  mtp: ownMtpd(),
  baseURL: async ({ mtp }, use) => use(mtp.url),
});

export { expect };

// Signs in through the form; unless told it will not, waits until the portal has left the
// sign-in page (the session cookie is then set).
export async function signIn(page: Page, login: Login, opts: { next?: string; leaves?: boolean } = {}) {
  await page.goto(`/signin?next=${encodeURIComponent(opts.next ?? '/')}`);
  await page.getByLabel('Email').fill(login.email);
  await page.getByLabel('Password').fill(login.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  if (opts.leaves ?? true) await page.waitForURL((u) => !u.pathname.startsWith('/signin'));
}

// axe: no serious or critical violation on the page as it is now.
// CSS transitions are finished first: a colour fading in (a row menu, a button leaving its
// disabled state) is measured by axe half-way and fails contrast in a slow run.
export async function checkA11y(page: Page) {
  // A constructed style sheet (CSSOM): mtpd's CSP (style-src 'self') refuses an inline <style>.
  await page.evaluate(() => {
    const still = new CSSStyleSheet();
    still.replaceSync('*, *::before, *::after { transition: none !important; animation: none !important; }');
    (window as unknown as { __mtpStill?: CSSStyleSheet }).__mtpStill = still;
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, still];
    return new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
  });
  const r = await new AxeBuilder({ page }).analyze();
  await page.evaluate(() => {
    const still = (window as unknown as { __mtpStill?: CSSStyleSheet }).__mtpStill;
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== still);
  });
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

export async function shot(page: Page, name: string, project: string) {
  mkdirSync(shotsDir, { recursive: true });
  await page.screenshot({ path: path.join(shotsDir, `${project}-${name}.png`), fullPage: true });
}

// Chooses in a server-side type-ahead (OrgTypeahead, AdminTypeahead) by its label: type, then pick.
export async function pickOrg(page: Page, name: string, label = 'Organization') {
  const box = page.getByRole('combobox', { name: label, exact: true });
  await box.fill(''); // typing the name already shown would change nothing and open no list
  await box.fill(name);
  await page.getByRole('option', { name, exact: true }).click();
  await expect(box).toHaveValue(name);
}
