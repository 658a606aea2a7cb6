/**
 * The theme choice: follow the system, or force light or dark. Kept in localStorage and applied
 * as data-theme on <html>, which theme.css turns into color-scheme (its colours are light-dark()).
 */

export type ThemeChoice = 'system' | 'light' | 'dark';

const KEY = 'routing-playground:theme';

function stored(): ThemeChoice {
  try {
    const value = localStorage.getItem(KEY);
    return value === 'light' || value === 'dark' ? value : 'system';
  } catch {
    return 'system';
  }
}

class Theme {
  choice = $state<ThemeChoice>(stored());

  constructor() {
    this.#apply();
  }

  set(choice: ThemeChoice): void {
    this.choice = choice;
    try {
      if (choice === 'system') localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, choice);
    } catch {
      // Storage refused (private mode, quota): the choice still holds for this visit.
    }
    this.#apply();
  }

  #apply(): void {
    if (this.choice === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = this.choice;
  }
}

export const theme = new Theme();
