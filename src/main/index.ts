/**
 * Electron main: the composition root of the desktop app. No domain logic lives here: it wires
 * the backend stack (supervised hosts), owns the tray, the popup and the app window, routes
 * validated IPC, and turns alerts into notifications.
 */
import {
  app,
  BrowserWindow,
  Menu,
  Notification,
  nativeTheme,
  screen,
  session,
  shell,
  Tray,
  nativeImage,
} from 'electron';
import { mkdirSync, rmSync, watch, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../services/config/loader';
import { createStack } from '../services/core/stack';
import { utilityLauncher } from './utilityLauncher';
import { registerValidatedIpc, trustedUrlChecker } from './validatedIpc';
import { NotificationLimiter, trayStateFor, type TrayState } from './trayState';

const here = dirname(fileURLToPath(import.meta.url));
const rendererIndex = join(here, '..', 'renderer', 'index.html');
const resourcesDir = app.isPackaged
  ? join(process.resourcesPath, 'resources')
  : join(here, '..', '..', 'resources');
const devUrl = process.env.ELECTRON_RENDERER_URL;
const isTrusted = trustedUrlChecker(rendererIndex, devUrl);

if (!app.requestSingleInstanceLock()) app.quit();

let loaded = loadConfig();
const backend = createStack({
  hostsDir: here,
  transport: 'electron',
  launcher: (entry) =>
    utilityLauncher(entry, entry.includes('pty') ? 'AI-Native Linux pty host' : 'AI-Native Linux background'),
  configProblems: () => loaded.problems,
});

let tray: Tray | null = null;
let popup: BrowserWindow | null = null;
let appWindow: BrowserWindow | null = null;
let trayState: TrayState = 'ok';
const activeAlerts = new Map<string, string>();
const limiter = new NotificationLimiter();

function secureWebPreferences(): Electron.WebPreferences {
  return {
    preload: join(here, '..', 'preload', 'index.cjs'),
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    spellcheck: false,
  };
}

function loadPage(win: BrowserWindow, page: string): void {
  if (devUrl) void win.loadURL(`${devUrl}#/${page}`);
  else void win.loadFile(rendererIndex, { hash: `/${page}` });
}

function iconFor(state: TrayState): Electron.NativeImage {
  const variant = nativeTheme.shouldUseDarkColors ? 'dark' : 'light';
  return nativeImage.createFromPath(join(resourcesDir, 'icons', `tray-${state}-${variant}.png`));
}

function createPopup(): BrowserWindow {
  const win = new BrowserWindow({
    width: 400,
    height: 600,
    show: false,
    frame: false,
    resizable: false,
    skipTaskbar: true,
    alwaysOnTop: true,
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#111418' : '#f7f8fa',
    webPreferences: secureWebPreferences(),
  });
  win.on('blur', () => win.hide());
  // links and buttons in the popup (a page, "Run in AI terminal") open in the app window; the
  // popup steps back to itself and hides
  win.webContents.on('did-navigate-in-page', (_e, url) => {
    const target = new URL(url).hash.replace(/^#\/?/, '');
    if (!target || target === 'popup' || target.startsWith('popup?')) return;
    openWindow(target);
    win.hide();
    if (win.webContents.navigationHistory.canGoBack()) win.webContents.navigationHistory.goBack();
    else loadPage(win, 'popup');
  });
  loadPage(win, 'popup');
  return win;
}

/** ui.autostart: an XDG autostart entry in ~/.config/autostart (what GNOME, KDE, Xfce read). */
function syncAutostart(enabled: boolean): void {
  const dir = join(process.env.XDG_CONFIG_HOME || join(app.getPath('home'), '.config'), 'autostart');
  const file = join(dir, 'ai-native-linux.desktop');
  try {
    if (!enabled) return rmSync(file, { force: true });
    const exec =
      process.env.APPIMAGE ?? (app.isPackaged ? process.execPath : `${process.execPath} ${app.getAppPath()}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      file,
      `[Desktop Entry]\nType=Application\nName=AI-Native Linux\nComment=Tray: monitor, Quest Log, self-healing, AI terminal\nExec=${exec}\nIcon=ai-native-linux\nTerminal=false\nX-GNOME-Autostart-enabled=true\n`,
    );
  } catch (err) {
    console.error(`autostart: cannot update ${file}: ${(err as Error).message}`);
  }
}

/** Settings are saved by the backend into the user config file: follow it (autostart, notifications). */
function followUserConfig(): void {
  syncAutostart(loaded.config.ui.autostart);
  let timer: NodeJS.Timeout | null = null;
  try {
    const dir = loaded.paths.userConfigDir;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    watch(dir, () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        const before = loaded.config.ui.autostart;
        loaded = loadConfig();
        if (loaded.config.ui.autostart !== before) syncAutostart(loaded.config.ui.autostart);
      }, 300);
    }).unref();
  } catch (err) {
    console.error(`settings: cannot watch the user config: ${(err as Error).message}`);
  }
}

/** Near the tray icon when the panel reports its bounds; top-right of the work area otherwise (GNOME). */
function positionPopup(win: BrowserWindow): void {
  const { width, height } = win.getBounds();
  const trayBounds = tray?.getBounds();
  const display =
    trayBounds && trayBounds.width > 0 ? screen.getDisplayMatching(trayBounds) : screen.getPrimaryDisplay();
  const area = display.workArea;
  let x = area.x + area.width - width - 8;
  let y = area.y + 8;
  if (trayBounds && trayBounds.width > 0) {
    x = Math.round(trayBounds.x + trayBounds.width / 2 - width / 2);
    y =
      trayBounds.y > area.y + area.height / 2
        ? trayBounds.y - height - 4
        : trayBounds.y + trayBounds.height + 4;
  }
  x = Math.min(Math.max(x, area.x + 4), area.x + area.width - width - 4);
  y = Math.min(Math.max(y, area.y + 4), area.y + area.height - height - 4);
  win.setPosition(x, y, false);
}

function togglePopup(): void {
  popup ??= createPopup();
  if (popup.isVisible()) return popup.hide();
  positionPopup(popup);
  popup.show();
  popup.focus();
}

function openWindow(page: string): void {
  if (!appWindow || appWindow.isDestroyed()) {
    appWindow = new BrowserWindow({
      width: 1180,
      height: 780,
      minWidth: 720,
      minHeight: 480,
      title: 'AI-Native Linux',
      show: false,
      backgroundColor: nativeTheme.shouldUseDarkColors ? '#111418' : '#f7f8fa',
      webPreferences: secureWebPreferences(),
    });
    appWindow.once('ready-to-show', () => appWindow?.show());
    appWindow.on('closed', () => (appWindow = null));
  }
  loadPage(appWindow, page);
  appWindow.show();
  appWindow.focus();
}

function buildTrayMenu(): Menu {
  return Menu.buildFromTemplate([
    { label: 'Open AI-Native Linux', click: togglePopup },
    { label: 'AI Terminal', click: () => openWindow('terminal') },
    { label: 'Dashboard', click: () => openWindow('dashboard') },
    { label: 'Quest Log', click: () => openWindow('questlog') },
    { label: 'Services', click: () => openWindow('services') },
    { type: 'separator' },
    {
      label: 'Pause healing',
      type: 'checkbox',
      click: (item) => void backend.invoke(item.checked ? 'healing:pause' : 'healing:resume', {}),
    },
    { label: 'Settings', click: () => openWindow('settings') },
    { type: 'separator' },
    { label: 'Quit', role: 'quit' },
  ]);
}

function setTrayState(next: TrayState): void {
  if (next === trayState || !tray) return;
  trayState = next;
  tray.setImage(iconFor(next));
  tray.setToolTip(`AI-Native Linux — ${next}`);
}

function onBackendEvent(name: string, payload: unknown): void {
  for (const win of BrowserWindow.getAllWindows()) {
    if (!win.isDestroyed()) win.webContents.send('ainl:event', { name, payload });
  }
  const next = trayStateFor(name, payload, activeAlerts, trayState);
  if (next) setTrayState(next);
  const note = limiter.notificationFor(name, payload);
  if (note && loaded.config.ui.notifications && Notification.isSupported()) {
    const n = new Notification({
      title: note.title,
      body: note.body,
      icon: join(resourcesDir, 'icons', 'app.png'),
    });
    n.on('click', () => openWindow(note.page));
    n.show();
  }
}

function hardenContents(): void {
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (e, url) => {
      if (!isTrusted(url)) e.preventDefault();
    });
    contents.on('will-redirect', (e) => e.preventDefault());
    contents.on('will-attach-webview', (e) => e.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      // links (e.g. from the terminal's web-links addon) open in the user's browser, never in the app
      if (/^https?:\/\//.test(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
  const allowed = new Set(['clipboard-sanitized-write', 'notifications']);
  session.defaultSession.setPermissionRequestHandler((wc, permission, callback) => {
    callback(allowed.has(permission) && isTrusted(wc.getURL()));
  });
  session.defaultSession.setPermissionCheckHandler((wc, permission) => {
    return allowed.has(permission) && wc !== null && isTrusted(wc.getURL());
  });
}

app.on('second-instance', () => togglePopup());
app.on('window-all-closed', () => {
  // a tray app keeps running without windows
});

void app.whenReady().then(() => {
  hardenContents();
  registerValidatedIpc(backend, isTrusted);
  backend.on(onBackendEvent);
  tray = new Tray(iconFor('ok'));
  tray.setToolTip('AI-Native Linux');
  tray.setContextMenu(buildTrayMenu());
  tray.on('click', togglePopup);
  // render the popup once, hidden, at start: the first tray click then shows a page that already has data
  popup = createPopup();
  nativeTheme.on('updated', () => tray?.setImage(iconFor(trayState)));
  followUserConfig();
  // start the background host now: the monitor and the Quest Log run whether or not a window is open
  void backend.invoke('system:overview', {});
});

app.on('before-quit', () => {
  void backend.dispose();
});
