/** Renderer entry: styles, i18n, and <App> on window.paylink (from the preload). */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import './i18n';
import './styles.css';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App api={window.paylink} />
  </StrictMode>,
);
