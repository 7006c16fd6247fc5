// Entry point: the stylesheet (a same-origin file, as the CSP requires) and the app.
import { render } from 'preact';
import './styles.css';
import { App } from './app';

render(<App />, document.getElementById('app')!);
