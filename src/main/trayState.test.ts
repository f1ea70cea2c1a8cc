import { describe, expect, it } from 'vitest';
import { NotificationLimiter, trayStateFor } from './trayState';

describe('trayStateFor', () => {
  it('follows the worst active alert and returns to ok when all resolve', () => {
    const active = new Map<string, string>();
    expect(
      trayStateFor('monitor:alert', { id: 'a', severity: 'warning', state: 'firing' }, active, 'ok'),
    ).toBe('warning');
    expect(
      trayStateFor('monitor:alert', { id: 'b', severity: 'critical', state: 'firing' }, active, 'warning'),
    ).toBe('critical');
    expect(trayStateFor('monitor:alert', { id: 'b', state: 'resolved' }, active, 'critical')).toBe('warning');
    expect(trayStateFor('monitor:alert', { id: 'a', state: 'resolved' }, active, 'warning')).toBe('ok');
    expect(trayStateFor('system:other', {}, active, 'ok')).toBeNull();
  });
});

describe('NotificationLimiter', () => {
  it('notifies new alerts and escalations, not resolutions, at most max per window', () => {
    let t = 0;
    const l = new NotificationLimiter(2, 1000, () => t);
    expect(l.notificationFor('monitor:alert', { title: 'Disk almost full', state: 'firing' })?.title).toBe(
      'Disk almost full',
    );
    expect(l.notificationFor('monitor:alert', { title: 'x', state: 'resolved' })).toBeNull();
    expect(l.notificationFor('healing:event', { kind: 'gave-up', target: 'nginx.service' })?.page).toBe(
      'services',
    );
    expect(l.notificationFor('monitor:alert', { title: 'third' })).toBeNull();
    t = 1001;
    expect(l.notificationFor('monitor:alert', { title: 'later' })).not.toBeNull();
    expect(l.notificationFor('monitor:alert', 'junk')).toBeNull();
  });
});
