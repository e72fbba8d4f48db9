/** Renderer entry: applies the saved theme and mounts the React app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { applyTheme, readTheme } from './ui/theme.ts';
// The look, in cascade order: variables and themes first, then each area's rules.
import './styles/base.css';
import './styles/shell-controls.css';
import './styles/list-detail.css';
import './styles/compare-flows.css';
import './styles/inspect-timeline.css';

applyTheme(readTheme());
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
