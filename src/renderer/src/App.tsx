/** The application shell: header, navigation between features, the active feature, and the global paste shortcut. */
import { useEffect, useState } from 'react';
import type { ShellCommand, TokenscopeBridge } from '../../shared/bridge.ts';
import { ExportDialog } from './features/export/ExportDialog.tsx';
import { ImportDialog } from './features/export/ImportDialog.tsx';
import { setTheme } from './ui/theme.ts';
import { AppInfoBar } from './features/about/AppInfoBar.tsx';
import { ComparePanel } from './features/compare/ComparePanel.tsx';
import { ExchangeLog } from './features/exchange-log/ExchangeLog.tsx';
import { FlowsPanel } from './features/flows/FlowsPanel.tsx';
import { FlowBanner } from './features/flows/FlowProgress.tsx';
import { InspectPanel } from './features/inspect/InspectPanel.tsx';
import { ProtectionPrompt } from './features/settings/ProtectionChoice.tsx';
import { SettingsPanel } from './features/settings/SettingsPanel.tsx';
import { TokenDetail } from './features/token-detail/TokenDetail.tsx';
import { TokenList } from './features/token-list/TokenList.tsx';
import { GrantTimelineView } from './features/timeline/GrantTimelineView.tsx';
import { isEditableTarget, offerPaste } from './ui/paste-store.ts';
import { navigate, routeHref, useRoute, type Route } from './ui/route.ts';

const TABS = [
  { screen: 'tokens', label: 'Tokens' },
  { screen: 'inspect', label: 'Inspect' },
  { screen: 'compare', label: 'Compare' },
  { screen: 'flows', label: 'Flows' },
  { screen: 'log', label: 'Exchange log' },
  { screen: 'settings', label: 'Settings' },
] as const;

function tabOf(route: Route): (typeof TABS)[number]['screen'] {
  if (route.screen === 'timeline') return 'log';
  return route.screen === 'token' ? 'tokens' : route.screen;
}

function Screen({ route }: { route: Route }) {
  switch (route.screen) {
    case 'tokens':
      return <TokenList />;
    case 'token':
      return <TokenDetail key={route.id} id={route.id} />;
    case 'inspect':
      return <InspectPanel />;
    case 'compare':
      return <ComparePanel id={route.id} other={route.other} />;
    case 'flows':
      return <FlowsPanel />;
    case 'log':
      return <ExchangeLog grantId={route.grantId} />;
    case 'settings':
      return <SettingsPanel />;
    case 'timeline':
      return <GrantTimelineView key={`${route.by}/${route.id}`} by={route.by} id={route.id} />;
  }
}

export function App() {
  const route = useRoute();
  const active = tabOf(route);
  const [dialog, setDialog] = useState<'import' | 'export' | null>(null);

  useEffect(() => {
    // The desktop shell's menu (Electron only): theme, import, export.
    const bridge = window.tokenscope as Partial<TokenscopeBridge> | undefined;
    if (typeof bridge?.onCommand !== 'function') return;
    return bridge.onCommand((command: ShellCommand) => {
      if (command.type === 'theme') setTheme(command.theme);
      else setDialog(command.type);
    });
  }, []);

  useEffect(() => {
    // Paste anywhere outside a text field: inspect what was pasted.
    const onPaste = (e: ClipboardEvent): void => {
      if (isEditableTarget(e.target)) return;
      const text = e.clipboardData?.getData('text/plain') ?? '';
      if (text.trim() === '') return;
      e.preventDefault();
      offerPaste(text);
      navigate({ screen: 'inspect' });
    };
    document.addEventListener('paste', onPaste);
    return () => document.removeEventListener('paste', onPaste);
  }, []);

  return (
    <div className="app">
      <a className="skip-link" href="#main-content">
        Skip to content
      </a>
      <header className="app-header">
        <h1 className="brand">Tokenscope</h1>
        <nav aria-label="Main">
          {TABS.map((t) => (
            <a
              key={t.screen}
              className={`tab ${active === t.screen ? 'active' : ''}`}
              aria-current={active === t.screen ? 'page' : undefined}
              href={routeHref({ screen: t.screen })}
            >
              {t.label}
            </a>
          ))}
        </nav>
        <span className="header-hint muted">Paste anywhere to inspect</span>
      </header>
      <main className="app-main" id="main-content" tabIndex={-1}>
        <ProtectionPrompt />
        <FlowBanner />
        <Screen route={route} />
      </main>
      {dialog === 'export' && <ExportDialog onClose={() => setDialog(null)} />}
      {dialog === 'import' && <ImportDialog onClose={() => setDialog(null)} onImported={() => undefined} />}
      <footer className="app-footer">
        <AppInfoBar />
      </footer>
    </div>
  );
}
