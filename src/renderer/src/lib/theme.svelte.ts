/** Light/dark: follows the system unless the user chose one in Settings (ui.theme). */
export type ThemeChoice = 'system' | 'light' | 'dark';

class Theme {
  choice = $state<ThemeChoice>('system');
  private systemDark = $state(
    typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches,
  );
  dark = $derived(this.choice === 'dark' || (this.choice === 'system' && this.systemDark));

  constructor() {
    if (typeof matchMedia === 'function') {
      matchMedia('(prefers-color-scheme: dark)').addEventListener(
        'change',
        (e) => (this.systemDark = e.matches),
      );
    }
  }

  set(choice: ThemeChoice): void {
    this.choice = choice;
    if (choice === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = choice;
  }
}

export const theme = new Theme();

/** A CSS custom property of the root element, e.g. cssVar('--accent'). */
export function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}
