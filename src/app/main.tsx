import { render } from 'preact';
import { App } from './App';
import { startPwa } from './pwa/register';
import { UpdateBanner } from './pwa/UpdateBanner';
import './styles.css';
import './layout.css';

const root = document.getElementById('app');
if (!root) throw new Error('index.html has no #app element');
render(
  <>
    <App />
    <UpdateBanner />
  </>,
  root,
);
startPwa();
