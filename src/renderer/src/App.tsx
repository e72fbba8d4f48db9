/** The application shell: header, navigation between features, and the active feature. */
import { useState } from 'react';
import { AppInfoBar } from './features/about/AppInfoBar.tsx';
import { InspectPanel } from './features/inspect/InspectPanel.tsx';
import { TokenList } from './features/token-list/TokenList.tsx';

const TABS = [
  { id: 'tokens', label: 'Tokens' },
  { id: 'inspect', label: 'Inspect' },
] as const;
type TabId = (typeof TABS)[number]['id'];

export function App() {
  const [tab, setTab] = useState<TabId>('tokens');
  return (
    <div className="app">
      <header className="app-header">
        <h1 className="brand">Tokenscope</h1>
        <nav aria-label="Main">
          {TABS.map((t) => (
            <button
              key={t.id}
              type="button"
              className={`tab ${tab === t.id ? 'active' : ''}`}
              aria-current={tab === t.id ? 'page' : undefined}
              onClick={() => setTab(t.id)}
            >
              {t.label}
            </button>
          ))}
        </nav>
      </header>
      <main className="app-main">{tab === 'tokens' ? <TokenList /> : <InspectPanel />}</main>
      <footer className="app-footer">
        <AppInfoBar />
      </footer>
    </div>
  );
}
